"""Transcripts: monthly partitions made ahead and on demand, each under forced row level
security, dropped past retention; the text only in the vault."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from psycopg import sql

from careeros.db.rls import system_context, unprotected_tables, user_context
from careeros.db.roles import owner_connection
from careeros.vault.models import EncryptedData
from interviews.models import InterviewSession, InterviewTranscript, Speaker
from interviews.partitions import (
    partition_name,
    transcript_partitions,
    transcript_partitions_drop_expired,
    transcript_partitions_ensure_ahead,
)
from interviews.transcripts import transcript_turn_add, transcript_turns
from profiles.models import User

# system_context is the system alias, a connection of its own: committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)


def new_session(user: User) -> InterviewSession:
    with user_context(user.pk):
        return InterviewSession.objects.create(user=user)


def rls_state(table: str) -> tuple[bool, bool, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relrowsecurity, c.relforcerowsecurity, "
            "ARRAY(SELECT polname FROM pg_policy WHERE polrelid = c.oid ORDER BY polname) "
            "FROM pg_class c WHERE c.relname = %s",
            [table],
        )
        enabled, forced, policies = cursor.fetchone()
    return enabled, forced, list(policies)


def test_the_months_ahead_are_made_each_with_forced_rls_and_both_policies() -> None:
    names = transcript_partitions_ensure_ahead(months=2, now=datetime(2033, 11, 20, tzinfo=UTC))
    assert names == [
        "interview_transcripts_2033_11",
        "interview_transcripts_2033_12",
        "interview_transcripts_2034_01",
    ]
    assert {p.name for p in transcript_partitions()} >= set(names)
    for name in names:
        assert rls_state(name) == (True, True, [f"{name}_owner", f"{name}_system"])
    assert rls_state("interview_transcripts") == (
        True,
        True,
        ["interview_transcripts_owner", "interview_transcripts_system"],
    )
    # Twice is the same as once.
    assert transcript_partitions_ensure_ahead(months=2, now=datetime(2033, 11, 1, tzinfo=UTC)) == (
        names
    )


@pytest.mark.django_db(transaction=True)
def test_the_catalog_check_covers_every_partition() -> None:
    """A partition without its own policies is reported, though its parent has them."""
    transcript_partitions_ensure_ahead(months=0, now=datetime(2035, 3, 1, tzinfo=UTC))
    assert unprotected_tables(connection) == []
    # The owner, who may alter tables.
    with owner_connection() as owner, transaction.atomic(), owner.cursor() as cursor:
        cursor.execute("ALTER TABLE interview_transcripts_2035_03 NO FORCE ROW LEVEL SECURITY")
        assert unprotected_tables(owner) == ["interview_transcripts_2035_03"]
        transaction.set_rollback(True)


def test_an_insert_into_a_month_nobody_prepared_makes_its_partition(user: User) -> None:
    session = new_session(user)
    month = datetime(2039, 7, 14, 9, 30, tzinfo=UTC)
    assert partition_name(month) not in {p.name for p in transcript_partitions()}
    transcript_turn_add(
        session=session, speaker=Speaker.USER, text="Summer answer", created_at=month
    )
    assert partition_name(month) in {p.name for p in transcript_partitions()}
    assert rls_state("interview_transcripts_2039_07")[:2] == (True, True)
    assert [t.text for t in transcript_turns(session=session)] == ["Summer answer"]


def test_the_runtime_role_cannot_make_or_drop_partitions_itself(user: User) -> None:
    with user_context(user.pk):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE interview_transcripts_2040_01 PARTITION OF interview_transcripts "
                "FOR VALUES FROM ('2040-01-01') TO ('2040-02-01')"
            )
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT interview_transcripts_partition_drop('x')")


def test_every_partition_hides_a_users_turns_from_another_user_in_raw_sql(
    user: User, other_user: User
) -> None:
    session = new_session(user)
    months = [datetime(2031, m, 3, tzinfo=UTC) for m in (1, 2, 3)]
    for month in months:
        transcript_turn_add(session=session, speaker=Speaker.USER, text="mine", created_at=month)
    partitions = [partition_name(m) for m in months]
    for name in partitions:
        table = sql.Identifier(name)
        with user_context(other_user.pk), connection.cursor() as cursor:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(table))
            assert cursor.fetchone() == (0,)
            cursor.execute(sql.SQL("UPDATE {} SET speaker = 'assistant'").format(table))
            assert cursor.rowcount == 0
            cursor.execute(sql.SQL("DELETE FROM {}").format(table))
            assert cursor.rowcount == 0
        with user_context(user.pk), connection.cursor() as cursor:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(table))
            assert cursor.fetchone() == (1,)
    with user_context(other_user.pk):
        assert InterviewTranscript.objects.count() == 0
        assert InterviewSession.objects.count() == 0
        # Nor can a turn be slipped into someone else's session.
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            InterviewTranscript.objects.create(
                session_id=session.pk, speaker=Speaker.USER, content="x", created_at=months[0]
            )
    with connection.cursor() as cursor:  # no context at all
        cursor.execute("SELECT count(*) FROM interview_transcripts")
        assert cursor.fetchone() == (0,)


def test_the_table_holds_a_vault_reference_and_the_text_is_nowhere_in_the_database(
    user: User,
) -> None:
    session = new_session(user)
    secret = "I negotiated the Zanzibar contract with a walrus"
    turn = transcript_turn_add(session=session, speaker=Speaker.USER, text=secret)
    with user_context(user.pk):
        row = InterviewTranscript.objects.get(session=session)
        record = EncryptedData.objects.get(pk=row.content)
    assert row.is_encrypted is True
    assert bytes(record.encrypted_content) != secret.encode()
    assert record.purpose == "interview_transcript"
    assert turn.content == str(record.pk)
    assert_nowhere_in_database(secret)


def assert_nowhere_in_database(*needles: str, besides: frozenset[str] = frozenset()) -> None:
    """Every row of every table and partition (but ``besides``), as text, holds none of
    ``needles``."""
    with system_context() as system, system.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r'"
        )
        tables = [name for (name,) in cursor.fetchall() if name not in besides]
        assert "interview_transcripts_" + datetime.now(UTC).strftime("%Y_%m") in tables
        for table in tables:
            for needle in needles:
                cursor.execute(
                    sql.SQL("SELECT count(*) FROM {} t WHERE t::text ILIKE %s").format(
                        sql.Identifier(table)
                    ),
                    [f"%{needle}%"],
                )
                assert cursor.fetchone() == (0,), f"{needle!r} found in {table}"


def test_months_past_retention_are_dropped_with_their_vault_rows(user: User, settings) -> None:
    settings.TRANSCRIPT_RETENTION_DAYS = 30
    session = new_session(user)
    now = datetime.now(UTC)
    old = transcript_turn_add(
        session=session,
        speaker=Speaker.USER,
        text="old",
        created_at=datetime(2024, 1, 5, tzinfo=UTC),
    )
    edge = transcript_turn_add(
        session=session, speaker=Speaker.USER, text="edge", created_at=now - timedelta(days=31)
    )
    fresh = transcript_turn_add(session=session, speaker=Speaker.USER, text="fresh")
    result = transcript_partitions_drop_expired(now=now)
    assert "interview_transcripts_2024_01" in result.dropped
    assert "interview_transcripts_2024_01" not in {p.name for p in transcript_partitions()}
    assert partition_name(now) not in result.dropped
    with user_context(user.pk):
        left = set(EncryptedData.objects.values_list("id", flat=True))
        assert {str(pk) for pk in left} == {fresh.content}
        assert old.content not in {str(pk) for pk in left}
        assert list(InterviewTranscript.objects.values_list("content", flat=True)) == [
            fresh.content
        ]
    assert edge.content not in {str(pk) for pk in left}
    # Nothing is left to do the second time.
    again = transcript_partitions_drop_expired(now=now)
    assert again.dropped == []
    assert again.turns_deleted == 0


def test_the_drop_function_refuses_a_month_that_is_not_over() -> None:
    current = transcript_partitions_ensure_ahead(months=0)[0]
    with (
        pytest.raises(DatabaseError, match="not over"),
        system_context() as system,
        system.cursor() as c,
    ):
        c.execute("SELECT interview_transcripts_partition_drop(%s)", [current])

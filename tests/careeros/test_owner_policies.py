"""Owner-keyed policies: every user-owned row carries its owner's user_id, set by the
database from the parent, and every policy is a comparison on it, never a subquery."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from careeros.db.rls import policies_with_subqueries, system_context, user_context
from careeros.db.roles import owner_connection
from interviews.models import InterviewSession, InterviewTranscript
from profiles.models import User
from resumes.models import ParsedResumeEntity, ResumeDiff, ResumeStream, ResumeVersion

pytestmark = pytest.mark.django_db


def test_no_policy_has_a_subquery() -> None:
    """pg_policies holds no condition with a SELECT in it (USING or WITH CHECK)."""
    assert policies_with_subqueries(connection) == []


def test_a_partition_made_from_now_on_has_no_subquery_either() -> None:
    """The partition function gives a new month the owner-keyed condition."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT interview_transcripts_partition_ensure('2033-05-10T00:00Z')")
        cursor.execute(
            "SELECT qual FROM pg_policies WHERE tablename = 'interview_transcripts_2033_05' "
            "AND policyname LIKE '%%_owner'"
        )
        assert cursor.fetchall() == [("(user_id = app_current_user_id())",)]
    assert policies_with_subqueries(connection) == []


@pytest.mark.django_db(transaction=True)
def test_the_subquery_check_finds_one() -> None:
    """A policy reading another table through a subquery is reported: the check can fail."""
    with owner_connection() as owner, transaction.atomic(), owner.cursor() as cursor:
        cursor.execute(
            "CREATE POLICY careless ON resume_versions USING "
            "(stream_id IN (SELECT id FROM resume_streams WHERE user_id = app_current_user_id()))"
        )
        assert policies_with_subqueries(owner) == ["resume_versions.careless"]
        transaction.set_rollback(True)


def _resume_rows(user: User) -> ResumeVersion:
    with user_context(user.pk):
        stream = ResumeStream.objects.create(user=user, name="Mine")
        version = ResumeVersion.objects.create(
            stream=stream, version_number=1, original_filename="cv.txt"
        )
        ParsedResumeEntity.objects.create(
            resume_version=version, entity_type="skill", entity_data={"name": "SQL"}
        )
        ResumeDiff.objects.create(
            resume_version=version,
            comparison_type=ResumeDiff.ComparisonType.VERSION_TO_PROFILE,
            differences={},
        )
    return version


def test_the_orm_reads_back_the_owner_the_database_set(user: User, other_user: User) -> None:
    """An instance saved with another user's id holds its parent's owner, as the row does."""
    version = _resume_rows(user)
    with user_context(user.pk):
        forged = ResumeVersion.objects.create(
            stream_id=version.stream_id,
            version_number=2,
            original_filename="cv.txt",
            user_id=other_user.pk,
        )
        assert forged.user_id == user.pk
        assert ResumeVersion.objects.get(pk=forged.pk).user_id == user.pk
        # Nor does an update move it: the trigger sets it from the stream again.
        ResumeVersion.objects.filter(pk=forged.pk).update(user_id=other_user.pk)
        assert ResumeVersion.objects.get(pk=forged.pk).user_id == user.pk
        entity = ParsedResumeEntity.objects.create(
            resume_version=version, entity_type="skill", entity_data={}
        )
        assert entity.user_id == user.pk


@pytest.mark.django_db(transaction=True)
def test_a_client_supplied_user_id_is_overwritten_from_the_parent(
    user: User, other_user: User
) -> None:
    """Raw SQL on the system path (which no policy restrains) naming other_user as the
    owner of user's rows stores user: the parent decides, on insert and on update."""
    version = _resume_rows(user)
    with user_context(user.pk):
        session = InterviewSession.objects.create(user=user)
    at = datetime.now(UTC)  # a month the migrations prepared
    inserts: dict[str, tuple[str, list[Any]]] = {
        "resume_versions": (
            "INSERT INTO resume_versions (stream_id, version_number, original_filename, user_id)"
            " VALUES (%s, 7, 'x', %s) RETURNING user_id",
            [version.stream_id, other_user.pk],
        ),
        "parsed_resume_entities": (
            "INSERT INTO parsed_resume_entities (resume_version_id, entity_type, entity_data,"
            " user_id) VALUES (%s, 'skill', '{}', %s) RETURNING user_id",
            [version.pk, other_user.pk],
        ),
        "resume_diffs": (
            "INSERT INTO resume_diffs (resume_version_id, comparison_type, differences, user_id)"
            " VALUES (%s, 'version_to_version', '{}', %s) RETURNING user_id",
            [version.pk, other_user.pk],
        ),
        "interview_transcripts": (
            "INSERT INTO interview_transcripts (session_id, speaker, content, created_at,"
            " user_id) VALUES (%s, 'user', 'x', %s, %s) RETURNING user_id",
            [session.pk, at, other_user.pk],
        ),
    }
    with system_context() as system, system.cursor() as cursor:
        cursor.execute("SELECT interview_transcripts_partition_ensure(%s)", [at])
        for table, (statement, params) in inserts.items():
            cursor.execute(statement, params)
            assert cursor.fetchone() == (user.pk,), table
            cursor.execute(f"UPDATE {table} SET user_id = %s", [other_user.pk])  # noqa: S608
            cursor.execute(f"SELECT DISTINCT user_id FROM {table}")  # noqa: S608
            assert cursor.fetchall() == [(user.pk,)], table
    with user_context(other_user.pk):
        assert not ResumeVersion.objects.exists()
        assert not InterviewTranscript.objects.exists()


def test_a_row_under_another_users_parent_is_refused(user: User, other_user: User) -> None:
    """The trigger reads the parent as the caller: one the caller cannot see is refused."""
    version = _resume_rows(user)
    with (
        pytest.raises(DatabaseError, match="row-level security"),
        user_context(other_user.pk),
        transaction.atomic(),
    ):
        ParsedResumeEntity.objects.create(
            resume_version_id=version.pk, entity_type="skill", entity_data={}
        )

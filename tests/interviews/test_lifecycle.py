"""The nightly job (partitions ahead, stale sessions closed as failed keeping what was
learned, transcripts past retention gone with their vault rows) and where transcript text
may be found: in the vault, encrypted, and nowhere else (logs included)."""

from __future__ import annotations

import base64
import logging
import os
from datetime import UTC, datetime
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.signals import request_started
from django.db import connection
from django.test import Client
from django.urls import reverse

from careeros.db.rls import system_context, user_context
from careeros.vault.models import EncryptedData
from interviews import services
from interviews.models import (
    InterviewSession,
    InterviewTranscript,
    SessionStatus,
    SessionType,
    Speaker,
)
from interviews.partitions import month_after, partition_name, transcript_partitions
from interviews.tasks import interviews_nightly
from interviews.transcripts import transcript_turn_add, transcript_turns
from profiles.models import User
from tests.factories import make_user
from tests.interviews.profiles import about, decisions_of, gappy_profile
from tests.interviews.test_partitions import assert_nowhere_in_database

# system_context is the system alias, a connection of its own: committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_nightly_job_is_on_the_beat_schedule() -> None:
    entry = django_settings.CELERY_BEAT_SCHEDULE["interviews-nightly"]
    assert entry["task"] == interviews_nightly.name


def test_the_nightly_job_closes_a_day_old_session_as_failed_keeping_what_it_learned(
    user: User,
) -> None:
    profile = gappy_profile(user)
    session = services.interview_session_start(
        user=user, session_type=SessionType.SKILLS_ASSESSMENT
    )
    services.interview_answer(user=user, session_id=session.pk, text="Four years of Go.")
    fresh = services.interview_session_start(user=user, session_type=SessionType.CAREER_OVERVIEW)
    assert decisions_of(user) == []  # the Go topic is still open (where was it used?)
    with system_context() as system, system.cursor() as cursor:
        cursor.execute(
            "UPDATE interview_sessions SET started_at = now() - interval '25 hours' WHERE id = %s",
            [session.pk],
        )
    result = interviews_nightly()
    assert result["closed_sessions"] == 1
    with user_context(user.pk):
        closed = InterviewSession.objects.get(pk=session.pk)
        assert InterviewSession.objects.get(pk=fresh.pk).status == SessionStatus.ACTIVE
    assert closed.status == SessionStatus.FAILED
    assert closed.ended_at is not None
    (go,) = about(decisions_of(user), profile.go)
    assert go.proposed.fields()["years_of_experience"] == 4
    # A second run changes nothing.
    assert interviews_nightly()["closed_sessions"] == 0
    assert len(decisions_of(user)) == 1


def months_ahead() -> list[str]:
    """This month's partition and the next two."""
    month = datetime.now(UTC).date().replace(day=1)
    ahead = []
    for _ in range(3):
        ahead.append(partition_name(month))
        month = month_after(month)
    return ahead


def test_the_nightly_job_makes_the_months_ahead(db: None) -> None:
    result = interviews_nightly()
    ahead = months_ahead()
    assert result["partitions"] == ahead
    assert set(ahead) <= {p.name for p in transcript_partitions()}


def test_transcripts_past_retention_expire_with_their_vault_rows(user: User, settings) -> None:
    settings.TRANSCRIPT_RETENTION_DAYS = 30
    session = services.interview_session_start(user=user, session_type=SessionType.CAREER_OVERVIEW)
    old = transcript_turn_add(
        session=session,
        speaker=Speaker.USER,
        text="a long time ago",
        created_at=datetime(2025, 2, 10, tzinfo=UTC),
    )
    result = interviews_nightly()
    dropped = result["dropped"]
    assert isinstance(dropped, list)
    assert "interview_transcripts_2025_02" in dropped
    with user_context(user.pk):
        assert not EncryptedData.objects.filter(pk=old.content).exists()
        assert not InterviewTranscript.objects.filter(id=old.id).exists()
    assert [t.text for t in transcript_turns(session=session)] == [
        session.config.plan[0].questions[0]
    ]


def test_an_expired_turn_reads_as_expired_not_as_an_error(user: User) -> None:
    session = services.interview_session_start(user=user, session_type=SessionType.CAREER_OVERVIEW)
    with system_context() as system, system.cursor() as cursor:
        cursor.execute("UPDATE encrypted_data SET expires_at = now() - interval '1 minute'")
    (turn,) = transcript_turns(session=session)
    assert turn.text is None


def _debug_cursor(**kwargs: object) -> None:
    connection.force_debug_cursor = True


def test_transcript_text_is_only_in_the_vault_and_in_no_log(
    signed_in: Client, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    """Questions and an answer nothing was read from are nowhere in the database or the
    logs (SQL with its parameters included); what was read from an answer is kept only in
    merge review (the proposed fact and its evidence), never in the transcript tables."""
    gappy_profile(user)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    connection.force_debug_cursor = True  # every SQL statement with its parameters, logged
    request_started.connect(_debug_cursor)
    signed_in.post(reverse("interview_start"), {"session_type": "skills_assessment"})
    with user_context(user.pk):
        session = InterviewSession.objects.get()
    said_nothing = "Honestly it has been a while, hard to say."
    useful = "Four years of Go, for the billing engine."
    signed_in.post(reverse("interview_answer_hx", args=[session.pk]), {"answer": said_nothing})
    signed_in.post(reverse("interview_answer_hx", args=[session.pk]), {"answer": useful})
    signed_in.post(reverse("interview_end", args=[session.pk]))
    request_started.disconnect(_debug_cursor)
    connection.force_debug_cursor = False
    questions = [t.text or "" for t in transcript_turns(session=session) if not t.by_user]
    assert len(questions) >= 2
    assert "SELECT" in caplog.text  # the SQL was logged
    for text in [*questions, said_nothing]:
        assert text not in caplog.text
    assert_nowhere_in_database(*questions, said_nothing)
    assert_nowhere_in_database(useful, "billing engine", besides=frozenset({"merge_decisions"}))
    with system_context() as system, system.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM merge_decisions WHERE evidence::text LIKE %s",
            ["%Four years of Go%"],
        )
        assert cursor.fetchone() == (1,)
        cursor.execute(
            "SELECT count(*) FROM interview_transcripts t WHERE t::text LIKE %s", [f"%{useful}%"]
        )
        assert cursor.fetchone() == (0,)


@pytest.fixture
def ring_in_env(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    """The test's key ring, also for a worker started after this fixture."""
    entry = f"w1:{base64.b64encode(os.urandom(32)).decode()}"
    settings.ENCRYPTION_KEYS = [entry]
    monkeypatch.setenv("ENCRYPTION_KEYS", entry)


@pytest.mark.django_db(transaction=True)
def test_the_nightly_job_runs_on_a_real_worker(
    ring_in_env: None, celery_worker_process: str
) -> None:
    person = make_user()
    profile = gappy_profile(person)
    session = services.interview_session_start(
        user=person, session_type=SessionType.SKILLS_ASSESSMENT
    )
    services.interview_answer(user=person, session_id=session.pk, text="Four years of Go.")
    with system_context() as system, system.cursor() as cursor:
        cursor.execute(
            "UPDATE interview_sessions SET started_at = now() - interval '2 days' WHERE id = %s",
            [session.pk],
        )
    reply = interviews_nightly.delay().get(timeout=120)
    assert reply["closed_sessions"] == 1
    assert reply["partitions"] == months_ahead()
    with user_context(person.pk):
        assert InterviewSession.objects.get(pk=session.pk).status == SessionStatus.FAILED
    (go,) = about(decisions_of(person), profile.go)
    assert go.proposed.fields()["years_of_experience"] == 4

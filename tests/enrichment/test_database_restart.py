"""The database blinking mid-job: a dropped connection is replaced, a transient database
error retries within the job's budget (ENRICHMENT_JOB_ATTEMPT_CAP) and ends failed with its
message once the budget is spent, and a real PostgreSQL restart under a real worker's job
loses nothing and stores nothing twice."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import psycopg
import pytest
from celery.exceptions import Retry
from django.db import OperationalError, connections
from django.test import Client

from careeros.db.rls import system_context, user_context
from careeros.embedded.postgres import EmbeddedPostgres
from enrichment import services, tasks
from enrichment.models import CareerEnrichment, EnrichmentJob, JobStatus
from enrichment.providers import OfflineProvider
from enrichment.schemas import JobType
from profiles.models import User
from tests.conftest import celery_worker
from tests.enrichment.conftest import wait_for_job
from tests.enrichment.fixtures import create_career
from tests.resumes.test_database_restart import (  # noqa: F401 - fixtures used here
    _terminate_own_session,
    embedded_postgres,
    superuser,
)
from tests.test_openai_provider import FakeOpenAI, Reply, completion, server  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

# The drill's outage: PostgreSQL stopped this long while the job waits for the AI service,
# longer than the AI's answer takes, so the next step meets the database down.
OUTAGE_SECONDS = 6


def _queue(user: User) -> EnrichmentJob:
    create_career(user)
    with user_context(user.pk):
        return services.enrichment_job_queue(
            user=user, job_type=JobType.PROFILE_ANALYSIS, enqueue=False
        )


def _reload(job: EnrichmentJob) -> EnrichmentJob:
    with system_context():
        return EnrichmentJob.objects.get(pk=job.pk)


def _reads_that(
    monkeypatch: pytest.MonkeyPatch, before: Callable[[], None], times: int = 1
) -> list[int]:
    """Make the job's read of the profile call ``before`` first, for its first ``times`` runs."""
    real = services.selectors.profile_entries
    runs: list[int] = []

    def profile_entries(user_id: Any) -> Any:
        runs.append(1)
        if len(runs) <= times:
            before()
        return real(user_id)

    monkeypatch.setattr(services.selectors, "profile_entries", profile_entries)
    return runs


class _DroppingProvider(OfflineProvider):
    """The offline provider, whose "AI call" outlives the worker's database session."""

    def __init__(self, session: psycopg.Connection[Any]) -> None:
        super().__init__()
        self.superuser = session

    def analyse(self, facts: Any) -> Any:
        _terminate_own_session(self.superuser)
        return super().analyse(facts)


def test_a_connection_dropped_during_the_ai_call_is_replaced_before_the_next_step(
    user: User,
    superuser: psycopg.Connection[Any],  # noqa: F811
) -> None:
    """The server ends the worker's session while the provider thinks: the next step checks
    its connection first, and the job completes on its first attempt."""
    job = _queue(user)
    outcome = services.enrichment_job_run(
        job_id=job.pk, user_id=user.pk, provider=_DroppingProvider(superuser)
    )
    assert outcome == "completed"
    assert _reload(job).attempts == 1


def test_a_database_error_mid_job_queues_it_again_within_the_budget(
    user: User,
    superuser: psycopg.Connection[Any],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A query on a session the server ended raises OperationalError mid-job: the broken
    connection is closed, the job queued again saying the database was unavailable, with
    its retry's backoff; the retry completes it, storing one set of results."""

    def lose_the_database() -> None:
        _terminate_own_session(superuser)

    _reads_that(monkeypatch, lose_the_database)
    job = _queue(user)
    with pytest.raises(services.DatabaseUnavailable) as raised:
        services.enrichment_job_run(job_id=job.pk, user_id=user.pk)
    assert isinstance(raised.value.__cause__, OperationalError)
    assert raised.value.held is None  # recorded: nothing held
    assert raised.value.countdown is not None
    assert raised.value.countdown > 0
    queued = _reload(job)
    assert (queued.status, queued.attempts) == (JobStatus.QUEUED, 1)
    assert (queued.current_step or "").startswith(services.DATABASE_UNAVAILABLE)
    assert services.enrichment_job_run(job_id=job.pk, user_id=user.pk) == "completed"
    done = _reload(job)
    assert (done.status, done.attempts) == (JobStatus.COMPLETED, 2)
    with system_context():
        assert CareerEnrichment.objects.filter(job=job).count() == 1


def test_a_database_failing_every_attempt_ends_the_job_failed_with_its_message(
    user: User, other_user: User, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every attempt meets a database error: at ENRICHMENT_JOB_ATTEMPT_CAP the job ends
    failed, "A service this job needs is unavailable — retry later" naming the database,
    with the Retry button on its page (404 for a second user); never queued or processing."""
    settings.ENRICHMENT_JOB_ATTEMPT_CAP = 3

    def fail() -> None:
        raise OperationalError("server closed the connection unexpectedly")

    _reads_that(monkeypatch, fail, times=99)
    job = _queue(user)
    for _ in range(2):
        with pytest.raises(services.DatabaseUnavailable):
            services.enrichment_job_run(job_id=job.pk, user_id=user.pk)
    assert services.enrichment_job_run(job_id=job.pk, user_id=user.pk) == "failed"
    ended = _reload(job)
    assert (ended.status, ended.attempts) == (JobStatus.FAILED, 3)
    assert ended.error_details == services.SERVICE_UNAVAILABLE
    client = Client()
    client.force_login(user)
    page = client.get(f"/career/jobs/{job.pk}/").content.decode()
    assert "A service this job needs is unavailable — retry later" in page
    assert "The database was unavailable" in page
    assert "Retry</button>" in page
    stranger = Client()
    stranger.force_login(other_user)
    assert stranger.get(f"/career/jobs/{job.pk}/").status_code == 404


def test_a_failure_the_database_cannot_record_is_held_and_taken_back_at_once(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database is still down when the failed attempt is to be recorded: the job stays
    processing under its claim, which the retry (told it holds it) takes back at once as
    one more attempt; any other delivery is refused meanwhile."""

    def fail() -> None:
        raise OperationalError("the database system is shutting down")

    _reads_that(monkeypatch, fail)
    real_requeue = services._requeue
    requeues: list[int] = []

    def requeue(*args: Any, **kwargs: Any) -> int | None:
        requeues.append(1)
        if len(requeues) == 1:
            raise OperationalError("connection refused")
        return real_requeue(*args, **kwargs)

    monkeypatch.setattr(services, "_requeue", requeue)
    job = _queue(user)
    with pytest.raises(services.DatabaseUnavailable) as raised:
        services.enrichment_job_run(job_id=job.pk, user_id=user.pk)
    held = raised.value.held
    assert raised.value.countdown is None  # nothing recorded: the task's own backoff
    processing = _reload(job)
    assert processing.status == JobStatus.PROCESSING
    assert held == processing.started_at
    assert services.enrichment_job_run(job_id=job.pk, user_id=user.pk) == "skipped"
    assert services.enrichment_job_run(job_id=job.pk, user_id=user.pk, held=held) == "completed"
    assert _reload(job).attempts == 2


def test_a_held_claim_past_the_budget_ends_the_job_failed(user: User, settings: Any) -> None:
    """Taking back a held claim is an attempt of the budget: the last one ends the job
    failed, naming the database."""
    settings.ENRICHMENT_JOB_ATTEMPT_CAP = 1
    job = _queue(user)
    with user_context(user.pk):
        claim = services.enrichment_job_claim(job_id=job.pk)
        assert claim is not None
        assert services.enrichment_job_claim(job_id=job.pk, held=claim.token) is None
    ended = _reload(job)
    assert ended.status == JobStatus.FAILED
    assert ended.error_details == services.SERVICE_UNAVAILABLE


def test_a_lease_that_ran_out_while_the_database_was_down_is_no_interruption(
    user: User,
    settings: Any,
    embedded_postgres: EmbeddedPostgres,  # noqa: F811
) -> None:
    """PostgreSQL stops with a job processing and stays down past its lease (as when the
    task's retries gave up holding the claim, or the reconciler comes before them): the
    takeover once the server is back is a further attempt ended by the database, not an
    interruption; past ENRICHMENT_JOB_ATTEMPT_CAP it ends failed, naming the database."""
    settings.ENRICHMENT_JOB_LEASE_SECONDS = 1
    settings.ENRICHMENT_JOB_ATTEMPT_CAP = 2
    job = _queue(user)
    for attempt in (1, 2):
        with user_context(user.pk):
            assert services.enrichment_job_claim(job_id=job.pk) is not None
        claimed = _reload(job)
        assert (claimed.attempts, claimed.interruptions) == (attempt, 0)
        embedded_postgres.restart(down_seconds=1.5)  # longer than the lease
        connections.close_all()  # this process's sessions ended with the server
    with user_context(user.pk):
        assert services.enrichment_job_claim(job_id=job.pk) is None
    ended = _reload(job)
    assert ended.status == JobStatus.FAILED
    assert ended.error_details == services.SERVICE_UNAVAILABLE
    assert (ended.attempts, ended.interruptions) == (2, 0)


class _Task:
    """What tasks._retry needs of a bound Celery task: retry()."""

    def __init__(self) -> None:
        self.request = SimpleNamespace(kwargs={}, retries=0)
        self.sent: list[tuple[float, dict[str, Any]]] = []

    def retry(self, *, countdown: float, kwargs: dict[str, Any]) -> Retry:
        self.sent.append((countdown, kwargs))
        return Retry()


def test_a_retry_that_reached_no_database_holds_its_claim_and_backs_off(settings: Any) -> None:
    """Unrecorded failures retry with the backoff of their count in a row, carrying the
    held claim's token; past ENRICHMENT_JOB_ATTEMPT_CAP of them the task stops (the
    reconciler goes on); a recorded one retries after its own countdown."""
    settings.ENRICHMENT_JOB_ATTEMPT_CAP = 3
    settings.PIPELINE_RETRY_BACKOFF_SECONDS = 1
    token = services.timezone.now()
    task = _Task()
    with pytest.raises(Retry):
        tasks._retry(task, "j", "u", services.DatabaseUnavailable(held=token), 1)  # type: ignore[arg-type]
    countdown, kwargs = task.sent[0]
    assert kwargs == {"user_id": "u", "unreachable": 2, "held": token.isoformat()}
    assert 1 <= countdown <= 2  # base × 2^(2-1), with jitter
    task = _Task()
    assert tasks._retry(task, "j", "u", services.DatabaseUnavailable(), 3) == "unavailable"  # type: ignore[arg-type]
    assert task.sent == []
    task = _Task()
    with pytest.raises(Retry):
        tasks._retry(task, "j", "u", services.DatabaseUnavailable(countdown=3.0), 2)  # type: ignore[arg-type]
    assert task.sent == [(3.0, {"user_id": "u"})]


def _answer(user: User) -> dict[str, Any]:
    with user_context(user.pk):
        junior = services.selectors.profile_entries(user.pk)[0]
    return {
        "career_summary": [
            {
                "text": "Cut page load time by 40% at Acme Corp.",
                "cites": [str(junior.ref.version_id)],
            }
        ],
        "professional_strengths": [],
        "growth_trajectory": [],
        "industry_positioning": [],
        "impact_statements": [],
        "narratives": [],
        "confidence": 0.8,
    }


def _worker_env(server: FakeOpenAI, **extra: str) -> dict[str, str]:  # noqa: F811
    return {
        "ENRICHMENT_PROVIDER": "openai",
        "OPENAI_BASE_URL": server.url,
        "OPENAI_API_KEY": "test-key",
        "OPENAI_MAX_RETRIES": "0",
        "OPENAI_TIMEOUT_SECONDS": "30",
        "PIPELINE_RETRY_BACKOFF_SECONDS": "1",
        "PIPELINE_RETRY_BACKOFF_MAX_SECONDS": "2",
        **extra,
    }


def test_the_workers_sessions_ended_mid_job_cost_no_attempt(
    user: User,
    server: FakeOpenAI,  # noqa: F811
    superuser: psycopg.Connection[Any],  # noqa: F811
) -> None:
    """An operator ends every session of a real worker (pg_terminate_backend) while its job
    waits for the AI service: the next step replaces the connection, and the job completes
    once, on its first attempt."""
    job = _queue(user)
    server.replies = [Reply(delay=3, body=completion(json.dumps(_answer(user))))]
    application = f"careeros-test-enrichdrill-{uuid.uuid4().hex[:8]}"
    env = _worker_env(server, PGAPPNAME=application)
    with celery_worker(f"enrterm-{uuid.uuid4().hex[:8]}@localhost", env=env):
        tasks.enrichment_job_run.apply_async(
            (str(job.pk),), {"user_id": str(user.pk)}, queue="ai", routing_key="ai"
        )
        wait_for_job(job.pk, until=lambda j: (j.current_step or "").startswith("Writing"))
        ended = superuser.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000))"
            " FROM pg_stat_activity WHERE application_name = %s",
            [application],
        ).fetchone()
        terminated = time.monotonic()
        done = wait_for_job(job.pk, timeout=60)
        finished = time.monotonic()
    print(
        f"\n{ended[0] if ended else 0} worker session(s) ended mid-job; completed"
        f" {finished - terminated:.1f} s later; attempts {done.attempts}"
    )
    assert ended is not None
    assert ended[0] >= 1
    assert done.status == JobStatus.COMPLETED, done.error_details
    assert done.attempts == 1
    with system_context():
        assert CareerEnrichment.objects.filter(job=job).count() == 1


def test_postgresql_restarted_mid_job_completes_it_exactly_once(
    user: User,
    server: FakeOpenAI,  # noqa: F811
    embedded_postgres: EmbeddedPostgres,  # noqa: F811
) -> None:
    """A real worker's job waits for the AI service; PostgreSQL is stopped (-m fast: every
    session ended) for OUTAGE_SECONDS and started again. The step after the AI's answer
    meets the database down, keeps its claim, retries with backoff and completes once the
    server is back, without the reconciler: attempt 2, one set of results."""
    job = _queue(user)
    answer = completion(json.dumps(_answer(user)))
    server.replies = [Reply(delay=2, body=answer), Reply(body=answer)]
    # Retries that reach no database back off 1–2 s, 2–4 s, then 4–8 s: ten of them (35 s at
    # the least) outlast the outage even when a loaded machine is slow to restart the server.
    env = _worker_env(
        server,
        ENRICHMENT_JOB_ATTEMPT_CAP="10",
        PIPELINE_RETRY_BACKOFF_SECONDS="2",
        PIPELINE_RETRY_BACKOFF_MAX_SECONDS="8",
    )
    with celery_worker(f"enrdrill-{uuid.uuid4().hex[:8]}@localhost", env=env):
        tasks.enrichment_job_run.apply_async(
            (str(job.pk),), {"user_id": str(user.pk)}, queue="ai", routing_key="ai"
        )
        wait_for_job(job.pk, until=lambda j: (j.current_step or "").startswith("Writing"))
        stopped = time.monotonic()
        embedded_postgres.restart(down_seconds=OUTAGE_SECONDS)
        back = time.monotonic()
        connections.close_all()  # this process's sessions ended with the server too
        done = wait_for_job(job.pk, timeout=90)
        finished = time.monotonic()
    print(
        f"\nPostgreSQL down {back - stopped:.1f} s mid-job; completed {finished - back:.1f} s"
        f" after it was back ({finished - stopped:.1f} s after the stop); attempts"
        f" {done.attempts}; AI calls {len(server.requests)}"
    )
    assert done.status == JobStatus.COMPLETED, done.error_details
    assert done.attempts == 2  # the attempt the restart ended, and its retry
    assert len(server.requests) == 2
    with system_context():
        assert CareerEnrichment.objects.filter(job=job).count() == 1

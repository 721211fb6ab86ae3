"""The database blinking mid-stage: a dropped connection is replaced, a transient database
error retries within the stage's budget and ends typed "unavailable" once the budget is
spent, and a real PostgreSQL restart under a real worker loses no upload and does none
twice."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psycopg
import pytest
from celery.exceptions import Reject, Retry
from django.db import OperationalError, connection, connections
from django.test import Client
from kombu.exceptions import OperationalError as BrokerError

from careeros.db.rls import system_context, user_context
from careeros.embedded import default_data_dir, load_state
from careeros.embedded.postgres import EmbeddedPostgres
from profiles.models import User
from resumes import services, tasks
from resumes.models import ParsedResumeEntity, ResumeDiff, ResumeVersion
from resumes.sandbox import parse_document
from resumes.schemas import Failure, Stage, StageStatus, entities_from_extraction
from tests.conftest import celery_worker
from tests.resumes import hostile
from tests.resumes.conftest import upload, uploaded_version, wait_for
from tests.resumes.test_worker_crash import _long_resume

pytestmark = pytest.mark.django_db(transaction=True)

# The drill's outage: PostgreSQL stopped this long mid-parse, longer than the parse itself
# takes, so the stage's finish meets the database down and has to retry.
OUTAGE_SECONDS = 6


@pytest.fixture
def embedded_postgres() -> EmbeddedPostgres:
    postgres = EmbeddedPostgres(default_data_dir())
    port = connection.settings_dict["PORT"]
    if not postgres.is_running() or str(load_state(postgres.state_file).get("port")) != str(port):
        pytest.skip("the database is not the embedded PostgreSQL this test can restart")
    return postgres


@pytest.fixture
def superuser(embedded_postgres: EmbeddedPostgres) -> Iterator[psycopg.Connection[Any]]:
    """A superuser session on the embedded server, to end other sessions as an operator can."""
    with embedded_postgres.superuser_connection() as session:
        yield session


def _reload(version: ResumeVersion) -> ResumeVersion:
    with system_context():
        return ResumeVersion.objects.get(pk=version.pk)


def _terminate_own_session(superuser: psycopg.Connection[Any]) -> None:
    """End this thread's default connection from the server's side, as a restart does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    superuser.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])


def _work_that(
    monkeypatch: pytest.MonkeyPatch, stage: Stage, before: Callable[[], None], times: int = 1
) -> list[int]:
    """Make ``stage``'s work call ``before`` first, for its first ``times`` runs."""
    real = services.STAGE_WORK[stage]
    runs: list[int] = []

    def work(version: ResumeVersion, user_id: Any) -> Any:
        runs.append(1)
        if len(runs) <= times:
            before()
        return real(version, user_id)

    monkeypatch.setitem(services.STAGE_WORK, stage, work)
    return runs


def test_a_connection_dropped_while_the_stage_works_is_replaced_before_it_writes(
    user: User, media_root: Path, superuser: psycopg.Connection[Any], monkeypatch: Any
) -> None:
    """The server ends the worker's session while the file is read (a restart, an idle
    timeout): the finish checks its connection first and completes on the first attempt."""
    version = uploaded_version(user, hostile.plain_text().read_bytes())
    _work_that(monkeypatch, Stage.UPLOAD, lambda: _terminate_own_session(superuser))
    outcome = services.resume_stage_run(
        version_id=version.pk, stage=Stage.UPLOAD, user_id=user.pk, enqueue_next=False
    )
    assert outcome == "completed"
    assert _reload(version).stages.upload.attempts == 1


def test_a_database_error_mid_stage_retries_within_the_budget(
    user: User, media_root: Path, superuser: psycopg.Connection[Any], monkeypatch: Any
) -> None:
    """A query on a connection the server ended raises OperationalError mid-stage: the
    broken connection is closed, the attempt recorded as the database being unavailable,
    the stage pending with its retry's backoff; the retry completes it."""

    def lose_the_database() -> None:
        _terminate_own_session(superuser)
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")  # on the dead session

    _work_that(monkeypatch, Stage.UPLOAD, lose_the_database)
    version = uploaded_version(user, hostile.plain_text().read_bytes())
    with pytest.raises(services.DatabaseUnavailable) as raised:
        services.resume_stage_run(
            version_id=version.pk, stage=Stage.UPLOAD, user_id=user.pk, enqueue_next=False
        )
    assert isinstance(raised.value.__cause__, OperationalError)
    assert raised.value.held is None  # recorded: nothing held
    assert raised.value.countdown is not None
    assert raised.value.countdown > 0
    pending = _reload(version).stages.upload
    assert pending.status == StageStatus.PENDING
    assert pending.failure == Failure.UNAVAILABLE
    assert pending.error == services.DATABASE_UNAVAILABLE
    assert pending.retry_at is not None
    outcome = services.resume_stage_run(
        version_id=version.pk, stage=Stage.UPLOAD, user_id=user.pk, enqueue_next=False
    )
    assert outcome == "completed"
    done = _reload(version).stages.upload
    assert (done.attempts, done.interruptions) == (2, 0)


def test_a_database_failing_every_attempt_ends_typed_unavailable(
    user: User, media_root: Path, settings: Any, monkeypatch: Any, other_user: User
) -> None:
    """Every attempt meets a database error: after RESUME_STAGE_ATTEMPT_CAP attempts the
    version fails, visibly "unavailable — retry later" naming the database, not pending,
    with the Retry button."""
    settings.RESUME_STAGE_ATTEMPT_CAP = 3

    def fail() -> None:
        raise OperationalError("server closed the connection unexpectedly")

    _work_that(monkeypatch, Stage.UPLOAD, fail, times=99)
    version = uploaded_version(user, hostile.plain_text().read_bytes())
    for _ in range(2):
        with pytest.raises(services.DatabaseUnavailable):
            services.resume_stage_run(
                version_id=version.pk, stage=Stage.UPLOAD, user_id=user.pk, enqueue_next=False
            )
    outcome = services.resume_stage_run(
        version_id=version.pk, stage=Stage.UPLOAD, user_id=user.pk, enqueue_next=False
    )
    assert outcome == "failed"
    ended = _reload(version)
    assert ended.processing_status == "failed"
    assert ended.failure == Failure.UNAVAILABLE
    assert ended.stages.upload.attempts == 3
    assert services.DATABASE_UNAVAILABLE in (ended.error or "")
    client = Client()
    client.force_login(user)
    page = client.get(f"/resumes/versions/{version.pk}/").content.decode()
    assert "A service this file needs is unavailable — retry later" in page
    assert "The database was unavailable" in page
    assert "Retry</button>" in page
    stranger = Client()
    stranger.force_login(other_user)
    assert stranger.get(f"/resumes/versions/{version.pk}/").status_code == 404


def test_a_failure_the_database_cannot_record_is_held_and_taken_back_at_once(
    user: User, media_root: Path, monkeypatch: Any
) -> None:
    """The database is still down when the failed attempt is to be recorded: the stage
    stays in progress under the claim, which the retry (told it holds it) takes back at
    once, as one more attempt and no interruption; any other delivery is refused meanwhile."""

    def fail() -> None:
        raise OperationalError("the database system is shutting down")

    _work_that(monkeypatch, Stage.UPLOAD, fail)
    real_release = services._release
    releases: list[int] = []

    def release(*args: Any) -> bool:
        releases.append(1)
        if len(releases) == 1:
            raise OperationalError("connection refused")
        return real_release(*args)

    monkeypatch.setattr(services, "_release", release)
    version = uploaded_version(user, hostile.plain_text().read_bytes())
    with pytest.raises(services.DatabaseUnavailable) as raised:
        services.resume_stage_run(
            version_id=version.pk, stage=Stage.UPLOAD, user_id=user.pk, enqueue_next=False
        )
    assert raised.value.held == 1
    assert raised.value.countdown is None  # nothing recorded: the task's own backoff
    assert _reload(version).stages.upload.status == StageStatus.IN_PROGRESS
    assert (
        services.resume_stage_run(
            version_id=version.pk, stage=Stage.UPLOAD, user_id=user.pk, enqueue_next=False
        )
        == "skipped"
    )
    outcome = services.resume_stage_run(
        version_id=version.pk, stage=Stage.UPLOAD, user_id=user.pk, enqueue_next=False, held=1
    )
    assert outcome == "completed"
    done = _reload(version).stages.upload
    assert (done.attempts, done.interruptions) == (2, 0)


def test_a_held_claim_past_the_budget_ends_typed_unavailable(
    user: User, media_root: Path, settings: Any
) -> None:
    """Taking back a held claim is an attempt of the budget: the last one ends the version
    "unavailable", naming the database."""
    settings.RESUME_STAGE_ATTEMPT_CAP = 1
    version = uploaded_version(user, hostile.plain_text().read_bytes())
    with user_context(user.pk):
        claim = services.resume_stage_claim(version_id=version.pk, stage=Stage.UPLOAD)
        assert claim is not None
        assert (
            services.resume_stage_claim(
                version_id=version.pk, stage=Stage.UPLOAD, held=claim.attempt
            )
            is None
        )
    ended = _reload(version)
    assert ended.failure == Failure.UNAVAILABLE
    assert services.DATABASE_UNAVAILABLE in (ended.error or "")


def test_a_lease_that_ran_out_while_the_database_was_down_is_no_interruption(
    user: User, media_root: Path, settings: Any, embedded_postgres: EmbeddedPostgres
) -> None:
    """PostgreSQL stops with a stage in progress and stays down past its lease (as when the
    task's retries gave up holding the claim, or the reconciler comes before them): the
    takeover once the server is back is a further attempt ended by the database, not an
    interruption; past RESUME_STAGE_ATTEMPT_CAP it ends typed "unavailable", naming it."""
    settings.RESUME_STAGE_LEASE_SECONDS = 1
    settings.RESUME_STAGE_ATTEMPT_CAP = 2
    version = uploaded_version(user, hostile.plain_text().read_bytes())
    for attempt in (1, 2):
        with user_context(user.pk):
            claim = services.resume_stage_claim(version_id=version.pk, stage=Stage.UPLOAD)
        assert claim is not None
        assert (claim.attempt, _reload(version).stages.upload.interruptions) == (attempt, 0)
        embedded_postgres.restart(down_seconds=1.5)  # longer than the lease
        connections.close_all()  # this process's sessions ended with the server
    with user_context(user.pk):
        assert services.resume_stage_claim(version_id=version.pk, stage=Stage.UPLOAD) is None
    ended = _reload(version)
    assert ended.failure == Failure.UNAVAILABLE
    assert services.DATABASE_UNAVAILABLE in (ended.error or "")
    assert (ended.stages.upload.attempts, ended.stages.upload.interruptions) == (2, 0)


def test_an_enrichment_job_the_broker_refuses_is_not_an_error(user: User, monkeypatch: Any) -> None:
    """A completed version queues its enrichment on commit; a broker that refuses the
    message leaves the job queued for the reconciler instead of failing the caller."""
    from enrichment import services as enrichment
    from enrichment.models import EnrichmentJob
    from enrichment.schemas import JobType
    from enrichment.tasks import enrichment_job_run

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise BrokerError("Error 111 connecting to 127.0.0.1. Connection refused.")

    monkeypatch.setattr(enrichment_job_run, "delay", refuse)
    with user_context(user.pk):
        job = enrichment.enrichment_job_queue(user=user, job_type=JobType.PROFILE_ANALYSIS)
        assert EnrichmentJob.objects.get(pk=job.pk).status == "queued"


def test_postgresql_restarted_mid_parse_completes_the_upload_exactly_once(
    signed_in: Client, user: User, media_root: Path, embedded_postgres: EmbeddedPostgres
) -> None:
    """A real worker parses an upload; PostgreSQL is stopped (-m fast: every session ended)
    for OUTAGE_SECONDS and started again. The stage's finish meets the database down, keeps
    its claim, retries with backoff and completes once the server is back, without the
    reconciler: one parse result, one set of entities, one set of diffs."""
    data = _long_resume()
    # Six retries backing off 2 s, 4 s, then 8 s at most wait 19–38 s in all: longer than the
    # outage even when a loaded machine takes seconds to stop and start the server.
    env = {
        "PIPELINE_RETRY_BACKOFF_SECONDS": "2",
        "PIPELINE_RETRY_BACKOFF_MAX_SECONDS": "8",
        "ENRICHMENT_AFTER_UPLOAD": "false",
    }
    with celery_worker(f"pgdrill-{uuid.uuid4().hex[:8]}@localhost", env=env):
        response = upload(signed_in, [("long.txt", data)])
        assert response.status_code == 302
        version_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
        wait_for(version_id, until=lambda v: v.stages.get("parse").status == "in_progress")
        stopped = time.monotonic()
        embedded_postgres.restart(down_seconds=OUTAGE_SECONDS)
        back = time.monotonic()
        connections.close_all()  # this process's sessions ended with the server too
        done = wait_for(version_id, timeout=90)
        finished = time.monotonic()
    parse = done.stages.parse
    print(
        f"\nPostgreSQL down {back - stopped:.1f} s mid-parse; completed {finished - back:.1f} s"
        f" after it was back ({finished - stopped:.1f} s after the stop);"
        f" parse attempts {parse.attempts}, interruptions {parse.interruptions}"
    )
    assert done.processing_status == "completed", done.processing_stages
    assert parse.interruptions == 0
    # The attempt the restart ended and its retry (one, if the parse outlasted the outage).
    assert parse.attempts <= 2
    assert done.stages.complete.attempts == 1
    expected = entities_from_extraction(parse_document(data, "txt").extraction)
    with user_context(user.pk):
        assert ParsedResumeEntity.objects.filter(resume_version_id=version_id).count() == len(
            expected
        )
        assert ResumeDiff.objects.filter(resume_version_id=version_id).count() == 1


def test_the_workers_sessions_ended_mid_parse_cost_no_attempt(
    signed_in: Client, user: User, media_root: Path, superuser: psycopg.Connection[Any]
) -> None:
    """An operator ends every session of a real worker (pg_terminate_backend) while it
    parses: the stage replaces its connection before the finish, and the upload completes
    once, on its first attempt."""
    application = f"careeros-test-pgdrill-{uuid.uuid4().hex[:8]}"
    env = {"PGAPPNAME": application, "ENRICHMENT_AFTER_UPLOAD": "false"}
    with celery_worker(f"pgterm-{uuid.uuid4().hex[:8]}@localhost", env=env):
        response = upload(signed_in, [("long.txt", _long_resume())])
        version_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
        wait_for(version_id, until=lambda v: v.stages.get("parse").status == "in_progress")
        ended = superuser.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000))"
            " FROM pg_stat_activity WHERE application_name = %s",
            [application],
        ).fetchone()
        terminated = time.monotonic()
        done = wait_for(version_id, timeout=60)
        finished = time.monotonic()
    print(
        f"\n{ended[0] if ended else 0} worker session(s) ended mid-parse; completed"
        f" {finished - terminated:.1f} s later; parse attempts {done.stages.parse.attempts}"
    )
    assert ended is not None
    assert ended[0] >= 1
    assert done.processing_status == "completed", done.processing_stages
    assert (done.stages.parse.attempts, done.stages.parse.interruptions) == (1, 0)


class _Task:
    """What _retry needs of a bound Celery task: its request, and retry()."""

    def __init__(self, kwargs: dict[str, Any], *, refuse: bool = False) -> None:
        self.request = SimpleNamespace(kwargs=kwargs, retries=0)
        self.refuse = refuse
        self.sent: list[tuple[float, dict[str, Any]]] = []

    def retry(self, *, countdown: float, kwargs: dict[str, Any]) -> Retry:
        if self.refuse:
            raise Reject(BrokerError("Connection refused"), requeue=False)
        self.sent.append((countdown, kwargs))
        return Retry()


def test_a_retry_that_reached_no_database_holds_its_claims_and_backs_off(
    settings: Any,
) -> None:
    """Unrecorded failures retry with the backoff of their count in a row, carrying every
    held claim forward; past RESUME_STAGE_ATTEMPT_CAP of them the task leaves the stage to
    the reconciler; a recorded failure drops its stage's hold and the count."""
    settings.RESUME_STAGE_ATTEMPT_CAP = 3
    settings.PIPELINE_RETRY_BACKOFF_SECONDS = 1
    task = _Task({"user_id": "u", "held": {"parse": 2}, "unreachable": 1})
    with pytest.raises(Retry):
        tasks._retry(task, "v", Stage.UPLOAD, "u", services.DatabaseUnavailable())  # type: ignore[arg-type]
    countdown, kwargs = task.sent[0]
    assert kwargs == {"user_id": "u", "held": {"parse": 2}, "unreachable": 2}
    assert 1 <= countdown <= 2  # base × 2^(2-1), with jitter
    task = _Task({"user_id": "u", "unreachable": 3})
    outcome = tasks._retry(task, "v", Stage.PARSE, "u", services.DatabaseUnavailable(held=4))  # type: ignore[arg-type]
    assert outcome == "unavailable"
    assert task.sent == []
    recorded = services.DatabaseUnavailable()
    recorded.countdown = 3.0
    task = _Task({"user_id": "u", "held": {"parse": 2}, "unreachable": 2})
    with pytest.raises(Retry):
        tasks._retry(task, "v", Stage.PARSE, "u", recorded)  # type: ignore[arg-type]
    assert task.sent == [(3.0, {"user_id": "u"})]


def test_a_retry_the_broker_refuses_is_left_to_the_reconciler() -> None:
    """The broker down when a stage's retry is published: the task ends "pending" (the row
    has the stage pending with its retry due, which the reconciler enqueues)."""
    failure = services.StageFailed("The AI service failed (503).", transient=True)
    failure.countdown = 2.0
    task = _Task({"user_id": "u"}, refuse=True)
    assert tasks._retry(task, "v", Stage.PARSE, "u", failure) == "pending"  # type: ignore[arg-type]

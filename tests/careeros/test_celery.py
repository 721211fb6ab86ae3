"""Celery: configured for safe redelivery, and a real worker consumes the real broker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

from careeros.celery import app, parse_retry_after, retry_countdown, task_queue
from careeros.tasks import ping
from enrichment.tasks import enrichment_job_run
from resumes.tasks import STAGE_TASKS

STAGES = [
    f"resumes.tasks.resume_{stage}_stage" for stage in ("upload", "parse", "enrich", "complete")
]


def test_celery_configuration_is_safe_for_redelivery() -> None:
    """JSON only, late acks, time limits, and a visibility timeout above the hard limit."""
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.task_always_eager is False


def test_smoke_task_runs_on_a_real_worker(celery_worker_process: str) -> None:
    """The ping task goes through Redis to a separate worker process and back."""
    result = ping.delay("hello")
    reply = result.get(timeout=60)
    assert reply["payload"] == "hello"
    assert reply["worker_host"]
    assert result.successful()


def routed_queue(name: str) -> str:
    """The queue Celery's own router sends ``name`` to."""
    return str(app.amqp.router.route({}, name)["queue"].name)


def test_each_kind_of_work_has_its_own_queue(settings: Any) -> None:
    """Pipeline stages on parsing, AI work on ai, beat's jobs and the rest on housekeeping."""
    app.loader.import_default_modules()
    for name in STAGES:
        assert name in app.tasks
        assert routed_queue(name) == settings.QUEUE_PARSING
    for name in [
        "resumes.tasks.resume_versions_reconcile",
        "enrichment.tasks.enrichment_jobs_reconcile",
        "interviews.tasks.interviews_nightly",
        "careeros.vault.tasks.encrypted_data_cleanup",
    ]:
        assert name in {str(entry["task"]) for entry in settings.CELERY_BEAT_SCHEDULE.values()}
        assert routed_queue(name) == settings.QUEUE_HOUSEKEEPING
    assert routed_queue("enrichment.tasks.enrichment_job_run") == settings.QUEUE_AI
    assert routed_queue("enrichment.tasks.enrich_profile") == settings.QUEUE_AI
    assert routed_queue("interviews.tasks.interview_turn") == settings.QUEUE_AI
    assert routed_queue(ping.name) == settings.QUEUE_HOUSEKEEPING
    assert len({settings.QUEUE_PARSING, settings.QUEUE_AI, settings.QUEUE_HOUSEKEEPING}) == 3


def test_every_task_has_its_queues_time_limits(settings: Any) -> None:
    """Wherever a task runs, it is stopped at its own queue's limits (or limits it set
    itself): no task runs unlimited."""
    app.loader.import_default_modules()
    names = [name for name in app.tasks if not name.startswith("celery.")]
    for name in names:
        task = app.tasks[name]
        assert task.soft_time_limit is not None, name
        assert task.time_limit is not None, name
        explicit = getattr(task, "queue", None)
        if not explicit:
            assert task_queue(name) == routed_queue(name)
    # Tasks that set no limits of their own get exactly their queue's.
    for name in [*STAGES, "resumes.tasks.resume_versions_reconcile", ping.name]:
        task = app.tasks[name]
        soft, hard = settings.CELERY_QUEUE_TIME_LIMITS[routed_queue(name)]
        assert (task.soft_time_limit, task.time_limit) == (soft, hard), name


def test_the_test_worker_consumes_every_queue(celery_worker_process: str, settings: Any) -> None:
    """Worker tests need each queue served: the fixture's worker subscribes to all three."""
    active = app.control.inspect(destination=[celery_worker_process]).active_queues()
    assert active is not None
    names = {queue["name"] for queue in active[celery_worker_process]}
    assert names == set(settings.CELERY_QUEUE_TIME_LIMITS)


def test_retry_countdown_honours_retry_after_in_seconds_and_as_a_date(settings: Any) -> None:
    """A Retry-After is waited out (never less, at most a tenth more), in seconds or as an
    HTTP date; one past the cap waits the cap."""
    settings.PIPELINE_RETRY_BACKOFF_MAX_SECONDS = 300
    for _ in range(50):
        assert 7 <= retry_countdown(1, "7") <= 7.7
        assert 2.5 <= retry_countdown(4, 2.5) <= 2.75
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 28 <= retry_countdown(1, when) <= 33.1
    assert retry_countdown(1, "86400") == 300
    past = format_datetime(datetime.now(UTC) - timedelta(minutes=5), usegmt=True)
    assert retry_countdown(1, past) == 0


def test_retry_countdown_backs_off_exponentially_with_jitter_up_to_the_cap(settings: Any) -> None:
    """Without a usable Retry-After: between half and all of base × 2^(attempt-1), capped."""
    settings.PIPELINE_RETRY_BACKOFF_SECONDS = 5
    settings.PIPELINE_RETRY_BACKOFF_MAX_SECONDS = 60
    for attempt, full in [(1, 5), (2, 10), (3, 20), (4, 40), (5, 60), (12, 60)]:
        waits = {retry_countdown(attempt, "soon") for _ in range(50)}
        assert all(full / 2 <= wait <= full for wait in waits)
        assert len(waits) > 1  # jittered
    assert parse_retry_after(None) is None
    assert parse_retry_after("not a date") is None
    assert parse_retry_after("1.5") == 1.5


def test_pipeline_and_enrichment_tasks_leave_the_retry_budget_to_the_code() -> None:
    """Celery's own max_retries (3 by default) cannot end a stage or job before the attempt
    cap counted in its row does."""
    for task in [*STAGE_TASKS.values(), enrichment_job_run]:
        assert task.max_retries is None

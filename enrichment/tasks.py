"""Enrichment's Celery tasks, on their own queue (``ai``, by ``CELERY_TASK_ROUTES``): a slow
AI answer never holds up the resume pipeline's workers.

``enrichment_job_run`` is a plain task, not ``UserTask``: a job commits several times (its
claim, each step's progress, its results), so ``enrichment.services`` opens its own short
``user_context`` blocks for the ``user_id`` the task was enqueued with. It takes ids only
and is safe to run twice: the claim lets one delivery work and turns the others into no-ops.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from celery import Task, shared_task
from celery.exceptions import Reject, SoftTimeLimitExceeded
from django.conf import settings

from careeros.ai import TransientProviderError
from careeros.celery import SystemTask, retry_countdown
from careeros.db.rls import user_context
from careeros.db.transient import DATABASE_ERRORS, connections_reset
from enrichment import services

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="enrichment.tasks.enrichment_job_run", max_retries=None)
def enrichment_job_run(
    self: Task[Any, Any],
    job_id: str,
    *,
    user_id: str,
    held: str | None = None,
    unreachable: int = 0,
) -> str:
    """Claim and run one enrichment job; transient AI and database failures retry with
    backoff.

    The budget is the job's ``ENRICHMENT_JOB_ATTEMPT_CAP``, counted in its row: once it is
    spent the service ends the job failed instead of raising, so Celery's own retry limit
    is off (``max_retries=None``) and can never end the task first. ``held`` (the token of
    a claim a database error left processing) and ``unreachable`` (retries in a row that
    reached no database) are set by the task's own retries.
    """
    token = datetime.fromisoformat(held) if held else None
    try:
        return services.enrichment_job_run(job_id=job_id, user_id=user_id, held=token)
    except TransientProviderError as error:
        try:
            with user_context(user_id):
                attempts = services.enrichment_job_attempts(job_id=job_id)
        except DATABASE_ERRORS:
            connections_reset()  # the job is queued again: only its backoff is a guess
            attempts = 1
        raise self.retry(countdown=retry_countdown(attempts, error.retry_after)) from error
    except services.DatabaseUnavailable as failure:
        return _retry(self, job_id, user_id, failure, unreachable)
    except DATABASE_ERRORS as error:
        # Raised while recording another failure: nothing is known to be recorded.
        connections_reset()
        return _retry(self, job_id, user_id, services.DatabaseUnavailable(), unreachable, error)
    except SoftTimeLimitExceeded:
        with user_context(user_id):
            services.enrichment_job_fail(
                job_id=job_id, message="The job took too long and was stopped. Retry it."
            )
        return "failed"


def _retry(
    task: Task[Any, Any],
    job_id: str,
    user_id: str,
    failure: services.DatabaseUnavailable,
    unreachable: int,
    cause: BaseException | None = None,
) -> str:
    """Send the task again after the database failure's backoff.

    Recorded (the job queued again): after its ``countdown``. Not recorded: backing off by
    the retries in a row that reached no database, carrying the held claim; after
    ENRICHMENT_JOB_ATTEMPT_CAP of them the task stops, and the reconciler goes on once the
    job's lease runs out. A refused publish is logged: the row says what is due, and the
    reconciler enqueues it.
    """
    kwargs: dict[str, Any] = {"user_id": user_id}
    countdown = failure.countdown
    if countdown is None:
        unreachable += 1
        if unreachable > settings.ENRICHMENT_JOB_ATTEMPT_CAP:
            logger.error(
                "the database stayed unavailable to an enrichment job; the reconciler will go on",
                extra={"job_id": job_id},
            )
            return "unavailable"
        countdown = retry_countdown(unreachable)
        kwargs["unreachable"] = unreachable
        if failure.held is not None:
            kwargs["held"] = failure.held.isoformat()
    try:
        raise task.retry(countdown=countdown, kwargs=kwargs) from cause or failure
    except Reject:
        logger.warning(
            "could not hand an enrichment job's retry to the broker; the reconciler will",
            extra={"job_id": job_id},
            exc_info=True,
        )
        return "queued"


@shared_task(base=SystemTask, name="enrichment.tasks.enrichment_jobs_reconcile")
def enrichment_jobs_reconcile() -> int:
    """Beat, every minute: re-enqueue jobs whose task was lost or whose worker died."""
    return services.enrichment_jobs_reconcile()

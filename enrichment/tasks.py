"""Enrichment's Celery tasks, on their own queue (``ai``, by ``CELERY_TASK_ROUTES``): a slow
AI answer never holds up the resume pipeline's workers.

``enrichment_job_run`` is a plain task, not ``UserTask``: a job commits several times (its
claim, each step's progress, its results), so ``enrichment.services`` opens its own short
``user_context`` blocks for the ``user_id`` the task was enqueued with. It takes ids only
and is safe to run twice: the claim lets one delivery work and turns the others into no-ops.
"""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded

from careeros.ai import TransientProviderError
from careeros.celery import SystemTask, retry_countdown
from careeros.db.rls import user_context
from enrichment import services


@shared_task(bind=True, name="enrichment.tasks.enrichment_job_run", max_retries=None)
def enrichment_job_run(self: Task[Any, Any], job_id: str, *, user_id: str) -> str:
    """Claim and run one enrichment job; transient AI failures retry with backoff.

    The budget is the job's ``ENRICHMENT_JOB_ATTEMPT_CAP``, counted in its row: once it is
    spent the service ends the job failed instead of raising, so Celery's own retry limit
    is off (``max_retries=None``) and can never end the task first.
    """
    try:
        return services.enrichment_job_run(job_id=job_id, user_id=user_id)
    except TransientProviderError as error:
        with user_context(user_id):
            attempts = services.enrichment_job_attempts(job_id=job_id)
        raise self.retry(countdown=retry_countdown(attempts, error.retry_after)) from error
    except SoftTimeLimitExceeded:
        with user_context(user_id):
            services.enrichment_job_fail(
                job_id=job_id, message="The job took too long and was stopped. Retry it."
            )
        return "failed"


@shared_task(base=SystemTask, name="enrichment.tasks.enrichment_jobs_reconcile")
def enrichment_jobs_reconcile() -> int:
    """Beat, every minute: re-enqueue jobs whose task was lost or whose worker died."""
    return services.enrichment_jobs_reconcile()

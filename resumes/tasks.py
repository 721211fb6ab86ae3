"""The resume pipeline's Celery tasks: one per stage, plus the stuck-work reconciler.

The stage tasks are plain tasks, not ``UserTask``: a stage commits several times (its
claim, so the progress bar moves, then its result), and must not hold a transaction open
while a file is parsed, so ``resumes.services.resume_stage_run`` opens its own
``user_context`` blocks for the ``user_id`` the task was enqueued with. Each task takes ids
only and is safe to run twice: the claim (a compare-and-set on the version row) lets one
delivery work and turns the others into no-ops. ``acks_late`` and
``reject_on_worker_lost`` (global settings) bring a task back if its worker dies; the
reconciler covers the case where the broker does not.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from celery.exceptions import Reject, SoftTimeLimitExceeded
from celery.signals import worker_process_init
from django.conf import settings

from careeros.celery import SystemTask, retry_countdown
from careeros.db.rls import user_context
from resumes import services
from resumes.models import ResumeVersion
from resumes.schemas import Failure, Stage, StageStatus

logger = logging.getLogger(__name__)


@worker_process_init.connect
def _preload_readers(**kwargs: Any) -> None:
    """Import the document readers when a pool process starts, not in the first upload."""
    from resumes.sandbox import preload

    preload()


def _run(
    task: Task[Any, Any],
    version_id: str,
    stage: Stage,
    user_id: str,
    held: dict[str, int] | None = None,
) -> str:
    """Run ``stage`` and, while they complete, the stages after it in this same task.

    Going on in-process saves a broker round trip and a task dispatch per stage (most of
    the pipeline's overhead on a small resume). Each stage still has its own claim and
    commits, so progress shows stage by stage; if this worker dies in a later stage, the
    reconciler enqueues that stage's own task. ``held``: a stage's claim (its attempt) that
    an earlier delivery left in progress after a database error, to take back.
    """
    result = "skipped"
    for current in (stage, *stage.following):
        result = _run_stage(task, version_id, current, user_id, (held or {}).get(current))
        if result in ("skipped", "failed") and _completed(version_id, current, user_id):
            # A retry of this task, past the stages it already finished; or a finish whose
            # commit went through although the database's answer was lost.
            continue
        if result != "completed":
            break
    return result


def _completed(version_id: str, stage: Stage, user_id: str) -> bool:
    with user_context(user_id):
        version = ResumeVersion.objects.filter(pk=version_id).first()
        return version is not None and version.stages.get(stage).status == StageStatus.COMPLETED


def _run_stage(
    task: Task[Any, Any], version_id: str, stage: Stage, user_id: str, held: int | None
) -> str:
    try:
        return services.resume_stage_run(
            version_id=version_id, stage=stage, user_id=user_id, enqueue_next=False, held=held
        )
    except services.StageFailed as failure:
        # Transient and within the stage's attempt budget (counted in its row): the stage is
        # pending again. Once the budget is spent resume_stage_run ends the stage failed
        # instead of raising; Celery's own retry limit is off (max_retries=None on the
        # tasks) so that its default of three can never end the task first.
        return _retry(task, version_id, stage, user_id, failure)
    except SoftTimeLimitExceeded:
        with user_context(user_id):
            services.resume_stage_fail(
                version_id=version_id,
                stage=stage,
                message=services.TOO_LONG,
                failure=Failure.TOO_LONG,
            )
        return "failed"


def _retry(
    task: Task[Any, Any], version_id: str, stage: Stage, user_id: str, failure: services.StageFailed
) -> str:
    """Send this task again after the failure's backoff; "pending" if the broker refuses.

    The database not answering at all leaves nothing recorded (no countdown): the retries
    in a row that could not reach it are counted in the message (``unreachable``), which
    sets their backoff; after RESUME_STAGE_ATTEMPT_CAP of them the task stops, leaving the
    row as it was last committed for the reconciler once the database is back (a claim it
    held, its lease run out across the restart, is taken over as no interruption). A
    refused publish (the broker is down) is logged: the stage's row says it is pending with
    its retry due, and the reconciler enqueues it then.
    """
    held = failure.held if isinstance(failure, services.DatabaseUnavailable) else None
    # Carried forward: a retry that cannot reach the database even for an earlier stage
    # still holds the later stage's claim.
    received = task.request.kwargs or {}
    carried: dict[str, int] = dict(received.get("held") or {})
    unreachable = 0
    countdown = failure.countdown
    if countdown is None:
        unreachable = int(received.get("unreachable") or 0) + 1
        if unreachable > settings.RESUME_STAGE_ATTEMPT_CAP:
            logger.error(
                "the database stayed unavailable to a resume stage; the reconciler will go on",
                extra={"version_id": version_id, "stage": stage.value},
            )
            return "unavailable"
        countdown = retry_countdown(unreachable)
        if held is not None:
            carried[stage.value] = held
    else:
        carried.pop(stage.value, None)  # recorded: the stage is pending, no claim held
    kwargs: dict[str, Any] = {"user_id": user_id}
    if carried:
        kwargs["held"] = carried
    if unreachable:
        kwargs["unreachable"] = unreachable
    try:
        raise task.retry(countdown=countdown, kwargs=kwargs) from failure
    except Reject:
        logger.warning(
            "could not hand a resume stage's retry to the broker; the reconciler will",
            extra={"version_id": version_id, "stage": stage.value},
            exc_info=True,
        )
        return "pending"


@shared_task(bind=True, name="resumes.tasks.resume_upload_stage", max_retries=None)
def resume_upload_stage(
    self: Task[Any, Any],
    version_id: str,
    *,
    user_id: str,
    held: dict[str, int] | None = None,
    unreachable: int = 0,
) -> str:
    """Check the stored file: size, and its type from its bytes (refusing hostile files)."""
    return _run(self, version_id, Stage.UPLOAD, user_id, held)


@shared_task(bind=True, name="resumes.tasks.resume_parse_stage", max_retries=None)
def resume_parse_stage(
    self: Task[Any, Any],
    version_id: str,
    *,
    user_id: str,
    held: dict[str, int] | None = None,
    unreachable: int = 0,
) -> str:
    """Extract text and entities in the resource-limited child process."""
    return _run(self, version_id, Stage.PARSE, user_id, held)


@shared_task(bind=True, name="resumes.tasks.resume_enrich_stage", max_retries=None)
def resume_enrich_stage(
    self: Task[Any, Any],
    version_id: str,
    *,
    user_id: str,
    held: dict[str, int] | None = None,
    unreachable: int = 0,
) -> str:
    """Diff the version against its predecessor and against the current profile."""
    return _run(self, version_id, Stage.ENRICH, user_id, held)


@shared_task(bind=True, name="resumes.tasks.resume_complete_stage", max_retries=None)
def resume_complete_stage(
    self: Task[Any, Any],
    version_id: str,
    *,
    user_id: str,
    held: dict[str, int] | None = None,
    unreachable: int = 0,
) -> str:
    """Hand the parsed entities to merge review and mark the version complete."""
    return _run(self, version_id, Stage.COMPLETE, user_id, held)


STAGE_TASKS: dict[Stage, Any] = {
    Stage.UPLOAD: resume_upload_stage,
    Stage.PARSE: resume_parse_stage,
    Stage.ENRICH: resume_enrich_stage,
    Stage.COMPLETE: resume_complete_stage,
}


@shared_task(base=SystemTask, name="resumes.tasks.resume_versions_reconcile")
def resume_versions_reconcile() -> int:
    """Beat, every minute: re-enqueue versions stuck in a non-terminal state (system context)."""
    return services.resume_versions_reconcile()

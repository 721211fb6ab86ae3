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

from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init

from careeros.celery import SystemTask
from careeros.db.rls import user_context
from resumes import services
from resumes.models import ResumeVersion
from resumes.schemas import Failure, Stage, StageStatus


@worker_process_init.connect
def _preload_readers(**kwargs: Any) -> None:
    """Import the document readers when a pool process starts, not in the first upload."""
    from resumes.sandbox import preload

    preload()


def _run(task: Task[Any, Any], version_id: str, stage: Stage, user_id: str) -> str:
    """Run ``stage`` and, while they complete, the stages after it in this same task.

    Going on in-process saves a broker round trip and a task dispatch per stage (most of
    the pipeline's overhead on a small resume). Each stage still has its own claim and
    commits, so progress shows stage by stage; if this worker dies in a later stage, the
    reconciler enqueues that stage's own task.
    """
    result = "skipped"
    for current in (stage, *stage.following):
        result = _run_stage(task, version_id, current, user_id)
        if result == "skipped" and _completed(version_id, current, user_id):
            continue  # a retry of this task, past the stages it already finished
        if result != "completed":
            break
    return result


def _completed(version_id: str, stage: Stage, user_id: str) -> bool:
    with user_context(user_id):
        version = ResumeVersion.objects.filter(pk=version_id).first()
        return version is not None and version.stages.get(stage).status == StageStatus.COMPLETED


def _run_stage(task: Task[Any, Any], version_id: str, stage: Stage, user_id: str) -> str:
    try:
        return services.resume_stage_run(
            version_id=version_id, stage=stage, user_id=user_id, enqueue_next=False
        )
    except services.StageFailed as failure:
        # Transient and within the stage's attempt budget (counted in its row): the stage is
        # pending again. Once the budget is spent resume_stage_run ends the stage failed
        # instead of raising; Celery's own retry limit is off (max_retries=None on the
        # tasks) so that its default of three can never end the task first.
        raise task.retry(countdown=failure.countdown) from failure
    except SoftTimeLimitExceeded:
        with user_context(user_id):
            services.resume_stage_fail(
                version_id=version_id,
                stage=stage,
                message=services.TOO_LONG,
                failure=Failure.TOO_LONG,
            )
        return "failed"


@shared_task(bind=True, name="resumes.tasks.resume_upload_stage", max_retries=None)
def resume_upload_stage(self: Task[Any, Any], version_id: str, *, user_id: str) -> str:
    """Check the stored file: size, and its type from its bytes (refusing hostile files)."""
    return _run(self, version_id, Stage.UPLOAD, user_id)


@shared_task(bind=True, name="resumes.tasks.resume_parse_stage", max_retries=None)
def resume_parse_stage(self: Task[Any, Any], version_id: str, *, user_id: str) -> str:
    """Extract text and entities in the resource-limited child process."""
    return _run(self, version_id, Stage.PARSE, user_id)


@shared_task(bind=True, name="resumes.tasks.resume_enrich_stage", max_retries=None)
def resume_enrich_stage(self: Task[Any, Any], version_id: str, *, user_id: str) -> str:
    """Diff the version against its predecessor and against the current profile."""
    return _run(self, version_id, Stage.ENRICH, user_id)


@shared_task(bind=True, name="resumes.tasks.resume_complete_stage", max_retries=None)
def resume_complete_stage(self: Task[Any, Any], version_id: str, *, user_id: str) -> str:
    """Hand the parsed entities to merge review and mark the version complete."""
    return _run(self, version_id, Stage.COMPLETE, user_id)


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

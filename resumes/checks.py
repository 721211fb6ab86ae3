"""System checks for the resume pipeline's settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def check_resume_pipeline_limits(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    # The pipeline's stages run on the parsing queue, with its time limits.
    soft, hard = settings.CELERY_QUEUE_TIME_LIMITS.get(
        settings.QUEUE_PARSING,
        (settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT),
    )
    lease = settings.RESUME_STAGE_LEASE_SECONDS
    if lease < 6 or lease >= hard:
        errors.append(
            Error(
                f"RESUME_STAGE_LEASE_SECONDS ({lease}s) must be at least 6 and below "
                f"the parsing queue's hard time limit ({hard}s).",
                hint="It is renewed every third of it: shorter, one slow renewal loses a live "
                "stage; longer than the time limit, a dead worker's stage waits for nothing.",
                id="resumes.E001",
            )
        )
    if settings.RESUME_PARSE_LIMITS["wall_seconds"] >= soft:
        errors.append(
            Error(
                f"RESUME_PARSE_WALL_SECONDS ({settings.RESUME_PARSE_LIMITS['wall_seconds']}s) "
                f"must be below the parsing queue's soft time limit ({soft}s).",
                hint="The parsing child must be stopped before Celery stops the task.",
                id="resumes.E002",
            )
        )
    return errors

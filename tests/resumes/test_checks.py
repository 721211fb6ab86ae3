"""System checks on the pipeline's limits."""

from __future__ import annotations

from typing import Any

from resumes.checks import check_resume_pipeline_limits


def test_default_limits_pass() -> None:
    """The defaults satisfy both checks."""
    assert check_resume_pipeline_limits(None) == []


def test_stuck_timeout_must_exceed_the_task_time_limit(settings: Any) -> None:
    """A reconciler faster than the hard time limit would hand running stages to a second worker."""
    settings.RESUME_STUCK_AFTER_SECONDS = settings.CELERY_QUEUE_TIME_LIMITS[settings.QUEUE_PARSING][
        1
    ]
    assert [error.id for error in check_resume_pipeline_limits(None)] == ["resumes.E001"]


def test_parse_wall_clock_must_end_before_the_soft_time_limit(settings: Any) -> None:
    """The parsing child must be stopped before Celery stops the task."""
    settings.RESUME_PARSE_LIMITS = {
        **settings.RESUME_PARSE_LIMITS,
        "wall_seconds": settings.CELERY_QUEUE_TIME_LIMITS[settings.QUEUE_PARSING][0],
    }
    assert [error.id for error in check_resume_pipeline_limits(None)] == ["resumes.E002"]

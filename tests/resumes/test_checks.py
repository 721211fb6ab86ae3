"""System checks on the pipeline's limits."""

from __future__ import annotations

from typing import Any

import pytest

from resumes.checks import check_resume_pipeline_limits


def test_default_limits_pass() -> None:
    """The defaults satisfy both checks."""
    assert check_resume_pipeline_limits(None) == []


@pytest.mark.parametrize("lease", [5, 360])
def test_the_stage_lease_must_be_renewable_and_below_the_time_limit(
    settings: Any, lease: int
) -> None:
    """Too short to renew safely, or as long as the parsing queue's hard time limit: refused."""
    settings.CELERY_QUEUE_TIME_LIMITS = {
        **settings.CELERY_QUEUE_TIME_LIMITS,
        settings.QUEUE_PARSING: (300, 360),
    }
    settings.RESUME_STAGE_LEASE_SECONDS = lease
    assert [error.id for error in check_resume_pipeline_limits(None)] == ["resumes.E001"]


def test_parse_wall_clock_must_end_before_the_soft_time_limit(settings: Any) -> None:
    """The parsing child must be stopped before Celery stops the task."""
    settings.RESUME_PARSE_LIMITS = {
        **settings.RESUME_PARSE_LIMITS,
        "wall_seconds": settings.CELERY_QUEUE_TIME_LIMITS[settings.QUEUE_PARSING][0],
    }
    assert [error.id for error in check_resume_pipeline_limits(None)] == ["resumes.E002"]

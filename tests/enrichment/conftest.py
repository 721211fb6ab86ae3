from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from careeros.db.rls import system_context
from enrichment.models import EnrichmentJob
from tests.resumes.conftest import media_root, pipeline_worker  # noqa: F401 - fixtures used here


def wait_for_job(
    job_id: Any, *, until: Callable[[EnrichmentJob], bool] | None = None, timeout: float = 90
) -> EnrichmentJob:
    """Poll the job row (as the system, reading committed state) until ``until``."""
    until = until or (lambda job: job.is_terminal)
    deadline = time.monotonic() + timeout
    while True:
        with system_context():
            job = EnrichmentJob.objects.get(pk=job_id)
        if until(job):
            return job
        if time.monotonic() > deadline:
            pytest.fail(f"job {job_id} still {job.status} ({job.current_step}) after {timeout} s")
        time.sleep(0.1)

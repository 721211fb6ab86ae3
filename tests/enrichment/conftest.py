from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings

from careeros.celery import app as celery_app
from careeros.db.rls import system_context
from enrichment.models import EnrichmentJob
from tests.conftest import ROOT, database_env_for_children
from tests.resumes.conftest import media_root  # noqa: F401 - a fixture the pipeline test uses


def start_ai_worker(name: str) -> subprocess.Popen[bytes]:
    """A Celery worker consuming the ``ai`` queue (and the default one), in its own process
    group."""
    env = {
        **os.environ,
        **database_env_for_children(),
        "REDIS_URL": settings.REDIS_URL,
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "careeros.worker",
            "worker",
            "--hostname",
            name,
            "--queues",
            ",".join(settings.CELERY_QUEUE_TIME_LIMITS),
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env={**env, **{k: str(v) for k, v in os.environ.items() if k.startswith("ENRICHMENT_")}},
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not celery_app.control.ping(destination=[name], timeout=0.5):
        if process.poll() is not None:
            pytest.fail(f"the Celery worker exited with {process.returncode}")
        if time.monotonic() > deadline:
            pytest.fail("the Celery worker did not answer within 60 s")
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def ai_worker(transactional_db: None, media_root: Any) -> Iterator[str]:  # noqa: F811
    """A real worker on the ``ai`` queue, sharing this test's upload folder."""
    name = f"ai-{uuid.uuid4().hex[:8]}@localhost"
    process = start_ai_worker(name)
    try:
        yield name
    finally:
        stop(process)


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

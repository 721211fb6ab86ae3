"""A worker killed mid-job: the job is taken over after its lease and completes once."""

from __future__ import annotations

import json
import os
import signal
import time
import uuid
from typing import Any

import pytest

from careeros.db.rls import system_context, user_context
from enrichment import services
from enrichment.models import CareerEnrichment, EnrichmentJob, JobStatus
from enrichment.schemas import JobType
from enrichment.tasks import enrichment_job_run
from profiles.models import User
from tests.conftest import start_celery_worker, stop_process
from tests.enrichment.conftest import wait_for_job
from tests.enrichment.fixtures import create_career
from tests.test_openai_provider import FakeOpenAI, Reply, completion, server  # noqa: F401

LEASE_SECONDS = 3


def test_killed_worker_job_is_taken_over_and_completes_once(
    transactional_db: None,
    server: FakeOpenAI,  # noqa: F811
    user: User,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """kill -9 of the worker while the AI answers: after the lease another worker claims
    the job again (attempt 2) and stores one set of results."""
    junior, *_ = create_career(user)
    answer = {
        "career_summary": [
            {"text": "Cut page load time by 40% at Acme Corp.", "cites": [str(junior.pk)]}
        ],
        "professional_strengths": [],
        "growth_trajectory": [],
        "industry_positioning": [],
        "impact_statements": [],
        "narratives": [],
        "confidence": 0.8,
    }
    # The first request hangs (the worker is killed while it waits); the next answers.
    server.replies = [
        Reply(delay=60, body=completion(json.dumps(answer))),
        Reply(body=completion(json.dumps(answer))),
    ]
    for name, value in {
        "ENRICHMENT_PROVIDER": "openai",
        "OPENAI_BASE_URL": server.url,
        "OPENAI_API_KEY": "test-key",
        "OPENAI_MAX_RETRIES": "0",
        "OPENAI_TIMEOUT_SECONDS": "120",
        "ENRICHMENT_JOB_LEASE_SECONDS": str(LEASE_SECONDS),
    }.items():
        monkeypatch.setenv(name, value)
    settings.ENRICHMENT_JOB_LEASE_SECONDS = LEASE_SECONDS
    doomed = start_celery_worker(f"ai-doomed-{uuid.uuid4().hex[:6]}@localhost")
    try:
        with user_context(user.pk):
            job = services.enrichment_job_queue(
                user=user, job_type=JobType.PROFILE_ANALYSIS, enqueue=False
            )
        enrichment_job_run.apply_async(
            (str(job.pk),), {"user_id": str(user.pk)}, queue="ai", routing_key="ai"
        )
        waiting = wait_for_job(job.pk, until=lambda j: (j.current_step or "").startswith("Writing"))
        assert waiting.status == JobStatus.PROCESSING
    finally:
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait()
    assert waiting.attempts == 1
    time.sleep(LEASE_SECONDS + 1)
    rescuer = start_celery_worker(f"ai-rescuer-{uuid.uuid4().hex[:6]}@localhost")
    try:
        with system_context():
            assert services.enrichment_jobs_reconcile() == 1
        done = wait_for_job(job.pk)
    finally:
        stop_process(rescuer)
    assert done.status == JobStatus.COMPLETED, done.error_details
    assert done.attempts == 2
    with system_context():
        stored = list(CareerEnrichment.objects.filter(job=job))
        assert EnrichmentJob.objects.get(pk=job.pk).output.career_enrichment_id == stored[0].pk
    assert len(stored) == 1
    assert stored[0].career_summary == "Cut page load time by 40% at Acme Corp."
    assert stored[0].ai_model_used is not None
    assert stored[0].ai_model_used.startswith("openai:")

"""An AI service that answers every request 429 with Retry-After: the pipeline, on a real
worker and the real broker, makes no more calls than its budget, ends the version in the
visible "AI service unavailable" state, and its Retry completes once the service is back."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from careeros.db.rls import system_context, user_context
from resumes import services
from resumes.models import ParsedResumeEntity, ResumeVersion
from resumes.schemas import Failure, Stage
from resumes.tasks import resume_versions_reconcile
from tests.conftest import celery_worker
from tests.resumes.conftest import upload, uploaded_version, wait_for
from tests.test_openai_provider import (  # noqa: F401
    RESUME,
    FakeOpenAI,
    Reply,
    answer,
    completion,
    server,
)

ATTEMPT_CAP = 3
CLIENT_RETRIES = 1
# Every stage attempt is one request plus the client's own retries.
BUDGET = ATTEMPT_CAP * (CLIENT_RETRIES + 1)
HX = {"HX-Request": "true"}


@pytest.mark.django_db(transaction=True)
def test_a_429_storm_ends_ai_unavailable_within_budget_and_retry_completes(
    server: FakeOpenAI,  # noqa: F811
    signed_in: Client,
    user: Any,
    other_user: Any,
    media_root: Path,
) -> None:
    """Always 429 (Retry-After: 1): at most BUDGET calls, then "The AI service is
    unavailable — retry later" (not "too long"); the owner's Retry (htmx, through the
    view; a second user gets 404) re-queues it, and with the service answering it completes."""
    server.replies = [
        Reply(
            status=429,
            body={"error": {"message": "Rate limit reached", "type": "rate_limit_exceeded"}},
            headers={"Retry-After": "1"},
        )
    ]
    env = {
        "AI_PROVIDER": "openai",
        "OPENAI_BASE_URL": server.url,
        "OPENAI_API_KEY": "test-key",
        "OPENAI_MODEL": "test-model",
        "OPENAI_TIMEOUT_SECONDS": "5",
        "OPENAI_MAX_RETRIES": str(CLIENT_RETRIES),
        "RESUME_STAGE_ATTEMPT_CAP": str(ATTEMPT_CAP),
        "PIPELINE_RETRY_BACKOFF_SECONDS": "0.2",
        "PIPELINE_RETRY_BACKOFF_MAX_SECONDS": "2",
        "ENRICHMENT_AFTER_UPLOAD": "false",
    }
    with celery_worker(f"storm-{uuid.uuid4().hex[:8]}@localhost", env=env):
        started = time.monotonic()
        response = upload(signed_in, [("cv.txt", RESUME.encode())])
        assert response.status_code == 302
        version_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
        failed = wait_for(version_id, timeout=60)
        visible = time.monotonic() - started
        calls = len(server.requests)
        print(f"\n429 storm: {calls} AI calls (budget {BUDGET}), failed after {visible:.1f} s")
        assert failed.processing_status == "failed"
        assert failed.failure == Failure.AI_UNAVAILABLE
        assert failed.stages.parse.attempts == ATTEMPT_CAP
        assert calls <= BUDGET
        assert all(r["path"].endswith("/chat/completions") for r in server.requests)

        page = signed_in.get(f"/resumes/versions/{version_id}/").content.decode()
        assert "The AI service is unavailable — retry later" in page
        assert "took too long" not in page

        # Nothing calls the service again by itself: not the task, not the reconciler.
        with system_context():
            assert resume_versions_reconcile() == 0
        time.sleep(2)
        assert len(server.requests) == calls

        retry = f"/resumes/versions/{version_id}/retry/"
        stranger = Client()
        stranger.force_login(other_user)
        assert stranger.post(retry, headers=HX).status_code == 404
        server.replies = [Reply(body=completion(json.dumps(answer())))]
        restarted = signed_in.post(retry, headers=HX)
        assert restarted.status_code == 200
        assert 'id="version-status"' in restarted.content.decode()
        done = wait_for(version_id, timeout=60)
    assert done.processing_status == "completed", done.processing_stages
    assert len(server.requests) == calls + 1
    with user_context(user.pk):
        labels = set(
            ParsedResumeEntity.objects.filter(resume_version_id=version_id).values_list(
                "ai_model_used", flat=True
            )
        )
    assert labels == {"openai:test-model"}


@pytest.mark.django_db(transaction=True)
def test_a_hung_ai_call_is_the_ai_service_unavailable_not_a_slow_file(
    server: FakeOpenAI,  # noqa: F811
    user: Any,
    media_root: Path,
    settings: Any,
) -> None:
    """An AI call that never answers outlives the parsing child's wall clock for reading a
    file (1 s here), yet ends as the client's timeout: "The AI service is unavailable",
    never "Reading this file took longer than…"."""
    server.replies = [Reply(body=completion(json.dumps(answer())), delay=5)]
    settings.AI_PROVIDER = "openai"
    settings.OPENAI_BASE_URL = server.url
    settings.OPENAI_API_KEY = "test-key"
    settings.OPENAI_TIMEOUT_SECONDS = 1.5
    settings.OPENAI_MAX_RETRIES = 0
    settings.RESUME_PARSE_LIMITS = {**settings.RESUME_PARSE_LIMITS, "wall_seconds": 1}
    settings.RESUME_STAGE_ATTEMPT_CAP = 1
    version = uploaded_version(user, RESUME.encode())
    for stage in (Stage.UPLOAD, Stage.PARSE):
        services.resume_stage_run(
            version_id=version.pk, stage=stage, user_id=user.pk, enqueue_next=False
        )
    with user_context(user.pk):
        ended = ResumeVersion.objects.get(pk=version.pk)
    assert len(server.requests) == 1
    assert ended.processing_status == "failed"
    assert ended.failure == Failure.AI_UNAVAILABLE
    assert (ended.error or "").startswith("The AI service is unavailable — retry later.")
    assert "did not answer" in (ended.error or "")
    assert "took longer" not in (ended.error or "")

"""manage.py enrich_profile: queue, run (here or on a worker), progress, JSON results."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from careeros.db.rls import user_context
from enrichment.models import EnrichmentJob
from profiles.models import User
from tests.enrichment.fixtures import create_career
from tests.test_openai_provider import FakeOpenAI, Reply, server  # noqa: F401

# The command looks the address up through the system login (committed rows only).
pytestmark = pytest.mark.django_db(transaction=True)


def results(output: str) -> dict[str, Any]:
    """The JSON document the command prints after its progress lines."""
    start = output.index("\n{") + 1
    return json.loads(output[start:])


def enrich(*args: str) -> str:
    out = io.StringIO()
    call_command("enrich_profile", *args, stdout=out)
    return out.getvalue()


def test_profile_analysis_in_process(user: User) -> None:
    """The default job runs here, prints each step with its percentage, then the results."""
    create_career(user)
    output = enrich("--user", user.email.upper())
    assert "Reading your profile" in output
    assert "Checking every statement against your profile" in output
    data = results(output)
    assert data["job"]["status"] == "completed"
    assert data["job"]["rejected"] == []
    assert data["career_enrichment"]["growth_trajectory"].startswith("Junior → Senior → Lead")
    assert {n["type"] for n in data["narratives"]} == {
        "transition",
        "growth",
        "achievement",
        "challenge",
    }


def test_bulk_enhancement_in_process(user: User) -> None:
    """Bulk enhancement prints a proposal per entry of the section."""
    create_career(user)
    data = results(enrich("--user", user.email, "--job", "bulk_enhancement"))
    assert len(data["entry_enrichments"]) == 4


def test_profile_analysis_on_the_workers(pipeline_worker: str, user: User) -> None:
    """With --worker the job runs on a Celery worker of the ai queue; the command waits."""
    create_career(user)
    data = results(enrich("--user", user.email, "--worker", "--timeout", "90"))
    assert data["job"]["status"] == "completed"
    assert data["career_enrichment"]["career_summary"]


def test_clear_errors(user: User) -> None:
    """An unknown user, or a resume enrichment without a completed resume, is refused."""
    with pytest.raises(CommandError, match="No user"):
        enrich("--user", "nobody@example.com")
    with pytest.raises(CommandError, match="no completed resume version"):
        enrich("--user", user.email, "--job", "resume_enrichment")
    with pytest.raises(CommandError, match="profile is empty"):
        enrich("--user", user.email)


def test_a_busy_ai_service_ends_the_command_with_a_message_not_a_traceback(
    user: User,
    settings: Any,
    server: FakeOpenAI,  # noqa: F811
) -> None:
    """Run here against an AI service that answers 429: the command says what happened and
    that the job waits for its retry; the job is queued again, not lost."""
    create_career(user)
    settings.ENRICHMENT_PROVIDER = "openai"
    settings.OPENAI_BASE_URL = server.url
    settings.OPENAI_API_KEY = "test-key"
    settings.OPENAI_MAX_RETRIES = 0
    server.replies = [Reply(status=429, body={"error": {"message": "busy"}})]
    with pytest.raises(CommandError, match="queued again") as raised:
        enrich("--user", user.email)
    assert "Traceback" not in str(raised.value)
    assert len(server.requests) == 1
    with user_context(user.pk):
        job = EnrichmentJob.objects.get(user=user)
    assert job.status == "queued"
    assert job.attempts == 1

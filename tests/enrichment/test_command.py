"""manage.py enrich_profile: queue, run (here or on a worker), progress, JSON results."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from profiles.models import User
from tests.enrichment.fixtures import create_career

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

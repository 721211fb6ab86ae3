"""Operators see every enrichment table in the admin; the reconciler finds stuck jobs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from careeros.db.rls import system_context, user_context
from enrichment import services
from enrichment.models import EnrichmentJob
from enrichment.schemas import JobType
from profiles.models import User
from tests.enrichment.fixtures import create_career

# The admin and system_context use the system alias, a connection of its own.
pytestmark = pytest.mark.django_db(transaction=True)


def test_operators_see_the_enrichment_tables(client: Client, user: User) -> None:
    """Each table's changelist lists every user's rows for an operator, read-only."""
    create_career(user)
    with user_context(user.pk):
        job = services.enrichment_job_queue(
            user=user, job_type=JobType.PROFILE_ANALYSIS, enqueue=False
        )
    services.enrichment_job_run(job_id=job.pk, user_id=user.pk)
    operator = User.objects.create_superuser("ops@example.com", "x-ops-password-1")
    client.force_login(operator)
    for model in ("enrichmentjob", "careerenrichment", "careernarrative"):
        page = client.get(f"/admin/enrichment/{model}/")
        assert page.status_code == 200, model
        assert user.email in page.content.decode(), model
    assert client.get("/admin/enrichment/enrichmentjob/add/").status_code == 403


def test_reconciler_re_enqueues_stuck_jobs(user: User) -> None:
    """A job silent for longer than the lease is handed to the queue again."""
    with user_context(user.pk):
        job = services.enrichment_job_queue(
            user=user, job_type=JobType.PROFILE_ANALYSIS, enqueue=False
        )
        fresh = services.enrichment_job_queue(
            user=user, job_type=JobType.PROFILE_ANALYSIS, enqueue=False
        )
    with system_context():
        EnrichmentJob.objects.filter(pk=job.pk).update(
            updated_at=timezone.now() - timedelta(hours=1)
        )
        assert services.enrichment_jobs_reconcile() == 1
    assert fresh.pk != job.pk

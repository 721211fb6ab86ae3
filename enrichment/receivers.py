"""Enrichment's answer to the resume pipeline: a completed version queues its enrichment."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.dispatch import receiver

from enrichment.schemas import JobInput, JobType
from enrichment.services import enrichment_job_queue
from profiles.models import User
from resumes.signals import version_completed


@receiver(version_completed)
def resume_version_enrich(
    sender: object, *, version_id: UUID, user_id: UUID | str, **kwargs: Any
) -> None:
    """Queue a ``resume_enrichment`` job for what the version added or changed."""
    if not settings.ENRICHMENT_AFTER_UPLOAD:
        return
    enrichment_job_queue(
        user=User(pk=user_id),
        job_type=JobType.RESUME_ENRICHMENT,
        input=JobInput(resume_version_id=version_id),
    )

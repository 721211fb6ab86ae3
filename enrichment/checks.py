"""System checks for enrichment's settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def check_enrichment_settings(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    # Enrichment jobs run on the ai queue, with its time limits.
    _, hard = settings.CELERY_QUEUE_TIME_LIMITS.get(
        settings.QUEUE_AI, (settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT)
    )
    if hard >= settings.ENRICHMENT_JOB_LEASE_SECONDS:
        errors.append(
            Error(
                f"ENRICHMENT_JOB_LEASE_SECONDS ({settings.ENRICHMENT_JOB_LEASE_SECONDS}s) must "
                f"exceed the ai queue's hard time limit ({hard}s).",
                hint="Otherwise a job still working could be taken over by a second worker.",
                id="enrichment.E001",
            )
        )
    if settings.ENRICHMENT_PROVIDER not in ("offline", "openai"):
        errors.append(
            Error(
                f"ENRICHMENT_PROVIDER is {settings.ENRICHMENT_PROVIDER!r}.",
                hint="Use offline (the default, no key) or openai.",
                id="enrichment.E002",
            )
        )
    elif settings.ENRICHMENT_PROVIDER == "openai" and not (
        settings.OPENAI_API_KEY or settings.OPENAI_BASE_URL
    ):
        errors.append(
            Error(
                "ENRICHMENT_PROVIDER is openai but neither OPENAI_API_KEY nor OPENAI_BASE_URL "
                "is set.",
                hint="Set the key (or a local endpoint), or use the offline provider.",
                id="enrichment.E003",
            )
        )
    return errors

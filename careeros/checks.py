"""System checks for configuration the later parts depend on.

They run with every management command (``manage.py check``, ``migrate``, ``runserver``)
so a misconfigured deployment fails loudly at start-up instead of at the first upload.
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from careeros.celery import task_queue

AI_PROVIDERS = ("rules", "learned", "openai")
# The tasks that call the AI service, by name (careeros imports no app), and the setting
# that makes them call it: the resume pipeline's parse stage and enrichment's jobs.
AI_TASKS = {
    "resumes.tasks.resume_parse_stage": "AI_PROVIDER",
    "enrichment.tasks.enrichment_job_run": "ENRICHMENT_PROVIDER",
}
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@register(Tags.compatibility)
def check_celery_limits(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    limits = {
        "CELERY_TASK": (settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT)
    }
    for queue, pair in settings.CELERY_QUEUE_TIME_LIMITS.items():
        limits[f"queue {queue!r}"] = pair
    for name, (soft, hard) in limits.items():
        if soft >= hard:
            errors.append(
                Error(
                    f"{name}: the soft time limit ({soft}s) must be below the hard one ({hard}s).",
                    hint="The soft limit lets a task clean up before the hard limit kills it.",
                    id="careeros.E001",
                )
            )
        if visibility <= hard:
            errors.append(
                Error(
                    f"The broker visibility timeout ({visibility}s) must exceed {name}'s "
                    f"hard time limit ({hard}s).",
                    hint="Otherwise Redis redelivers a task that is still running. "
                    "Raise CELERY_VISIBILITY_TIMEOUT.",
                    id="careeros.E002",
                )
            )
    return errors


@register()
def check_database_roles(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    roles = {"DATABASE_APP_ROLE": settings.DATABASE_APP_ROLE}
    roles["DATABASE_SYSTEM_ROLE"] = settings.DATABASE_SYSTEM_ROLE
    for name, role in roles.items():
        if not IDENTIFIER.match(role):
            errors.append(
                Error(
                    f"{name} {role!r} is not a plain PostgreSQL role name.",
                    hint="Use lower-case letters, digits and underscores.",
                    id="careeros.E003",
                )
            )
    if settings.DATABASE_APP_ROLE == settings.DATABASE_SYSTEM_ROLE:
        errors.append(
            Error(
                "DATABASE_APP_ROLE and DATABASE_SYSTEM_ROLE must differ: the system role "
                "sees every user's rows.",
                id="careeros.E008",
            )
        )
    return errors


@register()
def check_ai_provider(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    if settings.AI_PROVIDER not in AI_PROVIDERS:
        errors.append(
            Error(
                f"AI_PROVIDER {settings.AI_PROVIDER!r} is not one of {', '.join(AI_PROVIDERS)}.",
                id="careeros.E004",
            )
        )
    elif settings.AI_PROVIDER == "openai" and not (
        settings.OPENAI_API_KEY or settings.OPENAI_BASE_URL
    ):
        errors.append(
            Error(
                "AI_PROVIDER is 'openai' but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set.",
                hint="Set OPENAI_API_KEY, or OPENAI_BASE_URL for a local compatible server.",
                id="careeros.E005",
            )
        )
    if settings.OPENAI_BASE_URL:
        parsed = urlparse(settings.OPENAI_BASE_URL)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            errors.append(
                Error(
                    f"OPENAI_BASE_URL {settings.OPENAI_BASE_URL!r} is not an http(s) URL.",
                    id="careeros.E006",
                )
            )
    return errors


@register(Tags.compatibility)
def check_ai_timeout_within_time_limit(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """One AI call with all the client's retries must end before the soft time limit of the
    queue it runs on: otherwise a hung service is stopped as a task that took too long, not
    reported (and retried) as the AI service being unavailable."""
    errors: list[CheckMessage] = []
    worst = settings.OPENAI_TIMEOUT_SECONDS * (settings.OPENAI_MAX_RETRIES + 1)
    for task, provider_setting in AI_TASKS.items():
        if getattr(settings, provider_setting, None) != "openai":
            continue
        queue = task_queue(task)
        soft, _ = settings.CELERY_QUEUE_TIME_LIMITS.get(
            queue, (settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT)
        )
        if worst >= soft:
            errors.append(
                Error(
                    f"OPENAI_TIMEOUT_SECONDS ({settings.OPENAI_TIMEOUT_SECONDS:g}) × "
                    f"(OPENAI_MAX_RETRIES + 1) ({settings.OPENAI_MAX_RETRIES + 1}) = "
                    f"{worst:g}s is not below the soft time limit ({soft}s) of the queue "
                    f"{queue!r}, where {task} calls the AI service.",
                    hint="Lower OPENAI_TIMEOUT_SECONDS or OPENAI_MAX_RETRIES, or raise that "
                    "queue's soft time limit (PARSING_SOFT_TIME_LIMIT, AI_SOFT_TIME_LIMIT).",
                    id="careeros.E010",
                )
            )
    return errors


@register(Tags.compatibility)
def check_enrichment_backoff_within_lease(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """The longest wait before an enrichment job's retry (retry_countdown's cap, Retry-After
    included) must be shorter than its lease: a job queued for a retry, or a claim held for
    one after a database error, looks lost to the reconciler once the lease has run out,
    which would run it before its retry is due (ignoring the service's Retry-After) or
    count a live retry as an interrupted worker."""
    cap = float(settings.PIPELINE_RETRY_BACKOFF_MAX_SECONDS)
    lease = settings.ENRICHMENT_JOB_LEASE_SECONDS
    if cap < lease:
        return []
    return [
        Error(
            f"PIPELINE_RETRY_BACKOFF_MAX_SECONDS ({cap:g}s) must be below "
            f"ENRICHMENT_JOB_LEASE_SECONDS ({lease}s).",
            hint="An enrichment job waiting this long for its retry would be taken for lost "
            "and run again by the reconciler. Lower the backoff cap or raise the lease.",
            id="careeros.E011",
        )
    ]


@register()
def check_service_urls(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """DATABASE_URL and REDIS_URL come from the environment or an entry point."""
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if not missing:
        return []
    return [
        Error(
            f"{' and '.join(missing)} not set.",
            hint="Start CareerOS through ./dev, manage.py, careeros.wsgi or careeros.worker, "
            "which start the embedded servers for what is unset, or set them to your servers.",
            id="careeros.E009",
        )
    ]

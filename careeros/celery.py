"""The Celery application; configuration comes from Django settings (CELERY_*).

Tasks that touch user data use ``base=UserTask`` and take the owner's ``user_id`` as a
keyword argument: the body runs in one transaction that sees only that user's rows.
System-wide jobs (reconcilers, cleanup) use ``base=SystemTask``, the explicit bypass.
"""

from __future__ import annotations

import os
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from fnmatch import fnmatchcase
from typing import Any

from celery import Celery, Task
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careeros.settings")

app = Celery("careeros")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def task_queue(name: str, explicit: str | None = None) -> str:
    """The queue a task named ``name`` goes to, as Celery routes it: its own ``queue``
    option, else CELERY_TASK_ROUTES (exact names, then patterns in order), else the
    default queue."""
    if explicit:
        return explicit
    routes: dict[str, dict[str, str]] = settings.CELERY_TASK_ROUTES
    if name in routes:
        return routes[name]["queue"]
    for pattern, route in routes.items():
        if fnmatchcase(name, pattern):
            return route["queue"]
    return str(settings.CELERY_TASK_DEFAULT_QUEUE)


def retry_countdown(attempt: int, retry_after: str | float | None = None) -> float:
    """Seconds to wait before attempt ``attempt + 1`` of work that failed transiently.

    A Retry-After the service sent (seconds, or an HTTP date) is honoured: never earlier,
    plus up to a tenth more so that the callers it told the same do not all come back at
    once. Otherwise capped exponential backoff with jitter: between half and all of
    ``PIPELINE_RETRY_BACKOFF_SECONDS × 2^(attempt-1)``. Either way at most
    ``PIPELINE_RETRY_BACKOFF_MAX_SECONDS``.
    """
    cap = float(settings.PIPELINE_RETRY_BACKOFF_MAX_SECONDS)
    asked = parse_retry_after(retry_after)
    if asked is not None:
        return min(cap, asked + random.uniform(0, asked / 10))  # noqa: S311 - jitter, not secrets
    base = float(settings.PIPELINE_RETRY_BACKOFF_SECONDS)
    delay = min(cap, base * 2 ** max(0, attempt - 1))
    return random.uniform(delay / 2, delay)  # noqa: S311


def parse_retry_after(value: str | float | None) -> float | None:
    """A Retry-After header's seconds from now (a number or an HTTP date), or None."""
    if value is None or value == "":
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        try:
            moment = parsedate_to_datetime(str(value))
        except (TypeError, ValueError, IndexError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        seconds = (moment - datetime.now(UTC)).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


class QueueTimeLimits:
    """Task annotation (CELERY_TASK_ANNOTATIONS): every task gets its queue's time limits
    from CELERY_QUEUE_TIME_LIMITS unless it sets its own, wherever it runs."""

    def annotate(self, task: Task) -> dict[str, int] | None:
        limits = settings.CELERY_QUEUE_TIME_LIMITS.get(
            task_queue(task.name, getattr(task, "queue", None))
        )
        if limits is None:
            return None
        soft, hard = limits
        own = {"soft_time_limit": task.soft_time_limit, "time_limit": task.time_limit}
        chosen = {"soft_time_limit": soft, "time_limit": hard}
        return {key: value for key, value in chosen.items() if own[key] is None}

    def annotate_any(self) -> None:
        return None


class UserTask(Task):
    """Run the task body in the RLS context of its ``user_id`` keyword argument."""

    abstract = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from careeros.db.rls import user_context

        if "user_id" not in kwargs:
            raise TypeError(f"{self.name} must be called with user_id=… (keyword).")
        with user_context(kwargs["user_id"]):
            return super().__call__(*args, **kwargs)


class SystemTask(Task):
    """Run the task body with the row level security bypass: system jobs only."""

    abstract = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from careeros.db.rls import system_context

        with system_context():
            return super().__call__(*args, **kwargs)

"""The Celery application; configuration comes from Django settings (CELERY_*).

Tasks that touch user data use ``base=UserTask`` and take the owner's ``user_id`` as a
keyword argument: the body runs in one transaction that sees only that user's rows.
System-wide jobs (reconcilers, cleanup) use ``base=SystemTask``, the explicit bypass.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careeros.settings")

app = Celery("careeros")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


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

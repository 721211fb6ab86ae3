"""Infrastructure tasks."""

from __future__ import annotations

import socket

from celery import shared_task

from careeros.celery import UserTask
from careeros.db.rls import current_user_id


@shared_task
def ping(payload: str = "ping") -> dict[str, str]:
    """Answer with the payload and the worker's host: proves a worker consumes the queue."""
    return {"payload": payload, "worker_host": socket.gethostname()}


@shared_task(base=UserTask)
def row_level_security_probe(*, user_id: str) -> dict[str, str | int | None]:
    """Report the RLS user a task body runs as and how many profiles it sees (exactly 1).

    Operators use it to verify a worker's database role and policies after a deploy.
    """
    from profiles.models import Profile

    return {"user_id": current_user_id(), "profiles_visible": Profile.objects.count()}

"""Tasks of accounts and profiles."""

from __future__ import annotations

from celery import shared_task

from careeros.celery import UserTask
from careeros.db.rls import current_user_id
from profiles.models import Profile


@shared_task(base=UserTask)
def row_level_security_probe(*, user_id: str) -> dict[str, str | int | None]:
    """Report the RLS user a task body runs as and how many profiles it sees (exactly 1).

    Operators use it to verify a worker's database role and policies after a deploy.
    """
    return {"user_id": current_user_id(), "profiles_visible": Profile.objects.count()}

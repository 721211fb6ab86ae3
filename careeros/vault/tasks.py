"""The vault's Celery task: the nightly cleanup that celery beat runs at 02:00.

A plain task, not ``SystemTask``: that base runs the whole body in one transaction, and
the cleanup must commit batch by batch so no batch's row locks outlive it. The service
opens the system context (the RLS bypass) per batch instead.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from careeros.vault import services

# Seconds of the soft time limit left unused: the budget ends between batches, and one
# batch takes well under a second (bench/vault.py), so this margin is generous.
TIME_LIMIT_MARGIN_SECONDS = 30


@shared_task(name="careeros.vault.tasks.encrypted_data_cleanup")
def encrypted_data_cleanup() -> dict[str, int | bool]:
    """Delete the expired encrypted_data rows in batches; a no-op while another cleanup runs.

    When the time budget runs out first, the task enqueues itself again to go on.
    """
    soft_limit = encrypted_data_cleanup.soft_time_limit or settings.CELERY_TASK_SOFT_TIME_LIMIT
    budget = max(soft_limit - TIME_LIMIT_MARGIN_SECONDS, 1)
    result = services.encrypted_data_cleanup(time_budget_seconds=budget)
    if not result.finished and not result.locked_out:
        encrypted_data_cleanup.delay()
    return {
        "deleted": result.deleted,
        "batches": result.batches,
        "locked_out": result.locked_out,
        "finished": result.finished,
    }

"""Data-rights tasks: building a "download all my data" archive, and the hourly cleanup.

The build task is a plain task taking ids: it commits its progress several times, so it
opens its own ``user_context`` blocks (``exports.archive``) instead of ``UserTask``'s one
transaction.
"""

from __future__ import annotations

from celery import shared_task

from careeros.celery import SystemTask
from exports import archive


@shared_task(name="exports.tasks.data_export_build")
def data_export_build_task(export_id: str, *, user_id: str) -> str:
    return archive.data_export_build(export_id=export_id, user_id=user_id)


@shared_task(name="exports.tasks.data_exports_cleanup", base=SystemTask)
def data_exports_cleanup() -> int:
    return archive.data_exports_cleanup()

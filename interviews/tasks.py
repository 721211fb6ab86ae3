"""The interviews' nightly job (celery beat, 03:00): partitions ahead, stale sessions
closed, transcripts past retention dropped.

A plain task, not ``SystemTask``: each part opens the system context for its own short
transactions (dropping a month must not wait inside one long transaction).
"""

from __future__ import annotations

from celery import shared_task

from interviews.partitions import (
    transcript_partitions_drop_expired,
    transcript_partitions_ensure_ahead,
)
from interviews.services import interview_sessions_close_stale


@shared_task(name="interviews.tasks.interviews_nightly")
def interviews_nightly() -> dict[str, object]:
    """Make the coming months' partitions, close sessions active for over a day as failed
    (keeping what they learned), drop transcripts past retention. Safe to run twice."""
    made = transcript_partitions_ensure_ahead()
    closed = interview_sessions_close_stale()
    retention = transcript_partitions_drop_expired()
    return {
        "partitions": made,
        "closed_sessions": closed,
        "dropped": retention.dropped,
        "turns_deleted": retention.turns_deleted,
        "vault_rows_deleted": retention.vault_rows_deleted,
    }

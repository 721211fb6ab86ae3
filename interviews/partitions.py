"""The monthly partitions of ``interview_transcripts``: made ahead, made on demand, dropped
past retention.

Partitions are named ``interview_transcripts_YYYY_MM`` and cover a calendar month in UTC.
They are made by one SQL function (migration 0002), which also gives each its row level
security; the nightly job makes the next ``PARTITIONS_AHEAD`` months, and every insert makes
sure of its own month first (``transcript_partition_ensure``), so an insert never fails for
want of a partition, even when the job did not run. A month whose whole range is older than
``TRANSCRIPT_RETENTION_DAYS`` is dropped whole, after its turns' vault rows are deleted.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from psycopg import sql

from careeros.db.rls import system_context

logger = logging.getLogger(__name__)

PARENT = "interview_transcripts"
NAME = re.compile(rf"^{PARENT}_(\d{{4}})_(\d{{2}})$")
# Months made ahead by the nightly job, beyond the current one: a missed night or two (or
# a month's turn during an outage of the beat) never reaches an unprepared month.
PARTITIONS_AHEAD = 2

# Months this process knows to exist (the partition function is cheap, but one round trip
# an insert is one too many). Dropping only ever removes months long past.
_known: set[str] = set()


@dataclass(frozen=True)
class Partition:
    name: str
    start: date  # first day of its month

    @property
    def end(self) -> date:
        return month_after(self.start)


def month_after(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def partition_name(at: datetime | date) -> str:
    if isinstance(at, datetime):
        at = at.astimezone(UTC).date()
    return f"{PARENT}_{at.year:04d}_{at.month:02d}"


def transcript_partition_ensure(at: datetime, using: str = DEFAULT_DB_ALIAS) -> str:
    """Make sure the partition of ``at``'s month exists (creating it if not); its name."""
    name = partition_name(at)
    if name in _known:
        return name
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT interview_transcripts_partition_ensure(%s)", [at])
        (made,) = cursor.fetchone()
    # Only once it is committed: a rolled-back transaction takes its new partition with it.
    transaction.on_commit(lambda: _known.add(made), using=using)
    return str(made)


def transcript_partitions_ensure_ahead(
    *, months: int = PARTITIONS_AHEAD, now: datetime | None = None
) -> list[str]:
    """Make this month's partition and the next ``months`` ones; their names."""
    start = (now or timezone.now()).astimezone(UTC).date().replace(day=1)
    names = []
    for _ in range(months + 1):
        names.append(transcript_partition_ensure(datetime(start.year, start.month, 1, tzinfo=UTC)))
        start = month_after(start)
    return names


def transcript_partitions(using: str = DEFAULT_DB_ALIAS) -> list[Partition]:
    """Every partition of the table, oldest first."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [PARENT],
        )
        names = [name for (name,) in cursor.fetchall()]
    partitions = []
    for name in names:
        match = NAME.match(name)
        if match:
            partitions.append(Partition(name, date(int(match[1]), int(match[2]), 1)))
    return sorted(partitions, key=lambda p: p.start)


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Turns created before this have outlived ``TRANSCRIPT_RETENTION_DAYS``."""
    return (now or timezone.now()) - timedelta(days=settings.TRANSCRIPT_RETENTION_DAYS)


@dataclass(frozen=True)
class RetentionResult:
    dropped: list[str]
    turns_deleted: int  # turns past retention in a month not yet over (deleted one by one)
    vault_rows_deleted: int
    vault_seconds: float = 0.0  # deleting the dropped months' vault rows
    drop_seconds: float = 0.0  # the DROP TABLE statements themselves


def transcript_partitions_drop_expired(
    *, now: datetime | None = None, using: str = DEFAULT_DB_ALIAS
) -> RetentionResult:
    """Drop every month whose range ended before the retention cutoff, and delete the
    older turns of the month the cutoff falls in; with them, their vault rows.

    System context: the retention of every user's transcripts. Each month is dropped in a
    transaction of its own, so a failure leaves the months before it done.
    """
    cutoff = retention_cutoff(now)
    dropped: list[str] = []
    vault_rows = 0
    vault_seconds = drop_seconds = 0.0
    for partition in transcript_partitions(using):
        end = datetime(partition.end.year, partition.end.month, 1, tzinfo=UTC)
        if end > cutoff:
            continue
        with system_context() as system, system.cursor() as cursor:
            table = sql.Identifier(partition.name)
            started = time.perf_counter()
            cursor.execute(
                sql.SQL(
                    "DELETE FROM encrypted_data WHERE id IN (SELECT content::uuid FROM {})"
                ).format(table)
            )
            vault_rows += cursor.rowcount
            vault_seconds += time.perf_counter() - started
            started = time.perf_counter()
            cursor.execute("SELECT interview_transcripts_partition_drop(%s)", [partition.name])
            drop_seconds += time.perf_counter() - started
            if cursor.fetchone()[0]:
                dropped.append(partition.name)
                _known.discard(partition.name)
    with system_context() as system, system.cursor() as cursor:
        cursor.execute(
            "WITH gone AS (DELETE FROM interview_transcripts WHERE created_at < %s "
            "RETURNING content), vault AS (DELETE FROM encrypted_data "
            "WHERE id IN (SELECT content::uuid FROM gone) RETURNING 1) "
            "SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM vault)",
            [cutoff],
        )
        turns, loose = cursor.fetchone()
    vault_rows += loose
    if dropped or vault_rows:
        logger.info(
            "interview transcripts past retention",
            extra={"dropped": dropped, "vault_rows_deleted": vault_rows},
        )
    return RetentionResult(
        dropped=dropped,
        turns_deleted=turns,
        vault_rows_deleted=vault_rows,
        vault_seconds=vault_seconds,
        drop_seconds=drop_seconds,
    )

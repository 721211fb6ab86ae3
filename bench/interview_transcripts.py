"""Interview transcripts at scale: 1,000,000 turns over 24 monthly partitions.

1. Seeds 20 turns a session (the number of sessions follows from ``--turns``) for 1,000
   users, spread evenly over the last 24 months, with ``generate_series`` in SQL (as the
   system role, so row level security is on throughout), and a vault row for every turn of
   the oldest month (what dropping it must clean up).
2. Loading one session's transcript as the runtime role in its owner's context, the query
   ``interviews.transcripts.session_turns`` makes (bounded by the session's times, so the
   planner prunes to its month's partition), and the same query without the time bound
   (every partition's index probed); median and worst over 200 sessions, with the plans.
3. Dropping the oldest month past retention (``transcript_partitions_drop_expired``: its
   vault rows deleted, the partition dropped) against deleting the next month's rows with
   DELETE (rolled back), with their times.

Runs in a ``careeros_bench_interviews`` database of its own (created once, kept; the
interview tables are emptied each run). Usage:
``.venv/bin/python bench/interview_transcripts.py [--turns 1000000]``
(honours DATABASE_URL like the app; the embedded server otherwise).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careeros.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from psycopg import sql  # noqa: E402

from careeros.db.rls import system_context, user_context  # noqa: E402
from careeros.db.roles import owner_connection  # noqa: E402
from interviews.models import InterviewSession  # noqa: E402
from interviews.partitions import (  # noqa: E402
    month_after,
    partition_name,
    transcript_partition_ensure,
    transcript_partitions,
    transcript_partitions_drop_expired,
)
from interviews.transcripts import session_turns  # noqa: E402

USERS = 1_000
MONTHS = 24
TURNS_PER_SESSION = 20
SAMPLES = 200


def load() -> str:
    """The 1/5/15-minute load averages: the machine is shared, figures move with them."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def prepare() -> list[str]:
    """Create the bench database if needed, empty the interview tables, return user ids."""
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "careeros_bench_interviews"
    with owner_connection():
        connection.creation.create_test_db(verbosity=0, keepdb=True, serialize=False)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO users (id, password, email, is_active, is_staff, is_superuser)"
                " SELECT gen_random_uuid(), '!', 'interviewbench' || n || '@example.com', true,"
                " false, false FROM generate_series(1, %s) n ON CONFLICT DO NOTHING",
                [USERS],
            )
            cursor.execute("SELECT id::text FROM users WHERE email LIKE 'interviewbench%%'")
            user_ids = [row[0] for row in cursor.fetchall()]
            # The owner may truncate (row level security does not apply to TRUNCATE).
            cursor.execute("TRUNCATE interview_sessions CASCADE")
    with system_context() as system, system.cursor() as cursor:
        cursor.execute("DELETE FROM encrypted_data WHERE purpose = 'bench_transcript'")
    return user_ids


def first_month(now: datetime) -> datetime:
    month = now.date().replace(day=1)
    for _ in range(MONTHS - 1):
        month = (month - timedelta(days=1)).replace(day=1)
    return datetime(month.year, month.month, 1, tzinfo=UTC)


def seed(turns: int, now: datetime, user_ids: list[str]) -> tuple[float, int]:
    """Sessions and turns over the last ``MONTHS`` months; returns (seconds, sessions)."""
    sessions = max(turns // TURNS_PER_SESSION, 1)
    start = first_month(now)
    month = start
    while month <= now:  # every month's partition, through the function the app uses
        transcript_partition_ensure(month)
        month = datetime.combine(month_after(month.date()), datetime.min.time(), tzinfo=UTC)
    span = (now - start).total_seconds() - 3600
    started = time.perf_counter()
    with system_context() as system, system.cursor() as cursor:
        cursor.execute(
            "INSERT INTO interview_sessions (id, user_id, session_type, status, started_at,"
            " ended_at, created_at, updated_at)"
            " SELECT gen_random_uuid(), u.ids[1 + n %% array_length(u.ids, 1)],"
            " 'career_overview', 'completed', t, t + interval '30 minutes', t, t"
            " FROM generate_series(0, %(sessions)s - 1) n,"
            " LATERAL (SELECT %(start)s::timestamptz + make_interval(secs => n * %(step)s) t) s,"
            " (SELECT %(users)s::uuid[] ids) u",
            {
                "sessions": sessions,
                "start": start,
                "step": span / sessions,
                "users": user_ids,
            },
        )
        cursor.execute(
            "INSERT INTO interview_transcripts (session_id, speaker, content, timestamp_ms,"
            " is_encrypted, created_at)"
            " SELECT s.id, CASE WHEN k %% 2 = 0 THEN 'assistant' ELSE 'user' END,"
            " gen_random_uuid()::text, k * 45000, true,"
            " s.started_at + make_interval(secs => k * 45)"
            " FROM interview_sessions s, generate_series(0, %s - 1) k",
            [TURNS_PER_SESSION],
        )
        # The oldest month's turns get vault rows, which dropping the month must delete.
        cursor.execute(
            sql.SQL(
                "INSERT INTO encrypted_data (id, user_id, encrypted_content, encryption_method,"
                " key_id, initialization_vector, content_type, content_size, purpose, created_at)"
                " SELECT t.content::uuid, s.user_id, decode(repeat(md5(t.content), 6), 'hex'),"
                " 'aes-256-gcm', 'bench', decode(left(md5(t.id::text), 24), 'hex'),"
                " 'text/plain; charset=utf-8', 80, 'bench_transcript',"
                " t.created_at FROM {} t JOIN interview_sessions s ON s.id = t.session_id"
            ).format(sql.Identifier(partition_name(start)))
        )
    with owner_connection(), connection.cursor() as cursor:
        cursor.execute("ANALYZE interview_sessions")
        cursor.execute("ANALYZE interview_transcripts")
        cursor.execute("ANALYZE encrypted_data")
    return time.perf_counter() - started, sessions


def timed(label: str, queries: list[tuple[str, str, list[Any]]]) -> None:
    """Median and worst of running each (user, sql, params) in its owner's context."""
    times = []
    rows = 0
    for user_id, query, params in queries:
        with user_context(user_id), connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(query, params)
            rows += len(cursor.fetchall())
            times.append(time.perf_counter() - started)
    print(
        f"  {label}: median {statistics.median(times) * 1000:.2f} ms, worst "
        f"{max(times) * 1000:.2f} ms over {len(times)} sessions "
        f"({rows / len(times):.0f} turns each)"
    )


def plan(user_id: str, query: str, params: list[Any]) -> None:
    with user_context(user_id), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + query, params)
        for (line,) in cursor.fetchall():
            print(f"    {line}")


def bench_load() -> None:
    with system_context():
        picked = list(InterviewSession.objects.order_by("?").values_list("pk", "user_id")[:SAMPLES])
    bounded: list[tuple[str, str, list[Any]]] = []
    unbounded: list[tuple[str, str, list[Any]]] = []
    for session_id, user_id in picked:
        with user_context(user_id):
            session = InterviewSession.objects.get(pk=session_id)
            query, params = session_turns(session).query.sql_with_params()
            bounded.append((str(user_id), query, list(params)))
        unbounded.append(
            (
                str(user_id),
                "SELECT * FROM interview_transcripts WHERE session_id = %s ORDER BY created_at, id",
                [session_id],
            )
        )
    print("Loading one session's transcript (runtime role, owner's context, RLS on):")
    timed("bounded by the session's times (session_turns)", bounded)
    timed("by session_id alone", unbounded)
    print("  plan, bounded:")
    plan(*bounded[0])
    print("  plan, by session_id alone (first lines):")
    with user_context(unbounded[0][0]), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + unbounded[0][1], unbounded[0][2])
        lines = [line for (line,) in cursor.fetchall()]
    for line in lines[:8]:
        print(f"    {line}")
    print(f"    … {len(lines)} plan lines in all")


def bench_drop(now: datetime) -> None:
    oldest = transcript_partitions()[0]
    end = datetime(oldest.end.year, oldest.end.month, 1, tzinfo=UTC)
    # "Now" as the day the oldest month passes retention, so only it is dropped.
    at = end + timedelta(days=settings.TRANSCRIPT_RETENTION_DAYS)
    with system_context() as system, system.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {oldest.name}")  # noqa: S608 - our own name
        turns = cursor.fetchone()[0]
    print(f"Dropping the oldest month past retention ({oldest.name}, {turns:,} turns):")
    started = time.perf_counter()
    result = transcript_partitions_drop_expired(now=min(at, now))
    elapsed = time.perf_counter() - started
    print(
        f"  transcript_partitions_drop_expired: {elapsed * 1000:.0f} ms; dropped "
        f"{result.dropped}, {result.vault_rows_deleted:,} vault rows deleted, "
        f"{result.turns_deleted:,} loose turns deleted"
    )
    print(
        f"    of which deleting the vault rows {result.vault_seconds * 1000:.0f} ms, "
        f"the DROP TABLE {result.drop_seconds * 1000:.0f} ms (its ACCESS EXCLUSIVE lock on the "
        "parent is held that long)"
    )
    following = transcript_partitions()[0]
    low = datetime(following.start.year, following.start.month, 1, tzinfo=UTC)
    high = datetime(following.end.year, following.end.month, 1, tzinfo=UTC)
    with transaction.atomic(), system_context() as system, system.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            "DELETE FROM interview_transcripts WHERE created_at >= %s AND created_at < %s",
            [low, high],
        )
        deleted = cursor.rowcount
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    print(
        f"  for comparison, DELETE of the next month's {deleted:,} turns (rows only, no vault "
        f"rows): {elapsed * 1000:.0f} ms (rolled back; leaves dead tuples for VACUUM)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=1_000_000)
    args = parser.parse_args()
    user_ids = prepare()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"machine: {os.cpu_count()} CPUs, load average {load()}; PostgreSQL {version}")
    now = datetime.now(UTC)
    seconds, sessions = seed(args.turns, now, user_ids)
    with system_context() as system, system.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM interview_transcripts")
        total = cursor.fetchone()[0]
    print(
        f"seeded {total:,} turns of {sessions:,} sessions over {len(transcript_partitions())} "
        f"partitions in {seconds:.1f} s"
    )
    bench_load()
    bench_drop(now)
    print(f"load average at the end: {load()}")


if __name__ == "__main__":
    main()

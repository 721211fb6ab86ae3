"""Owner-keyed policies at 1,000,000 rows: the plan and time of every protected query.

Builds (once, kept for re-runs) a ``careeros_bench_owner`` database with 2,000 users, each
with a stream of 50 versions (100,000 ``resume_versions``), 10 parsed entities and one diff
per version (1,000,000 ``parsed_resume_entities``, 100,000 ``resume_diffs``) and 5 interview
sessions of 100 turns (1,000,000 ``interview_transcripts``). Rows are inserted without a
``user_id``: the triggers set it from the parent, as they do for the app.

Then, as the runtime role in one user's context, it runs the queries the app makes of these
tables (the ORM's SQL), prints each one's median time and its plan, and says whether the
plan reads the protected table through an index. With ``--subquery`` it also runs each one
under the former policy (the owner looked up through the parent with a subquery), swapped
in inside a transaction that is rolled back, for comparison.

Usage: ``.venv/bin/python bench/rls_owner_policies.py [--runs 20] [--subquery]`` (honours
DATABASE_URL like the app; the embedded server otherwise).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careeros.settings")

import django

from careeros.embedded import export_environment

export_environment()
django.setup()

from django.conf import settings  # noqa: E402
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction  # noqa: E402
from django.db.models import QuerySet  # noqa: E402

from careeros.db.rls import OWNER_CONDITION, USER_SETTING, user_context  # noqa: E402
from careeros.db.roles import owner_connection  # noqa: E402
from interviews.models import InterviewSession, InterviewTranscript  # noqa: E402
from interviews.transcripts import session_turns  # noqa: E402
from resumes.models import ParsedResumeEntity, ResumeDiff, ResumeVersion  # noqa: E402
from resumes.selectors import versions_for  # noqa: E402

USERS = 2_000
VERSIONS_PER_USER = 50
ENTITIES_PER_VERSION = 10
SESSIONS_PER_USER = 5
TURNS_PER_SESSION = 100

# The policies this change replaced, for --subquery.
SUBQUERY_POLICIES = {
    "resume_versions": "stream_id IN (SELECT id FROM resume_streams"
    " WHERE user_id = app_current_user_id())",
    "parsed_resume_entities": "resume_version_id IN (SELECT v.id FROM resume_versions v"
    " JOIN resume_streams s ON s.id = v.stream_id WHERE s.user_id = app_current_user_id())",
    "resume_diffs": "resume_version_id IN (SELECT v.id FROM resume_versions v"
    " JOIN resume_streams s ON s.id = v.stream_id WHERE s.user_id = app_current_user_id())",
    "interview_transcripts": "session_id IN (SELECT id FROM interview_sessions"
    " WHERE user_id = app_current_user_id())",
}


def prepare() -> str:
    """Create and fill the bench database if needed; return the user id to query."""
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "careeros_bench_owner"
    with owner_connection():
        connection.creation.create_test_db(verbosity=0, keepdb=True, serialize=False)
        connections[settings.SYSTEM_DB_ALIAS].creation.set_as_test_mirror(connection.settings_dict)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM users")
            if cursor.fetchone()[0] < USERS:
                with transaction.atomic():
                    fill(cursor)
            cursor.execute("SELECT id FROM users ORDER BY email LIMIT 1 OFFSET %s", [USERS // 2])
            return str(cursor.fetchone()[0])


def fill(cursor: object) -> None:
    run = cursor.execute  # type: ignore[attr-defined]
    # Every table is under forced row level security: the owner writes as the system role.
    run(f"SET LOCAL ROLE {settings.DATABASE_SYSTEM_ROLE}")
    steps = [
        (
            "users",
            "INSERT INTO users (id, password, email, is_active, is_staff, is_superuser) "
            "SELECT gen_random_uuid(), '!', 'bench' || n || '@example.com', true, false, false "
            "FROM generate_series(1, %s) n",
            [USERS],
        ),
        (
            "resume_streams",
            "INSERT INTO resume_streams (user_id, name) SELECT id, 'My resume' FROM users",
            [],
        ),
        (
            "resume_versions",
            "INSERT INTO resume_versions (stream_id, version_number, original_filename, "
            "processing_status, created_at) "
            "SELECT s.id, n, 'cv-' || n || '.pdf', 'completed', now() - make_interval(days => n) "
            "FROM resume_streams s CROSS JOIN generate_series(1, %s) n",
            [VERSIONS_PER_USER],
        ),
        (
            "parsed_resume_entities",
            "INSERT INTO parsed_resume_entities (resume_version_id, entity_type, entity_data) "
            "SELECT v.id, 'skill', jsonb_build_object('name', 'Skill ' || n) "
            "FROM resume_versions v CROSS JOIN generate_series(1, %s) n",
            [ENTITIES_PER_VERSION],
        ),
        (
            "resume_diffs",
            "INSERT INTO resume_diffs (resume_version_id, comparison_type, differences) "
            "SELECT id, 'version_to_profile', '{}' FROM resume_versions",
            [],
        ),
        (
            "interview_sessions",
            "INSERT INTO interview_sessions (user_id, started_at) "
            "SELECT u.id, now() - interval '1 hour' "
            "FROM users u CROSS JOIN generate_series(1, %s)",
            [SESSIONS_PER_USER],
        ),
        (
            "interview_transcripts",
            "INSERT INTO interview_transcripts (session_id, speaker, content, created_at) "
            "SELECT s.id, 'user', gen_random_uuid()::text, "
            "s.started_at + make_interval(secs => n) "
            "FROM interview_sessions s CROSS JOIN generate_series(1, %s) n",
            [TURNS_PER_SESSION],
        ),
    ]
    for table, statement, params in steps:
        started = time.perf_counter()
        run(statement, params)
        print(f"filled {table}: {cursor.rowcount:,} rows in {time.perf_counter() - started:.1f} s")  # type: ignore[attr-defined]
    run("RESET ROLE")
    for table, _, _ in steps:
        run(f"ANALYZE {table}")


def queries(user_id: str) -> dict[str, QuerySet[Any]]:
    """The app's reads of the protected tables, as its code builds them."""
    version = ResumeVersion.objects.filter(user_id=user_id).order_by("version_number").last()
    session = InterviewSession.objects.filter(user_id=user_id).first()
    assert version is not None
    assert session is not None
    return {
        "versions of the user (resumes.selectors.versions_for)": versions_for(user_id),  # type: ignore[arg-type]
        "one version by id (the pipeline's claim)": ResumeVersion.objects.filter(pk=version.pk),
        "every visible version (the policy alone)": ResumeVersion.objects.all(),
        "a version's parsed entities (review)": ParsedResumeEntity.objects.filter(
            resume_version=version
        ).order_by("created_at"),
        "every visible parsed entity (the policy alone)": ParsedResumeEntity.objects.all(),
        "a version's diffs": ResumeDiff.objects.filter(resume_version=version),
        "a session's turns (interviews.transcripts.session_turns)": session_turns(session),
        "every visible turn (the policy alone)": InterviewTranscript.objects.all(),
    }


def timed(statement: str, params: Any, runs: int) -> float:
    samples = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            started = time.perf_counter()
            cursor.execute(statement, params)
            cursor.fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def plan(cursor: object, statement: str, params: Any) -> str:
    cursor.execute("EXPLAIN " + statement, params)  # type: ignore[attr-defined]
    return "\n".join(row[0] for row in cursor.fetchall())  # type: ignore[attr-defined]


def reads_by_index(text: str) -> bool:
    """No sequential scan of a protected table that holds rows: the empty months ahead of
    interview_transcripts are scanned so (there is nothing to read), never the full ones."""
    scanned = re.findall(r"Seq Scan on (\w+)", text)
    if not scanned:
        return True
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relname = ANY(%s) AND reltuples > 0", [scanned]
        )
        return cursor.fetchone()[0] == 0


def with_subquery_policies(
    user_id: str, statement: str, params: Any, runs: int
) -> tuple[float, str]:
    """The same query under the former policies, on the owner's connection acting as the
    runtime role, in a transaction rolled back at the end."""
    with (
        owner_connection() as owner,
        transaction.atomic(using=owner.alias),
        owner.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'interview_transcripts'::regclass"
        )
        partitions = [name for (name,) in cursor.fetchall()]
        tables = {
            **SUBQUERY_POLICIES,
            **dict.fromkeys(partitions, SUBQUERY_POLICIES["interview_transcripts"]),
        }
        for table, condition in tables.items():
            cursor.execute(f"ALTER POLICY {table}_owner ON {table} USING ({condition})")
        cursor.execute(f"SET LOCAL ROLE {settings.DATABASE_APP_ROLE}")
        cursor.execute("SELECT set_config(%s, %s, true)", [USER_SETTING, user_id])
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            cursor.execute(statement, params)
            cursor.fetchall()
            samples.append((time.perf_counter() - started) * 1000)
        text = plan(cursor, statement, params)
        transaction.set_rollback(True, using=owner.alias)
    return statistics.median(samples), text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--subquery", action="store_true", help="compare with the old policies")
    args = parser.parse_args()
    user_id = prepare()
    with connection.cursor() as cursor:
        for table in SUBQUERY_POLICIES:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
            print(f"{table}: ~{cursor.fetchone()[0]:,} rows")
        cursor.execute("SELECT count(*) FROM parsed_resume_entities")  # runtime role, no context
        assert cursor.fetchone()[0] == 0
    all_indexed = True
    measured = []
    with user_context(user_id):
        for name, query in queries(user_id).items():
            statement, params = query.query.sql_with_params()
            timed(statement, params, 3)  # warm the cache
            median = timed(statement, params, args.runs)
            with connection.cursor() as cursor:
                text = plan(cursor, statement, params)
            indexed = reads_by_index(text)
            all_indexed &= indexed
            measured.append((name, statement, params))
            print(
                f"\n== {name}: median {median:.3f} ms over {args.runs} runs; "
                f"{'index' if indexed else 'SEQUENTIAL SCAN'}"
            )
            print("  " + text.replace("\n", "\n  "))
    print(f"\nevery protected query reads through an index: {all_indexed}")
    if args.subquery:
        # The owner's connection replaces the runtime one for this part.
        print(f"\nunder the former subquery policies ({OWNER_CONDITION!r} swapped out):")
        for name, statement, params in measured:
            before, before_plan = with_subquery_policies(user_id, statement, params, args.runs)
            print(
                f"  {name}: median {before:.3f} ms; "
                f"{'index' if reads_by_index(before_plan) else 'SEQUENTIAL SCAN'}"
            )
            if not reads_by_index(before_plan):
                print("    " + before_plan.replace("\n", "\n    "))


if __name__ == "__main__":
    main()

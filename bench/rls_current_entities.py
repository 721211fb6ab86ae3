"""What row level security costs: one user's current entities among 1,000,000 rows.

Builds (once, kept for re-runs) a ``careeros_bench`` database with ``work_experience``
holding 1,000,000 rows of 5,000 users (200 versions each, 20 of them current), and
``work_experience_plain``, a copy with the same rows and indexes but no row level security.
Then it times the query the profile pages run, ``WorkExperience.objects.for_user(u).current()``,
on one connection in the user's context, A/B interleaved:

- A, with RLS: on ``work_experience``, where the owner policy applies;
- B, without RLS: the same SQL on ``work_experience_plain``.

Each round runs ``--batch`` queries of each, the order alternating between rounds so drift
and caching hit both alike; it prints each side's median and p95 and the median of the
rounds' A/B ratios.

Usage: ``.venv/bin/python bench/rls_current_entities.py [--rounds 30] [--batch 20]`` (honours
DATABASE_URL like the app; the embedded server otherwise).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careeros.settings")

import django

from careeros.embedded import export_environment

export_environment()
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402

from careeros.db.rls import user_context  # noqa: E402
from careeros.db.roles import owner_connection  # noqa: E402
from profiles.models import WorkExperience  # noqa: E402

USERS = 5_000
VERSIONS_PER_USER = 200
CURRENT_PER_USER = 20


def prepare() -> str:
    """Create and fill the bench database if needed; return the user id to query."""
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "careeros_bench"
    with owner_connection():
        connection.creation.create_test_db(verbosity=0, keepdb=True, serialize=False)
        # The system login uses the same database (as the tests' mirror does).
        connections[settings.SYSTEM_DB_ALIAS].creation.set_as_test_mirror(connection.settings_dict)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM users")
            if cursor.fetchone()[0] < USERS:
                with transaction.atomic():
                    fill(cursor)
            cursor.execute("SELECT to_regclass('work_experience_plain') IS NULL")
            if cursor.fetchone()[0]:
                with transaction.atomic():
                    copy_without_rls(cursor)
            cursor.execute("SELECT id FROM users ORDER BY email LIMIT 1 OFFSET %s", [USERS // 2])
            return str(cursor.fetchone()[0])


def fill(cursor: object) -> None:
    started = time.perf_counter()
    # users is under forced row level security too: the owner writes as the system role.
    cursor.execute(f"SET LOCAL ROLE {settings.DATABASE_SYSTEM_ROLE}")  # type: ignore[attr-defined]
    cursor.execute(  # type: ignore[attr-defined]
        "INSERT INTO users (id, password, email, is_active, is_staff, is_superuser) "
        "SELECT gen_random_uuid(), '!', 'bench' || n || '@example.com', true, false, false "
        "FROM generate_series(1, %s) n",
        [USERS],
    )
    # Each user: CURRENT_PER_USER jobs, each with VERSIONS_PER_USER / CURRENT_PER_USER
    # versions of which the last is current.
    versions = VERSIONS_PER_USER // CURRENT_PER_USER
    cursor.execute(  # type: ignore[attr-defined]
        """
        INSERT INTO work_experience (user_id, logical_entity_id, version, is_current, title,
                                     company, start_date, source, operation, change_reason)
        SELECT u.id, job.logical_id, v, v = %(versions)s,
               'Engineer ' || v, 'Company ' || job.n, '2020-01', 'manual', 'revise', ''
          FROM users u
          CROSS JOIN LATERAL (
            SELECT n, md5(u.id::text || '-' || n)::uuid AS logical_id
              FROM generate_series(1, %(jobs)s) n
          ) job
          CROSS JOIN generate_series(1, %(versions)s) v
        """,
        {"versions": versions, "jobs": CURRENT_PER_USER},
    )
    cursor.execute("RESET ROLE")  # type: ignore[attr-defined]
    cursor.execute("ANALYZE work_experience")  # type: ignore[attr-defined]
    cursor.execute("ANALYZE users")  # type: ignore[attr-defined]
    print(f"filled work_experience in {time.perf_counter() - started:.1f} s")


def copy_without_rls(cursor: object) -> None:
    """The same rows and indexes in a table without row level security (B of the A/B)."""
    started = time.perf_counter()
    cursor.execute(f"SET LOCAL ROLE {settings.DATABASE_SYSTEM_ROLE}")  # type: ignore[attr-defined]
    cursor.execute("CREATE TEMP TABLE bench_rows AS SELECT * FROM work_experience")  # type: ignore[attr-defined]
    cursor.execute("RESET ROLE")  # type: ignore[attr-defined]
    cursor.execute(  # type: ignore[attr-defined]
        "CREATE TABLE work_experience_plain (LIKE work_experience INCLUDING ALL)"
    )
    cursor.execute("INSERT INTO work_experience_plain SELECT * FROM bench_rows")  # type: ignore[attr-defined]
    cursor.execute(  # type: ignore[attr-defined]
        f"GRANT SELECT ON work_experience_plain TO {settings.DATABASE_APP_ROLE}"
    )
    cursor.execute("ANALYZE work_experience_plain")  # type: ignore[attr-defined]
    print(f"copied work_experience without RLS in {time.perf_counter() - started:.1f} s")


def timed(run: object, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        rows = run()  # type: ignore[operator]
        samples.append((time.perf_counter() - started) * 1000)
        assert rows == CURRENT_PER_USER, rows
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--batch", type=int, default=20)
    args = parser.parse_args()
    user_id = prepare()
    query = WorkExperience.objects.for_user(user_id).current()
    sql, params = query.query.sql_with_params()
    plain_sql = sql.replace('"work_experience"', '"work_experience_plain"')
    assert plain_sql != sql

    def runner(statement: str) -> object:
        def count_rows() -> int:
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                return len(cursor.fetchall())

        return count_rows

    with_rls, without_rls = runner(sql), runner(plain_sql)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM work_experience")  # runtime role, no context
        assert cursor.fetchone()[0] == 0

    samples: dict[str, list[float]] = {"A": [], "B": []}
    ratios = []
    with user_context(user_id):
        timed(with_rls, 20)  # warm the cache
        timed(without_rls, 20)
        for number in range(args.rounds):
            order = [("A", with_rls), ("B", without_rls)]
            medians = {}
            for side, run in order if number % 2 == 0 else reversed(order):
                batch = timed(run, args.batch)
                samples[side] += batch
                medians[side] = statistics.median(batch)
            ratios.append(medians["A"] / medians["B"])
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            plan_rls = "\n".join(row[0] for row in cursor.fetchall())

    total = USERS * VERSIONS_PER_USER
    p95 = lambda xs: statistics.quantiles(xs, n=20)[18]  # noqa: E731
    median_rls, median_plain = statistics.median(samples["A"]), statistics.median(samples["B"])
    print(f"rows in work_experience: {total:,}; user's current rows: {CURRENT_PER_USER}")
    print(f"{args.rounds} interleaved rounds of {args.batch} queries each side")
    print(f"B without RLS: median {median_plain:.3f} ms, p95 {p95(samples['B']):.3f} ms")
    print(f"A with RLS:    median {median_rls:.3f} ms, p95 {p95(samples['A']):.3f} ms")
    print(
        f"RLS overhead: median of the rounds' A/B ratios {statistics.median(ratios):.3f} "
        f"({(statistics.median(ratios) - 1) * 100:+.1f}%; rounds' ratios from "
        f"{min(ratios):.2f} to {max(ratios):.2f}); ratio of the medians "
        f"{median_rls / median_plain:.3f}"
    )
    print("plan with RLS:\n  " + plan_rls.replace("\n", "\n  "))


if __name__ == "__main__":
    main()

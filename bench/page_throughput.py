"""Page throughput and latency over a real gunicorn with persistent connections, at scale.

Seeds (once, topped up on later runs) a ``careeros_page_bench`` database with ``--users``
users (10,000) and their entities, spread over the five entity tables in chains of two
versions, by INSERT … SELECT generate_series under the system role; then one signed-up
person with a typical profile (50 entities) and 200 pending review cards. A gunicorn
(``--workers`` sync workers, the shipped CONN_MAX_AGE) serves it; ``--clients`` threads
request one page at a time for ``--seconds`` per phase, the pages interleaved round by round
(order rotating), and it prints medians and ratios:

- the dashboard's throughput against a signed-in trivial view (``/bench/trivial``: same
  middleware, session and RLS transaction, renders nothing) — goal ≥ 0.5×;
- the review page (200 pending) p95 against the dashboard's — goal ≤ 1.5×;
- the dashboard's p95 at each size of ``--sizes`` (entity rows, ascending; the data grows
  between them, so these are not interleaved: the trivial view's p95 at each size is printed
  too, to tell a slower machine from a slower page) — goal: growth ≤ 1.2× from the smallest to
  the largest.

Usage: ``.venv/bin/python bench/page_throughput.py [--users 10000] [--sizes 50000,500000]
[--rows 500000] [--rounds 5] [--seconds 3] [--clients 4] [--workers 2]``; ``--rows`` is the
size the throughput and review figures are taken at (it is added to ``--sizes``). Honours
DATABASE_URL like the app; the embedded server otherwise. Seeding 5,000,000 rows takes a
while (the trigram indexes); a database once filled is reused.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path

from pipeline_support import (
    Browser,
    bench_user,
    child_environment,
    configure_environment,
    percentile,
    prepare_database,
    start_web,
    stop,
)

configure_environment()

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from careeros.db.rls import system_context, user_context  # noqa: E402
from careeros.db.roles import owner_connection  # noqa: E402
from careeros.db.versioning import Source  # noqa: E402
from merges.models import DecisionStatus, MergeDecision  # noqa: E402
from merges.services import merge_decisions_propose  # noqa: E402
from merges.sources import Origin, Proposal  # noqa: E402
from profiles.entities import spec_for_slug  # noqa: E402

DATABASE = "careeros_page_bench"
EMAIL = "page-bench@example.com"
SEEDED = "pagebench-"  # e-mail prefix of the seeded users
PENDING = 200
PROFILE_ENTITIES = 50
VERSIONS = 2
# Share of the rows per table, and the columns (besides the versioning ones) each needs.
TABLES = {
    "skill": (0.40, "name", "'Skill ' || n"),
    "work_experience": (0.25, "title, company", "'Engineer ' || n, 'Company ' || n"),
    "education": (0.10, "institution", "'University ' || n"),
    "project": (0.15, "title", "'Project ' || n"),
    "certification": (0.10, "name, issuing_organization", "'Certificate ' || n, 'Issuer'"),
}


def entity_rows() -> int:
    with system_context() as system, system.cursor() as cursor:
        counts = [f"(SELECT count(*) FROM {table})" for table in TABLES]  # noqa: S608
        cursor.execute("SELECT " + " + ".join(counts))
        return int(cursor.fetchone()[0])


def seed_users(count: int) -> None:
    with owner_connection(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM users WHERE email LIKE %s", [SEEDED + "%"])
        have = cursor.fetchone()[0]
        if have >= count:
            return
        started = time.perf_counter()
        cursor.execute(
            "INSERT INTO users (id, password, email, is_active, is_staff, is_superuser) "
            "SELECT gen_random_uuid(), '!', %s || n || '@example.com', true, false, false "
            "FROM generate_series(%s, %s) n",
            [SEEDED, have + 1, count],
        )
        cursor.execute(f"SET LOCAL ROLE {settings.DATABASE_SYSTEM_ROLE}")
        cursor.execute(
            "INSERT INTO profiles (id, email) SELECT id, email FROM users "
            "WHERE email LIKE %s AND id NOT IN (SELECT id FROM profiles)",
            [SEEDED + "%"],
        )
        print(f"seeded {count - have:,} users in {time.perf_counter() - started:.1f} s")


def top_up(target: int, users: int) -> None:
    """Add entity rows for the seeded users until the five tables hold about ``target``."""
    missing = target - entity_rows()
    if missing <= 0:
        return
    started = time.perf_counter()
    batch = uuid.uuid4().hex[:8]
    with owner_connection(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {settings.DATABASE_SYSTEM_ROLE}")
        for table, (share, columns, values) in TABLES.items():
            # Chains dealt round-robin over the seeded users, so any total is reachable.
            chains = max(1, round(missing * share / VERSIONS))
            cursor.execute(
                f"""
                WITH seeded AS (
                    SELECT id, row_number() OVER (ORDER BY id) - 1 AS number FROM users
                     WHERE email LIKE %(seeded)s
                )
                INSERT INTO {table} (user_id, logical_entity_id, version, is_current, source,
                                     {columns})
                SELECT u.id, md5(%(key)s || n)::uuid, v, v = %(versions)s, 'manual', {values}
                  FROM generate_series(1, %(chains)s) n
                  JOIN seeded u ON u.number = n %% %(users)s
                 CROSS JOIN generate_series(1, %(versions)s) v
                """,  # noqa: S608 - names from TABLES
                {
                    "key": f"-{table}-{batch}-",
                    "versions": VERSIONS,
                    "seeded": SEEDED + "%",
                    "chains": chains,
                    "users": users,
                },
            )
    with owner_connection(), connection.cursor() as cursor:  # autocommit: VACUUM may run
        for table in ["users", "profiles", *TABLES]:
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"entity rows now {entity_rows():,} (+{time.perf_counter() - started:.0f} s to seed)")


def prepare_person() -> None:
    """The measured person: a typical profile and 200 pending review cards (made once)."""
    person = bench_user(EMAIL)
    with user_context(person.pk):
        if MergeDecision.objects.filter(status=DecisionStatus.PENDING).count() >= PENDING:
            return
        with connection.cursor() as cursor:
            for table, (share, columns, values) in TABLES.items():
                chains = max(1, round(PROFILE_ENTITIES * share))
                cursor.execute(
                    f"""
                    INSERT INTO {table} (user_id, logical_entity_id, version, is_current,
                                         source, {columns})
                    SELECT %(user)s, gen_random_uuid(), 1, true, 'manual', {values}
                      FROM generate_series(1, %(chains)s) n
                    """,  # noqa: S608 - names from TABLES
                    {"user": person.pk, "chains": chains},
                )
        spec = spec_for_slug("skills")
        proposals = [
            Proposal(
                source_entity_id=uuid.uuid4(),
                spec=spec,
                data=spec.data.model_validate(
                    {"name": f"Pending skill {n}", "evidence": {"name": [[0, 5]]}}
                ),
                confidence=Decimal("0.50"),
            )
            for n in range(PENDING)
        ]
        merge_decisions_propose(
            user_id=person.pk,
            origin=Origin(Source.UPLOAD, uuid.uuid4(), "bench.pdf", "/", "Skill text"),
            proposals=proposals,
        )
        pending = MergeDecision.objects.filter(status=DecisionStatus.PENDING).count()
    print(f"measured person: {PROFILE_ENTITIES} entities, {pending} pending review cards")


class Load:
    """``clients`` threads requesting one path as fast as the server answers."""

    def __init__(self, base: str, cookie: str, clients: int) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.host, self.port, self.cookie, self.clients = host, int(port), cookie, clients

    def get(self, path: str) -> float:
        started = time.perf_counter()
        client = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            client.request("GET", path, headers={"Cookie": self.cookie})
            response = client.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"GET {path} answered {response.status}")
        finally:
            client.close()
        return time.perf_counter() - started

    def run(self, path: str, seconds: float) -> tuple[float, list[float]]:
        """Requests per second and each request's latency, over ``seconds``."""
        latencies: list[float] = []
        deadline = time.perf_counter() + seconds
        lock = threading.Lock()

        def client() -> None:
            while time.perf_counter() < deadline:
                elapsed = self.get(path)
                with lock:
                    latencies.append(elapsed)

        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(self.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return len(latencies) / (time.perf_counter() - started), latencies


def interleaved(
    pages: dict[str, tuple[Load, str]], rounds: int, seconds: float
) -> dict[str, dict[str, list[float]]]:
    """Each round runs every page once, the order rotating; per page: throughputs, p95s and
    all latencies."""
    names = list(pages)
    results: dict[str, dict[str, list[float]]] = {
        name: {"throughput": [], "p95": [], "latencies": []} for name in names
    }
    for load, path in pages.values():
        load.run(path, 1)  # warm every worker up
    for number in range(rounds):
        order = names[number % len(names) :] + names[: number % len(names)]
        for name in order:
            load, path = pages[name]
            throughput, latencies = load.run(path, seconds)
            results[name]["throughput"].append(throughput)
            results[name]["p95"].append(percentile(latencies, 0.95))
            results[name]["latencies"] += latencies
    return results


def describe(name: str, result: dict[str, list[float]]) -> str:
    return (
        f"  {name:<12} median {statistics.median(result['throughput']):6.1f} req/s, "
        f"p50 {statistics.median(result['latencies']) * 1000:6.1f} ms, "
        f"p95 {percentile(result['latencies'], 0.95) * 1000:6.1f} ms "
        f"({len(result['latencies'])} requests)"
    )


def ratio(a: list[float], b: list[float]) -> str:
    """The median of the rounds' ratios, and their range."""
    ratios = [x / y for x, y in zip(a, b, strict=True)]
    return (
        f"{statistics.median(ratios):.2f}× (rounds {min(ratios):.2f}–{max(ratios):.2f}; "
        f"ratio of medians {statistics.median(a) / statistics.median(b):.2f}×)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--sizes", default="50000,500000")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default=DATABASE, help="kept between runs, topped up")
    parser.add_argument(
        "--new-connections",
        action="store_true",
        help="also serve from a second gunicorn with CONN_MAX_AGE=0 (a new connection per "
        "request) and compare, at --rows",
    )
    args = parser.parse_args()
    sizes = sorted({int(size) for size in args.sizes.split(",") if size} | {args.rows})
    database_url = prepare_database(args.database)
    seed_users(args.users)
    if entity_rows() > sizes[0] * 1.1:
        print(
            f"the bench database already holds {entity_rows():,} entity rows, more than "
            f"{sizes[0]:,}: smaller sizes are measured at that size "
            f"(drop {args.database} to reseed)",
            file=sys.stderr,
        )
    prepare_person()
    env = child_environment(database_url)
    env.pop("CONN_MAX_AGE", None)  # the shipped setting
    env["DJANGO_SETTINGS_MODULE"] = "page_site"
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent)
    web, base = start_web(env, workers=args.workers)
    servers = [web]
    try:
        browser = Browser(base, EMAIL)
        session = next(c for c in browser.jar if c.name == settings.SESSION_COOKIE_NAME)
        cookie = f"{session.name}={session.value}"
        load = Load(base, cookie, args.clients)
        fresh = None
        if args.new_connections:
            other, other_base = start_web({**env, "CONN_MAX_AGE": "0"}, workers=args.workers)
            servers.append(other)
            fresh = Load(other_base, cookie, args.clients)
        growth: dict[int, dict[str, dict[str, list[float]]]] = {}
        for size in sizes:
            top_up(size, args.users)
            rows = entity_rows()
            pages = {"trivial": (load, "/bench/trivial"), "dashboard": (load, "/")}
            if size == args.rows:
                pages["review"] = (load, "/review/")
                if fresh is not None:
                    pages["trivial/0"] = (fresh, "/bench/trivial")
                    pages["dashboard/0"] = (fresh, "/")
            results = interleaved(pages, args.rounds, args.seconds)
            growth[rows] = results
            print(
                f"\n{rows:,} entity rows, {args.users:,} users; {args.workers} gunicorn workers, "
                f"{args.clients} clients, {args.rounds} rounds × {args.seconds:g} s per page"
            )
            for name, result in results.items():
                print(describe(name, result))
            print(
                "  dashboard / trivial throughput: "
                + ratio(results["dashboard"]["throughput"], results["trivial"]["throughput"])
                + " (goal ≥ 0.5×)"
            )
            if "review" in results:
                print(
                    "  review (200 pending) / dashboard p95: "
                    + ratio(results["review"]["p95"], results["dashboard"]["p95"])
                    + " (goal ≤ 1.5×)"
                )
            for page in ("trivial", "dashboard"):
                if f"{page}/0" in results:
                    print(
                        f"  {page} throughput, persistent / new connection per request "
                        "(CONN_MAX_AGE=0, '/0'): "
                        + ratio(results[page]["throughput"], results[f"{page}/0"]["throughput"])
                    )
        if len(growth) > 1:
            (small, first), (large, last) = min(growth.items()), max(growth.items())
            dash = [percentile(r["dashboard"]["latencies"], 0.95) for r in (first, last)]
            trivial = [percentile(r["trivial"]["latencies"], 0.95) for r in (first, last)]
            print(
                f"\ndashboard p95 growth {small:,} → {large:,} rows: {dash[1] / dash[0]:.2f}× "
                f"({dash[0] * 1000:.1f} → {dash[1] * 1000:.1f} ms; goal ≤ 1.2×); trivial view "
                f"meanwhile {trivial[1] / trivial[0]:.2f}×; dashboard/trivial p95 "
                f"{dash[0] / trivial[0]:.2f} → {dash[1] / trivial[1]:.2f}"
            )
    finally:
        for server in servers:
            stop(server)


if __name__ == "__main__":
    main()

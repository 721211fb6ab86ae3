"""CPU per request of the benchmarked pages, in process, on the page benchmark's database.

The pages of ``bench/page_throughput.py`` (the signed-in trivial view, the dashboard, the
review with 200 pending) through Django's test client, in ``--rounds`` interleaved rounds of
``--requests`` each. Per page it prints the SQL statements of one request and the least time
per request of a round: CPU (``time.process_time``, this process only, so the database's own
work is left out) and wall clock; then the ratios to the dashboard. On a busy machine these
are steadier than throughput over HTTP.

Usage: ``.venv/bin/python bench/page_cpu.py [--rounds 7] [--requests 30]``, after
``bench/page_throughput.py`` has seeded its database once.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

os.environ["DJANGO_SETTINGS_MODULE"] = "page_site"  # the app's, plus /bench/trivial
os.environ["SECURE_SSL_REDIRECT"] = "false"  # the test client speaks plain HTTP
os.environ["STATIC_ROOT"] = tempfile.mkdtemp(prefix="careeros-bench-static-")

import page_throughput as bench  # sets Django up, with the settings above
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

PAGES = {"trivial": "/bench/trivial", "dashboard": "/", "review": "/review/"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database", default=bench.DATABASE)
    args = parser.parse_args()
    bench.prepare_database(args.database)
    bench.prepare_person()
    settings.ALLOWED_HOSTS = ["testserver"]
    # Plain static storage: nothing to collect (the manifest's lookups cost next to nothing).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    client = Client()
    client.force_login(bench.bench_user(bench.EMAIL))
    for name, path in PAGES.items():
        for _ in range(5):  # warm up
            if client.get(path).status_code != 200:
                raise SystemExit(f"GET {path} failed")
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        print(f"{name:<10} {len(queries.captured_queries)} SQL statements a request")
    cpu: dict[str, list[float]] = {name: [] for name in PAGES}
    wall: dict[str, list[float]] = {name: [] for name in PAGES}
    for number in range(args.rounds):
        names = list(PAGES)
        for name in names[number % len(names) :] + names[: number % len(names)]:
            started, used = time.perf_counter(), time.process_time()
            for _ in range(args.requests):
                client.get(PAGES[name])
            cpu[name].append((time.process_time() - used) / args.requests)
            wall[name].append((time.perf_counter() - started) / args.requests)
    for name in PAGES:
        least_cpu, least_wall = min(cpu[name]) * 1000, min(wall[name]) * 1000
        print(
            f"{name:<10} CPU {least_cpu:5.2f} ms, wall {least_wall:5.2f} ms a request "
            f"(least of {args.rounds} rounds of {args.requests})"
        )
    dashboard = min(cpu["dashboard"])
    print(
        f"CPU: trivial / dashboard {min(cpu['trivial']) / dashboard:.2f}× (goal for throughput "
        f"≥ 0.5×), review / dashboard {min(cpu['review']) / dashboard:.2f}× (goal for p95 ≤ 1.5×)"
    )


if __name__ == "__main__":
    main()

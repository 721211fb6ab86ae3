"""50 concurrent uploads through the web server and a real worker: do all complete, is none
lost, and how fast does the dashboard answer meanwhile?

Production shape on this machine: gunicorn with 2 sync workers and a Celery worker with
concurrency 2 (the Procfile's defaults), PostgreSQL and Redis as configured (embedded
otherwise). 50 threads each POST one two-page PDF (multipart, signed in, with CSRF) into one
of 5 streams; meanwhile one client keeps loading the dashboard page and its Resumes card
partial. Latency is measured before the uploads (baseline) and while any version is still
being processed.

Usage: ``.venv/bin/python bench/pipeline_concurrency.py [--uploads 50]``
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from pipeline_support import (
    Browser,
    add_resume_arguments,
    bench_user,
    child_environment,
    configure_environment,
    find_resume,
    percentile,
    prepare_database,
    start_web,
    start_worker,
    stop,
)

configure_environment()

import django  # noqa: E402

django.setup()

from careeros.db.rls import system_context  # noqa: E402
from resumes.models import ResumeVersion  # noqa: E402

EMAIL = "concurrency-bench@example.com"
DASHBOARD = ("/", "/resumes/dashboard_card_hx/")


def load_dashboard(browser: Browser) -> dict[str, float]:
    timings = {}
    for path in DASHBOARD:
        started = time.perf_counter()
        status, _ = browser.get(path)
        assert status == 200, (path, status)
        timings[path] = time.perf_counter() - started
    return timings


def report(label: str, samples: list[dict[str, float]]) -> None:
    for path in DASHBOARD:
        values = [sample[path] for sample in samples]
        print(
            f"  {label:<22} {path:<28} n={len(values):<4} "
            f"p50 {statistics.median(values) * 1000:6.0f} ms  "
            f"p95 {percentile(values, 0.95) * 1000:6.0f} ms  max {max(values) * 1000:6.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=50)
    add_resume_arguments(parser)
    args = parser.parse_args()
    uploads = args.uploads
    resume = find_resume(args)
    data = resume.read_bytes()
    database_url = prepare_database()
    bench_user(EMAIL)
    env = child_environment(database_url)
    worker = start_worker(env, concurrency=2)
    web, base = start_web(env, workers=2)
    run = uuid.uuid4().hex[:6]
    try:
        browser = Browser(base, EMAIL)
        baseline = [load_dashboard(browser) for _ in range(30)]

        during: list[dict[str, float]] = []
        uploading = threading.Event()
        uploading.set()

        def poll_dashboard() -> None:
            while uploading.is_set():
                during.append(load_dashboard(browser))

        poller = threading.Thread(target=poll_dashboard)
        upload_times: list[float] = []
        errors: list[str] = []

        def upload(number: int) -> None:
            started = time.perf_counter()
            try:
                browser.upload(
                    "/resumes/upload/",
                    {"new_stream_name": f"Concurrency {run} #{number % 5}"},
                    [(f"cv-{number}{resume.suffix}", data)],
                )
            except Exception as error:
                errors.append(f"{number}: {error}")
            upload_times.append(time.perf_counter() - started)

        started = time.perf_counter()
        poller.start()
        with ThreadPoolExecutor(max_workers=uploads) as pool:
            list(pool.map(upload, range(uploads)))
        uploaded_at = time.perf_counter() - started
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            with system_context():
                versions = ResumeVersion.objects.filter(
                    stream__name__startswith=f"Concurrency {run}"
                )
                total = versions.count()
                finished = versions.filter(processing_status__in=["completed", "failed"]).count()
            if total >= uploads - len(errors) and finished == total:
                break
            time.sleep(0.2)
        all_done = time.perf_counter() - started
        uploading.clear()
        poller.join()
        with system_context():
            versions = ResumeVersion.objects.filter(stream__name__startswith=f"Concurrency {run}")
            completed = versions.filter(processing_status="completed").count()
            failed = list(
                versions.filter(processing_status="failed").values_list(
                    "original_filename", flat=True
                )
            )
            unfinished = versions.exclude(processing_status__in=["completed", "failed"]).count()
            stored = versions.count()
            numbers_ok = all(
                sorted(stream_versions) == list(range(1, len(stream_versions) + 1))
                for stream_versions in _numbers_by_stream(versions).values()
            )
    finally:
        stop(web)
        stop(worker)

    print(f"{uploads} concurrent uploads of {resume.name} ({len(data)} bytes) into 5 streams")
    print(
        f"  upload requests: {uploads - len(errors)} answered, {len(errors)} errors; "
        f"p50 {statistics.median(upload_times):.2f} s, max {max(upload_times):.2f} s; "
        f"all answered after {uploaded_at:.1f} s"
    )
    print(
        f"  versions stored: {stored}; completed: {completed}; failed: {len(failed)}; "
        f"unfinished: {unfinished}; lost: {uploads - stored}"
    )
    print(f"  version numbers consecutive per stream: {numbers_ok}")
    print(f"  all {stored} processed {all_done:.1f} s after the first upload started")
    print("dashboard latency (page, and its Resumes card partial):")
    report("before uploads", baseline)
    report("during uploads", during)
    for error in errors[:5]:
        print("  error:", error)


def _numbers_by_stream(versions: object) -> dict[str, list[int]]:
    numbers: dict[str, list[int]] = {}
    for stream_id, number in versions.values_list("stream_id", "version_number"):  # type: ignore[attr-defined]
        numbers.setdefault(str(stream_id), []).append(number)
    return numbers


if __name__ == "__main__":
    main()

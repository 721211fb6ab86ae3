"""Upload-to-complete time of a two-page PDF through a real worker, next to the extraction
engine's standalone parse time of the same file. Goal: the pipeline adds at most 0.5 s.

- standalone: ``read_document`` + ``get_provider().extract`` in this process, warmed up;
- pipeline: ``resume_version_upload`` (storage, version row, enqueue on commit), then the four
  Celery stages on a real worker (concurrency 1) and Redis, until ``processing_completed_at``
  is set; measured from just before the upload to the moment this process sees the row
  completed (polled every 10 ms), so it includes the polling delay.

Usage: ``.venv/bin/python bench/pipeline_latency.py [--rounds 10] [--resume FILE | --corpus DIR]``
(the corpus folder defaults to $CAREEROS_CORPUS, else ``../shared/corpus``).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from datetime import datetime
from pathlib import Path

from pipeline_support import (
    add_resume_arguments,
    bench_user,
    child_environment,
    configure_environment,
    find_resume,
    prepare_database,
    start_worker,
    stop,
)

configure_environment()

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from careeros.db.rls import user_context  # noqa: E402
from resumes import services  # noqa: E402
from resumes.extraction import get_provider  # noqa: E402
from resumes.models import ResumeVersion  # noqa: E402
from resumes.reading import read_document  # noqa: E402
from resumes.schemas import STAGES  # noqa: E402


def standalone(data: bytes, kind: str, rounds: int) -> list[float]:
    provider = get_provider()
    provider.extract(read_document(data, kind))  # warm-up
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        provider.extract(read_document(data, kind))
        times.append(time.perf_counter() - started)
    return times


def pipeline(
    resume: Path, data: bytes, rounds: int, user: object
) -> tuple[list[float], dict[str, list[float]]]:
    """Upload-to-complete times, and where the time went (from the stages' timestamps)."""
    times = []
    parts: dict[str, list[float]] = {}
    for round_number in range(rounds + 1):
        wall = timezone.now()
        started = time.perf_counter()
        with user_context(user.pk):  # type: ignore[attr-defined]
            stream = services.resume_stream_create(user=user, name="Latency bench")  # type: ignore[arg-type]
            version = services.resume_version_upload(
                user=user,  # type: ignore[arg-type]
                stream=stream,
                filename=resume.name,
                content=io.BytesIO(data),
                size=len(data),
            )
        while True:
            with user_context(user.pk):  # type: ignore[attr-defined]
                status = ResumeVersion.objects.values_list("processing_status", flat=True).get(
                    pk=version.pk
                )
            if status in ("completed", "failed"):
                break
            time.sleep(0.01)
        elapsed = time.perf_counter() - started
        if status != "completed":
            raise SystemExit(f"version {version.pk} failed")
        if round_number:  # the first round warms the worker up
            times.append(elapsed)
            with user_context(user.pk):  # type: ignore[attr-defined]
                done = ResumeVersion.objects.get(pk=version.pk)
            for name, seconds in breakdown(done, wall, elapsed).items():
                parts.setdefault(name, []).append(seconds)
    return times, parts


def breakdown(version: ResumeVersion, wall: datetime, elapsed: float) -> dict[str, float]:
    """Stage timestamps are PostgreSQL's now(), the start of the claim's and of the
    result's transaction: 'stage' spans claim to result, 'gap' is commit + hand-over."""
    stages = version.stages
    marks: dict[str, float] = {}
    previous = 0.0
    for name in STAGES:
        state = stages.get(name)
        assert state.started_at is not None
        assert state.completed_at is not None
        start = (state.started_at - wall).total_seconds()
        end = (state.completed_at - wall).total_seconds()
        marks[f"before {name}"] = start - previous
        marks[f"{name}"] = end - start
        previous = end
    marks["after complete (merge proposals, commit, polling)"] = elapsed - previous
    return marks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    add_resume_arguments(parser)
    args = parser.parse_args()
    rounds = args.rounds
    resume = find_resume(args)
    data = resume.read_bytes()
    database_url = prepare_database()
    user = bench_user("latency-bench@example.com")
    env = child_environment(database_url)
    worker = start_worker(env, concurrency=1)
    try:
        alone = standalone(data, resume.suffix.lstrip(".").lower(), rounds)
        through, parts = pipeline(resume, data, rounds, user)
    finally:
        stop(worker)
    a, b = statistics.median(alone), statistics.median(through)
    print(f"file: {resume} ({len(data)} bytes), {rounds} rounds each")
    print(
        f"standalone parse (read_document + extract), median: {a * 1000:.0f} ms "
        f"(min {min(alone) * 1000:.0f}, max {max(alone) * 1000:.0f})"
    )
    print(
        f"pipeline upload-to-complete, median: {b * 1000:.0f} ms "
        f"(min {min(through) * 1000:.0f}, max {max(through) * 1000:.0f})"
    )
    print(
        f"pipeline overhead (median difference): {(b - a) * 1000:.0f} ms "
        f"(goal <= 500 ms: {'met' if b - a <= 0.5 else 'NOT met'})"
    )
    print("where the pipeline's time went (median ms):")
    for name, values in parts.items():
        print(f"  {name:<52} {statistics.median(values) * 1000:6.0f}")


if __name__ == "__main__":
    main()

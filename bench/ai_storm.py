"""A 429 storm against the real pipeline: how many AI calls one upload costs, and how soon
its version shows "AI service unavailable".

A local OpenAI-compatible server answers every request 429 with ``Retry-After`` for
``--seconds`` (default 300, five minutes). One resume is uploaded with ``AI_PROVIDER=openai``
through ``resume_version_upload`` and the four stages on a real Celery worker and Redis,
with the project's default retry settings (any RESUME_STAGE_ATTEMPT_CAP, OPENAI_MAX_RETRIES,
OPENAI_TIMEOUT_SECONDS or PIPELINE_RETRY_BACKOFF_* in the environment is ignored); this
process runs the stuck-version reconciler as beat would (every
RESUME_RECONCILE_EVERY_SECONDS). Until the storm ends it prints the AI calls made against
the budget (RESUME_STAGE_ATTEMPT_CAP × (OPENAI_MAX_RETRIES + 1)), the seconds from the
upload until the version was failed "AI service unavailable", and the calls after that.

Usage: ``.venv/bin/python bench/ai_storm.py [--seconds 300] [--retry-after 5]
[--resume FILE | --corpus DIR]`` (a bench database and queues of its own, like the other
pipeline benchmarks, ``careeros_ai_storm_bench``).
"""

from __future__ import annotations

import argparse
import io
import os
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

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

# The settings whose defaults the storm measures: unset so that neither this process nor
# the worker reads a local override.
RETRY_SETTINGS = (
    "RESUME_STAGE_ATTEMPT_CAP",
    "OPENAI_MAX_RETRIES",
    "OPENAI_TIMEOUT_SECONDS",
    "PIPELINE_RETRY_BACKOFF_SECONDS",
    "PIPELINE_RETRY_BACKOFF_MAX_SECONDS",
    "RESUME_STAGE_LEASE_SECONDS",
    "RESUME_UNQUEUED_AFTER_SECONDS",
    "RESUME_RECONCILE_EVERY_SECONDS",
)


class Storm:
    """An OpenAI-compatible endpoint answering every POST 429 with Retry-After; it records
    when each request arrived (monotonic seconds)."""

    def __init__(self, retry_after: float) -> None:
        self.calls: list[float] = []
        self.lock = threading.Lock()
        storm = self
        header = f"{retry_after:g}"
        payload = (
            b'{"error": {"message": "Rate limit reached", "type": "rate_limit_exceeded",'
            b' "code": "rate_limit_exceeded"}}'
        )

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                self.rfile.read(length)
                with storm.lock:
                    storm.calls.append(time.monotonic())
                try:
                    self.send_response(429)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Retry-After", header)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Storm:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def since(self, moment: float) -> list[float]:
        with self.lock:
            return [t - moment for t in self.calls if t > moment]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--seconds", type=float, default=300.0, help="how long the storm lasts (default 300)"
    )
    parser.add_argument(
        "--retry-after", type=float, default=5.0, help="the Retry-After it sends (default 5 s)"
    )
    add_resume_arguments(parser)
    args = parser.parse_args()
    resume = find_resume(args)
    data = resume.read_bytes()

    with Storm(args.retry_after) as storm:
        for name in RETRY_SETTINGS:
            os.environ.pop(name, None)
        os.environ.update(
            AI_PROVIDER="openai",
            OPENAI_BASE_URL=storm.url,
            OPENAI_API_KEY="bench-key-not-secret",
            OPENAI_MODEL="bench-model",
            AI_FALLBACK_TO_RULES="false",
        )
        configure_environment()
        import django

        django.setup()
        from django.conf import settings

        from careeros.db.rls import system_context, user_context
        from resumes import services
        from resumes.models import ResumeStream, ResumeVersion
        from resumes.schemas import Failure

        budget = settings.RESUME_STAGE_ATTEMPT_CAP * (settings.OPENAI_MAX_RETRIES + 1)
        schedule = settings.CELERY_BEAT_SCHEDULE["resumes-reconcile-stuck-versions"]["schedule"]
        assert isinstance(schedule, timedelta)
        reconcile_every = schedule.total_seconds()
        # A database of its own: the reconciler below sees every user's versions.
        database_url = prepare_database("careeros_ai_storm_bench")
        user = bench_user("ai-storm-bench@example.com")
        with system_context():
            # An earlier run's version left unfinished (a storm shorter than the budget's
            # span) would be reconciled into this run's storm.
            ResumeStream.objects.filter(user=user).delete()
        worker = start_worker(child_environment(database_url), concurrency=1)
        try:
            started = time.monotonic()
            with user_context(user.pk):
                stream = services.resume_stream_create(user=user, name="AI storm bench")
                version = services.resume_version_upload(
                    user=user,
                    stream=stream,
                    filename=resume.name,
                    content=io.BytesIO(data),
                    size=len(data),
                )
            unavailable: float | None = None
            ended: ResumeVersion | None = None
            reconciled = 0
            next_reconcile = started + reconcile_every
            while time.monotonic() - started < args.seconds:
                now = time.monotonic()
                if now >= next_reconcile:
                    with system_context():
                        reconciled += services.resume_versions_reconcile()
                    next_reconcile = now + reconcile_every
                if unavailable is None:
                    with user_context(user.pk):
                        row = ResumeVersion.objects.get(pk=version.pk)
                    if row.is_terminal:
                        unavailable, ended = time.monotonic(), row
                        print(
                            f"  the version ended {row.processing_status} after "
                            f"{unavailable - started:.1f} s; waiting out the storm",
                            flush=True,
                        )
                time.sleep(0.1)
        finally:
            stop(worker)

    calls = storm.since(started)
    print(
        f"file: {resume.name} ({len(data)} bytes); storm: {args.seconds:g} s of 429s with "
        f"Retry-After: {args.retry_after:g}; reconciler every {reconcile_every:g} s"
    )
    print(
        "settings: RESUME_STAGE_ATTEMPT_CAP "
        f"{settings.RESUME_STAGE_ATTEMPT_CAP}, OPENAI_MAX_RETRIES {settings.OPENAI_MAX_RETRIES}, "
        f"OPENAI_TIMEOUT_SECONDS {settings.OPENAI_TIMEOUT_SECONDS:g}, "
        f"PIPELINE_RETRY_BACKOFF_SECONDS {settings.PIPELINE_RETRY_BACKOFF_SECONDS:g}, "
        f"PIPELINE_RETRY_BACKOFF_MAX_SECONDS {settings.PIPELINE_RETRY_BACKOFF_MAX_SECONDS:g}"
    )
    print(
        f"AI calls made: {len(calls)} (budget RESUME_STAGE_ATTEMPT_CAP × (OPENAI_MAX_RETRIES + 1)"
        f" = {budget}: {'within' if len(calls) <= budget else 'OVER'})"
    )
    if calls:
        print(f"first call {calls[0]:.1f} s after the upload, last {calls[-1]:.1f} s")
    if ended is None or unavailable is None:
        with user_context(user.pk):
            row = ResumeVersion.objects.get(pk=version.pk)
        parse = row.stages.parse
        print(
            f"the version did not end within the storm's {args.seconds:g} s: "
            f"{row.processing_status}, parse {parse.status} after {parse.attempts} attempt(s)"
        )
        return
    shown = ended.failure == Failure.AI_UNAVAILABLE
    after = [t for t in calls if t > unavailable - started]
    print(
        f"'AI service unavailable' shown: {'yes' if shown else 'NO'}, "
        f"{unavailable - started:.1f} s after the upload "
        f"(parse attempts {ended.stages.parse.attempts}; message: {ended.error})"
    )
    print(
        f"calls after that: {len(after)} in the remaining "
        f"{args.seconds - (unavailable - started):.0f} s of the storm "
        f"(the reconciler re-enqueued {reconciled} stage(s) during the run)"
    )


if __name__ == "__main__":
    main()

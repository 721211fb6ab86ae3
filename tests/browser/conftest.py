"""End-to-end fixtures: CareerOS as people get it (gunicorn with DEBUG off, collected static
files, a Celery worker), driven by Debian's Chromium through Playwright.

Skipped, with the reason, when /usr/bin/chromium (or Playwright) is missing; the browser
is never downloaded. A failing test leaves a screenshot in .data/browser-failures/.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from careeros.db.rls import system_context
from careeros.embedded import free_port
from enrichment.models import EnrichmentJob, JobStatus
from resumes.models import ProcessingStatus, ResumeVersion
from tests.conftest import (
    ROOT,
    celery_worker,
    database_env_for_children,
    stop_process,
    wait_for_http,
)

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
FAILURES = ROOT / ".data" / "browser-failures"

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - a dev dependency
    sync_playwright = None  # type: ignore[assignment]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    reason = None
    if sync_playwright is None:
        reason = "Playwright for Python is not installed (it is a dev dependency)"
    elif not CHROMIUM.exists():
        reason = f"no Chromium at {CHROMIUM}: apt-get install chromium (CI's .ci/run does)"
    if reason:
        for item in items:
            if Path(str(item.fspath)).parent == Path(__file__).parent:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@dataclass(frozen=True)
class Stack:
    url: str
    media_root: Path
    log: Path


def _queues(prefix: str) -> str:
    """The three queues (settings.CELERY_QUEUE_TIME_LIMITS) under the prefix ``prefix-``."""
    bare = [
        name.removeprefix(settings.CELERY_QUEUE_PREFIX)
        for name in settings.CELERY_QUEUE_TIME_LIMITS
    ]
    return ",".join(f"{prefix}-{name}" for name in bare)


def _env(media_root: Path, static_root: Path, queue: str) -> dict[str, str]:
    return {
        **os.environ,
        **database_env_for_children(),
        "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "ENCRYPTION_KEYS": "browser:" + base64.b64encode(b"\x07" * 32).decode(),
        "MEDIA_ROOT": str(media_root),
        "STATIC_ROOT": str(static_root),
        # The servers live for the session while each test flushes the tables: a connection
        # kept between requests can deadlock with the flush's TRUNCATE, so a new one each.
        "CONN_MAX_AGE": "0",
        # Queues of its own: parsing, ai and housekeeping, prefixed.
        "CELERY_QUEUE_PREFIX": f"{queue}-",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture(scope="session")
def stack(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """gunicorn (two workers) and a Celery worker on the test database, with DEBUG off and
    static files collected and served by WhiteNoise, on a queue of their own."""
    base = tmp_path_factory.mktemp("browser")
    media_root, static_root, log = base / "media", base / "static", base / "servers.log"
    media_root.mkdir()
    queue = f"browser-{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock():
        env = _env(media_root, static_root, queue)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    port = free_port()
    with log.open("wb") as output:
        web = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "careeros.wsgi"),
                *("--bind", f"127.0.0.1:{port}", "--workers", "2"),
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_for_http(f"http://127.0.0.1:{port}/healthz", web, "gunicorn")
            with celery_worker(
                f"{queue}@localhost", queues=_queues(queue), concurrency=2, env=env, output=output
            ):
                yield Stack(f"http://127.0.0.1:{port}", media_root, log)
        finally:
            stop_process(web)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread; the test's own database use
    # (fixtures, flushing) is synchronous and safe, so Django's async guard is lifted here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
    finally:
        playwright.stop()
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _new_page(browser: Browser, request: pytest.FixtureRequest, **options: Any) -> Iterator[Page]:
    context = browser.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        yield page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            FAILURES.mkdir(parents=True, exist_ok=True)
            name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
            for n, open_page in enumerate(context.pages):
                open_page.screenshot(path=str(FAILURES / f"{name}-{n}.png"), full_page=True)
        context.close()
        _wait_until_idle()


# Pipeline and job states the test worker is still working through.
BUSY_VERSIONS = [ProcessingStatus.PENDING, ProcessingStatus.PROCESSING]
BUSY_JOBS = [JobStatus.QUEUED, JobStatus.PROCESSING]


def _wait_until_idle(timeout: float = 180) -> None:
    """Wait for the worker to finish what the test started (uploads, the enrichment jobs
    they queue): the database is flushed next, and a flush beside a running stage deadlocks."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with system_context():
            busy = (
                ResumeVersion.objects.filter(processing_status__in=BUSY_VERSIONS).exists()
                or EnrichmentJob.objects.filter(status__in=BUSY_JOBS).exists()
            )
        if not busy:
            return
        time.sleep(0.5)
    pytest.fail(f"the worker was still busy {timeout:.0f} s after the test ended")


@pytest.fixture
def desktop(
    browser: Browser, request: pytest.FixtureRequest, transactional_db: None
) -> Iterator[Page]:
    yield from _new_page(browser, request, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone(
    browser: Browser, request: pytest.FixtureRequest, transactional_db: None
) -> Iterator[Page]:
    yield from _new_page(
        browser,
        request,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )


@pytest.fixture
def other_page(
    browser: Browser, request: pytest.FixtureRequest, transactional_db: None
) -> Iterator[Page]:
    """A second person's browser, with cookies of its own."""
    yield from _new_page(browser, request, viewport={"width": 1280, "height": 900})


def keep_screenshot(page: Page, name: str) -> None:
    """Pages to look at (BROWSER_SCREENSHOTS=dir); nothing is written otherwise."""
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

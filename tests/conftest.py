from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.test.utils import setup_databases, teardown_databases

from careeros.celery import app as celery_app
from careeros.db.roles import owner_connection
from careeros.embedded import free_port
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional tests may use the system alias (a second connection, which sees
    committed rows only: so only these tests can use it meaningfully)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = "transactional_db" in getattr(item, "fixturenames", ())
        if marker is not None:
            transactional = transactional or bool(marker.kwargs.get("transaction"))
        if not transactional or (marker is not None and "databases" in marker.kwargs):
            continue
        kwargs = {**(marker.kwargs if marker else {}), "transaction": True, "databases": "__all__"}
        item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment: None, django_db_blocker: object) -> Iterator[None]:
    """Create the test database and run migrations as the owner, as `manage.py migrate` does."""
    with django_db_blocker.unblock(), owner_connection():  # type: ignore[attr-defined]
        # serialized_aliases=(): no test uses serialized_rollback, so skip dumping every table.
        databases = setup_databases(verbosity=0, interactive=False, serialized_aliases=())
    yield
    with django_db_blocker.unblock(), owner_connection():  # type: ignore[attr-defined]
        teardown_databases(databases, verbosity=0)


@pytest.fixture(autouse=True)
def _test_http_settings(settings: object) -> None:
    # The test client speaks plain HTTP; production's default redirects it to HTTPS.
    settings.SECURE_SSL_REDIRECT = False  # type: ignore[attr-defined]
    # Production serves hashed names from collectstatic's manifest; tests don't collect.
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def lapse(settings: Any) -> Callable[[], None]:
    """Leases (resume stages', enrichment jobs') short enough to run out for real: calling
    it waits one out, as a dead worker's does. (Moving ``updated_at`` back instead could put
    the last renewal before the test server's start, which a claim reads as a database
    restart.)"""
    settings.RESUME_STAGE_LEASE_SECONDS = 0.2
    settings.ENRICHMENT_JOB_LEASE_SECONDS = 0.2
    return lambda: time.sleep(0.3)


@pytest.fixture
def user(db: None) -> object:
    return UserFactory(full_name="Ada Lovelace")


@pytest.fixture
def other_user(db: None) -> object:
    return UserFactory(full_name="Grace Hopper")


@pytest.fixture
def signed_in(client: Client, user: object) -> Client:
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _url(params: dict[str, Any], name: str) -> str:
    user = quote(str(params["USER"]), safe="")
    password = quote(str(params["PASSWORD"] or ""), safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{credentials}{params['HOST']}:{params['PORT']}/{name}"


def database_env_for_children() -> dict[str, str]:
    """The database URLs of the tests' database, for child processes such as a worker: the
    owner's, the runtime login's and the system login's."""
    name = connection.settings_dict["NAME"]
    return {
        "DATABASE_URL": _url(settings.DATABASE_OWNER, name),
        "DATABASE_OWNER_URL": _url(settings.DATABASE_OWNER, name),
        "DATABASE_APP_URL": _url(connections["default"].settings_dict, name),
        "DATABASE_SYSTEM_URL": _url(connections[settings.SYSTEM_DB_ALIAS].settings_dict, name),
    }


def start_celery_worker(
    name: str,
    *,
    queues: str | None = None,
    concurrency: int = 1,
    env: dict[str, str] | None = None,
    loglevel: str = "WARNING",
    output: IO[bytes] | None = None,
) -> subprocess.Popen[bytes]:
    """A real Celery worker (a child process) on the real broker and the test database,
    consuming ``queues`` (all of settings.CELERY_QUEUE_TIME_LIMITS by default), with ``env``
    over this process's environment; returned once it answers a ping. It runs in a process
    group of its own, so a test can kill -9 all of it (main process and pool children), as a
    lost machine would."""
    command = [
        *(sys.executable, "-m", "celery", "-A", "careeros.worker", "worker"),
        *("--hostname", name, "--concurrency", str(concurrency)),
        *("--queues", queues or ",".join(settings.CELERY_QUEUE_TIME_LIMITS)),
        *("--without-gossip", "--without-mingle", "--loglevel", loglevel),
    ]
    child_env = {
        **os.environ,
        **database_env_for_children(),
        "REDIS_URL": settings.REDIS_URL,
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    process = subprocess.Popen(
        command, cwd=ROOT, env=child_env, stdout=output, stderr=output, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while not celery_app.control.ping(destination=[name], timeout=0.5):
        if process.poll() is not None:
            pytest.fail(f"the Celery worker exited with {process.returncode}")
        if time.monotonic() > deadline:
            stop_process(process)
            pytest.fail("the Celery worker did not answer within 60 s")
    return process


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL to its whole process group (it must have been started in one of
    its own) if it has not exited within 30 s."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def celery_worker(name: str, **options: Any) -> Iterator[subprocess.Popen[bytes]]:
    """start_celery_worker(name, **options), stopped on leaving."""
    process = start_celery_worker(name, **options)
    try:
        yield process
    finally:
        stop_process(process)


def wait_for_http(url: str, process: subprocess.Popen[bytes], what: str) -> bytes:
    """The body of ``url`` once the server ``process`` answers it (within 60 s)."""
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            pytest.fail(f"{what} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                return bytes(response.read())
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(f"{what} did not answer within 60 s")
            time.sleep(0.2)


@pytest.fixture
def celery_worker_process(transactional_db: None) -> Iterator[str]:
    """A real Celery worker (a child process) on the real broker and the test database."""
    name = f"test-{uuid.uuid4().hex[:8]}@localhost"
    with celery_worker(name):
        yield name


WEB_SERVER_APP_NAME = "careeros-test-web"


@pytest.fixture
def web_server(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    """A real gunicorn (one sync worker, the shipped database settings) on the test
    database; yields its base URL. Static files are collected as in production."""
    env = {
        **os.environ,
        **database_env_for_children(),
        "REDIS_URL": settings.REDIS_URL,
        "STATIC_ROOT": str(tmp_path / "static"),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        # libpq names the server's sessions, so tests can tell them from other processes'.
        "PGAPPNAME": WEB_SERVER_APP_NAME,
    }
    env.pop("CONN_MAX_AGE", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "careeros.wsgi", "--bind", f"127.0.0.1:{port}"),
            *("--workers", "1", "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/healthz", process, "gunicorn")
        yield base
    finally:
        stop_process(process)

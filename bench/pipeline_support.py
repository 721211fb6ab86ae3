"""Shared set-up of the pipeline benchmarks: a bench database, a real worker, a real web server.

Imported by ``bench/pipeline_*.py`` after Django is set up. Everything runs against the
configured (or embedded) PostgreSQL and Redis, in a separate ``careeros_pipeline_bench``
database and Celery queues of its own (CELERY_QUEUE_PREFIX), so a running instance is not disturbed.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
# The two-page PDF the pipeline benchmarks upload, looked up in the corpus folder.
DEFAULT_RESUME = "dev08_resumegenerator_pdfprint.pdf"
QUEUE_PREFIX = "careeros-pipeline-bench-"
PASSWORD = "bench-password-not-secret"  # noqa: S105 - a throwaway bench account


def add_resume_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--resume", type=Path, default=None, help="the file to upload (PDF, DOCX or TXT)"
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help=f"a folder holding {DEFAULT_RESUME} (default: $CAREEROS_CORPUS, else "
        "../shared/corpus next to the repository)",
    )


def find_resume(args: argparse.Namespace) -> Path:
    """``--resume``, else the default file in ``--corpus`` / $CAREEROS_CORPUS / the shared
    corpus; exits with what to pass when none exists."""
    if args.resume is not None:
        candidates = [args.resume]
    else:
        corpus = args.corpus or Path(
            os.environ.get("CAREEROS_CORPUS") or ROOT.parent / "shared" / "corpus"
        )
        candidates = [corpus / DEFAULT_RESUME]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise SystemExit(
        f"no resume at {candidates[0]}: pass --resume FILE, or --corpus DIR (or set "
        f"CAREEROS_CORPUS) to a folder holding {DEFAULT_RESUME}"
    )


def configure_environment() -> None:
    """Before django.setup(): a queue of the bench's own, plain HTTP for the web server."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careeros.settings")
    os.environ["CELERY_QUEUE_PREFIX"] = QUEUE_PREFIX
    # Uploads go to a temporary folder shared by this process and the worker.
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="careeros-bench-media-")
    os.environ["AWS_STORAGE_BUCKET_NAME"] = ""
    sys.path.insert(0, str(ROOT))
    # The worktree's embedded servers for an unset DATABASE_URL/REDIS_URL, as the app does
    # (without this, Django's default URL would reach whatever listens on the local socket).
    from careeros.embedded import export_environment

    export_environment()


def prepare_database(name: str = "careeros_pipeline_bench") -> str:
    """Create (once) and migrate the bench database; return a URL for child processes."""
    from django.conf import settings
    from django.db import connection, connections

    from careeros.db.roles import owner_connection

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = name
    with owner_connection():
        connection.creation.create_test_db(verbosity=0, keepdb=True, serialize=False)
        # The system login uses the same database (as the tests' mirror does).
        connections[settings.SYSTEM_DB_ALIAS].creation.set_as_test_mirror(connection.settings_dict)
    # The owner's URL: children derive the runtime and system logins from it, as the app does.
    params = {**connection.settings_dict, **settings.DATABASE_OWNER}
    user = quote(params["USER"], safe="")
    password = quote(str(params["PASSWORD"] or ""), safe="")
    return f"postgres://{user}:{password}@{params['HOST']}:{params['PORT']}/{params['NAME']}"


def bench_user(email: str) -> Any:
    from careeros.db.rls import system_context
    from profiles.models import User
    from profiles.services import user_sign_up

    with system_context():
        user = User.objects.filter(email=email).first()
    return user or user_sign_up(email=email, password=PASSWORD, full_name="Bench User")


def child_environment(database_url: str) -> dict[str, str]:
    from django.conf import settings

    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE_PREFIX": QUEUE_PREFIX,
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "WARNING",
        # The bench talks plain HTTP to a local server.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
    }


def start_worker(env: dict[str, str], concurrency: int) -> subprocess.Popen[bytes]:
    from django.conf import settings

    from careeros.celery import app

    name = f"bench-{uuid.uuid4().hex[:8]}@localhost"
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "careeros.worker",
            "worker",
            "--hostname",
            name,
            "--queues",
            ",".join(settings.CELERY_QUEUE_TIME_LIMITS),
            "--concurrency",
            str(concurrency),
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[name], timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the bench worker did not start")
    return process


def start_web(env: dict[str, str], workers: int) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn with the production settings (static files collected into a temp folder)."""
    static_root = tempfile.mkdtemp(prefix="careeros-bench-static-")
    env = {**env, "STATIC_ROOT": static_root}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "careeros.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 - loopback
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the bench web server did not start") from None
            time.sleep(0.2)
    return process, base


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Browser:
    """A signed-in HTTP client with cookies and CSRF, on the standard library."""

    def __init__(self, base: str, email: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.get("/accounts/login/")
        self.post_form("/accounts/login/", {"username": email, "password": PASSWORD})

    def _csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken") or ""

    def get(self, path: str) -> tuple[int, bytes]:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.status, response.read()

    def post_form(self, path: str, fields: dict[str, str]) -> int:
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self._csrf()}).encode()
        request = urllib.request.Request(  # noqa: S310 - http to the local bench server
            self.base + path, data=data, headers=self._headers(path)
        )
        with self.opener.open(request, timeout=60) as response:
            return int(response.status)

    def upload(self, path: str, fields: dict[str, str], files: list[tuple[str, bytes]]) -> str:
        """POST multipart/form-data; returns the URL the upload redirected to."""
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for name, value in {**fields, "csrfmiddlewaretoken": self._csrf()}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for filename, content in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="documents"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        request = urllib.request.Request(  # noqa: S310 - http to the local bench server
            self.base + path,
            data=b"".join(parts),
            headers={
                **self._headers(path),
                "Content-Type": f"multipart/form-data; boundary={boundary}",
            },
        )
        with self.opener.open(request, timeout=120) as response:
            return str(response.url)

    def _headers(self, path: str) -> dict[str, str]:
        return {"Referer": self.base + path}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]

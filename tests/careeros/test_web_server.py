"""The Procfile's web process: gunicorn with gunicorn.conf.py serves CareerOS and logs JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from careeros.embedded import free_port
from tests.conftest import ROOT, database_env_for_children, stop_process, wait_for_http


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_the_sign_in_page_and_logs_json(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        **database_env_for_children(),
        "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "true",
    }
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "careeros.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            health = wait_for_http(f"http://127.0.0.1:{port}/healthz", server, "gunicorn")
            sign_in = urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=10)
        finally:
            stop_process(server)
    assert json.loads(health) == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}
    assert sign_in.status == 200
    assert b"Sign in" in sign_in.read()
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert any(line["logger"] == "gunicorn.error" for line in lines)
    assert any(line["logger"] == "gunicorn.access" for line in lines)

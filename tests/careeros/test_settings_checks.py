"""Misconfiguration is caught by Django system checks; production settings pass --deploy."""

from __future__ import annotations

import base64
import os
import subprocess
import sys

import pytest
from django.core.checks import run_checks
from django.test.utils import override_settings

from resumes.extraction.providers import PROVIDERS
from tests.conftest import ROOT, database_env_for_children

GOOD_KEY = "k1:" + base64.b64encode(b"\x01" * 32).decode()


def check_ids(**overrides: object) -> set[str]:
    with override_settings(**overrides):
        return {message.id for message in run_checks() if message.id}


def test_default_settings_pass_the_checks() -> None:
    """The defaults a developer starts with raise no error."""
    with override_settings(DEBUG=True):
        assert not [m for m in run_checks() if m.is_serious() and not m.is_silenced()]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"CELERY_TASK_SOFT_TIME_LIMIT": 400, "CELERY_TASK_TIME_LIMIT": 300}, "careeros.E001"),
        (
            {"CELERY_TASK_TIME_LIMIT": 4000, "CELERY_BROKER_TRANSPORT_OPTIONS": {}},
            "careeros.E002",
        ),
        ({"CELERY_QUEUE_TIME_LIMITS": {"ai": (700, 600)}}, "careeros.E001"),
        ({"CELERY_QUEUE_TIME_LIMITS": {"ai": (3000, 4000)}}, "careeros.E002"),
        ({"DATABASE_APP_ROLE": "app; DROP TABLE users"}, "careeros.E003"),
        ({"AI_PROVIDER": "magic"}, "careeros.E004"),
        ({"AI_PROVIDER": "openai", "OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""}, "careeros.E005"),
        ({"OPENAI_BASE_URL": "localhost:11434"}, "careeros.E006"),
        (  # 60 s × 4 tries is not below the parsing queue's soft limit of 240 s
            {
                "AI_PROVIDER": "openai",
                "OPENAI_BASE_URL": "http://127.0.0.1:11434/v1",
                "OPENAI_TIMEOUT_SECONDS": 60.0,
                "OPENAI_MAX_RETRIES": 3,
                "CELERY_QUEUE_TIME_LIMITS": {"parsing": (240, 300)},
            },
            "careeros.E010",
        ),
        (  # enrichment's jobs on the ai queue
            {
                "ENRICHMENT_PROVIDER": "openai",
                "OPENAI_TIMEOUT_SECONDS": 100.0,
                "OPENAI_MAX_RETRIES": 2,
                "CELERY_QUEUE_TIME_LIMITS": {"ai": (300, 360)},
            },
            "careeros.E010",
        ),
        (  # an enrichment job's retry due after its lease ran out
            {"PIPELINE_RETRY_BACKOFF_MAX_SECONDS": 600.0, "ENRICHMENT_JOB_LEASE_SECONDS": 600},
            "careeros.E011",
        ),
    ],
)
def test_misconfiguration_is_reported(overrides: dict[str, object], expected: str) -> None:
    """Each kind of misconfiguration produces its own check message."""
    assert expected in check_ids(**overrides)


def test_an_ai_call_that_ends_before_the_soft_limit_passes() -> None:
    """59 s × 4 tries under a 240 s soft limit is fine; the check ignores a queue whose
    tasks do not call the AI service (the rules provider)."""
    limits = {"parsing": (240, 300), "ai": (240, 300)}
    options = {"OPENAI_TIMEOUT_SECONDS": 59.0, "OPENAI_MAX_RETRIES": 3}
    assert "careeros.E010" not in check_ids(
        AI_PROVIDER="openai",
        ENRICHMENT_PROVIDER="openai",
        OPENAI_BASE_URL="http://127.0.0.1:11434/v1",
        CELERY_QUEUE_TIME_LIMITS=limits,
        **options,
    )
    assert "careeros.E010" not in check_ids(
        AI_PROVIDER="rules",
        ENRICHMENT_PROVIDER="offline",
        CELERY_QUEUE_TIME_LIMITS={"parsing": (10, 20), "ai": (10, 20)},
        **options,
    )


def test_an_enrichment_backoff_below_the_lease_passes() -> None:
    """A backoff cap just under ENRICHMENT_JOB_LEASE_SECONDS is fine (the defaults: 300 s
    against 600 s)."""
    assert "careeros.E011" not in check_ids(
        PIPELINE_RETRY_BACKOFF_MAX_SECONDS=599.0, ENRICHMENT_JOB_LEASE_SECONDS=600
    )
    assert "careeros.E011" in check_ids(
        PIPELINE_RETRY_BACKOFF_MAX_SECONDS=900.0, ENRICHMENT_JOB_LEASE_SECONDS=600
    )


def test_local_openai_compatible_server_needs_no_key() -> None:
    """An OpenAI-compatible local server (OPENAI_BASE_URL) is enough for the openai provider."""
    ids = check_ids(
        AI_PROVIDER="openai", OPENAI_API_KEY="", OPENAI_BASE_URL="http://127.0.0.1:11434/v1"
    )
    assert not ids & {"careeros.E005", "careeros.E006"}


@pytest.mark.parametrize("name", PROVIDERS)
def test_every_extraction_provider_passes_the_check(name: str) -> None:
    """Each provider get_provider() knows is accepted by AI_PROVIDER's check (E004)."""
    assert "careeros.E004" not in check_ids(
        AI_PROVIDER=name, OPENAI_BASE_URL="http://127.0.0.1:11434/v1"
    )


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    from django.conf import settings

    environment = {
        **os.environ,
        **database_env_for_children(),
        "REDIS_URL": settings.REDIS_URL,
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "p" * 20 + "4xk!vR9#qLm2@Zt8&wYc5^Hn" + "s" * 20,
    "ALLOWED_HOSTS": "careeros.example.com",
    "ENCRYPTION_KEYS": GOOD_KEY,
    "EMAIL_URL": "smtp+tls://careeros:secret@smtp.example.com:587",
}


@pytest.mark.django_db
def test_check_deploy_passes_with_production_settings() -> None:
    """`manage.py check --deploy` is clean with the README's production environment."""
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_check_deploy_rejects_the_development_secret_key() -> None:
    """Production without its own SECRET_KEY fails the deploy checks."""
    env = {**PRODUCTION, "SECRET_KEY": ""}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode != 0
    assert "security.W009" in result.stderr


@pytest.mark.django_db
def test_logs_are_json_on_stdout() -> None:
    """Log records are written to stdout as one JSON object a line."""
    import json

    result = run_manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('careeros.demo').warning('hello %s', 'log')",
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    record = next(r for r in records if r["logger"] == "careeros.demo")
    assert record["message"] == "hello log"
    assert record["level"] == "WARNING"
    assert "time" in record


def test_importing_the_settings_starts_nothing(tmp_path: os.PathLike[str]) -> None:
    """With DATABASE_URL and REDIS_URL unset, loading the settings starts no server and
    writes nothing; the system check names what is missing."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {"CAREEROS_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "careeros.settings"}
    script = (
        "import django; django.setup()\n"
        "from django.core.checks import run_checks\n"
        "print(sorted(m.id for m in run_checks() if m.id == 'careeros.E009'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['careeros.E009']"
    assert list(os.scandir(tmp_path)) == []


def test_the_embedded_env_command_exports_only_what_is_unset() -> None:
    """``python -m careeros.embedded env`` prints nothing for URLs already set."""
    env = {**os.environ, "DATABASE_URL": "postgres://x@127.0.0.1/x", "REDIS_URL": "redis://x"}
    done = subprocess.run(
        [sys.executable, "-m", "careeros.embedded", "env"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout == ""

from __future__ import annotations

import base64
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from careeros.db.rls import system_context
from careeros.vault.models import EncryptedData
from tests.conftest import celery_worker


def key_entry(key_id: str, key: bytes) -> str:
    return f"{key_id}:{base64.b64encode(key).decode()}"


@dataclass
class Ring:
    """The test's ENCRYPTION_KEYS, with the raw keys (to look for them in logs)."""

    settings: Any
    keys: dict[str, bytes]

    def use(self, *key_ids: str) -> None:
        """Make ``key_ids`` the ring, in that order, creating keys not seen before."""
        for key_id in key_ids:
            self.keys.setdefault(key_id, os.urandom(32))
        self.settings.ENCRYPTION_KEYS = [key_entry(k, self.keys[k]) for k in key_ids]


@pytest.fixture
def ring(settings: Any) -> Ring:
    """A fresh one-key ring, k1."""
    result = Ring(settings=settings, keys={})
    result.use("k1")
    settings.VAULT_RETENTION_DAYS = {
        "interview_transcript": 30,
        "interview_notes": 7,
        "kept_note": None,
    }
    return result


def expire(*records: EncryptedData, seconds_ago: int = 60) -> None:
    """Move rows' expiry into the past, as time passing would."""
    with system_context() as system, system.cursor() as cursor:
        cursor.execute(
            "UPDATE encrypted_data SET expires_at = now() - make_interval(secs => %s) "
            "WHERE id = ANY(%s)",
            [seconds_ago, [r.pk for r in records]],
        )


def count(table: str) -> int:
    with system_context() as system, system.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
        return int(cursor.fetchone()[0])


@pytest.fixture
def logged_worker(transactional_db: None, ring: Ring, tmp_path: Path) -> Iterator[Path]:
    """A real Celery worker at DEBUG log level, its output in a file, the ring in its env."""
    name = f"vault-{uuid.uuid4().hex[:8]}@localhost"
    log = tmp_path / "worker.log"
    env = {"ENCRYPTION_KEYS": ",".join(ring.settings.ENCRYPTION_KEYS), "LOG_LEVEL": "DEBUG"}
    with log.open("wb") as output, celery_worker(name, env=env, loglevel="DEBUG", output=output):
        yield log

"""No plaintext and no key reaches a log line, a command's output or an error message."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from careeros.db.rls import system_context
from careeros.vault import crypto
from careeros.vault.errors import VaultError
from careeros.vault.models import DataKey, EncryptedData
from careeros.vault.services import (
    data_key_associated_data,
    vault_read,
    vault_shred_user,
    vault_store,
)
from careeros.vault.tasks import encrypted_data_cleanup
from tests.careeros.vault.conftest import Ring, expire
from tests.factories import make_user

PLAINTEXT = "Zanzibar-7731: I negotiated my severance at Hooli"


def forms(data: bytes) -> list[str]:
    """How bytes, or a part of them, could show up in text: slices of their hex, base64 and
    repr (12 hex or 8 base64 characters of random bytes do not occur by chance)."""
    found = []
    for start in range(0, len(data) - 8, 8):
        part = data[start : start + 8]
        found += [part.hex(), base64.b64encode(part).decode()[:8], repr(part)[2:-1]]
    return found


def secrets(ring: Ring, data_keys: list[bytes]) -> list[str]:
    """The plaintext's words (and byte forms), every ring key and data key."""
    found = [word for word in PLAINTEXT.split() if len(word) >= 5]
    found += forms(PLAINTEXT.encode())
    for key in [*ring.keys.values(), *data_keys]:
        found += forms(key)
    return found


@pytest.fixture
def sql_logged() -> Iterator[None]:
    """Log every SQL statement with its parameters, as DEBUG would."""
    connection.force_debug_cursor = True
    try:
        yield
    finally:
        connection.force_debug_cursor = False


def unwrapped_data_keys(ring: Ring) -> list[bytes]:
    with system_context():
        return [
            crypto.unseal(
                ring.keys[k.master_key_id],
                bytes(k.wrap_nonce),
                bytes(k.wrapped_key),
                data_key_associated_data(
                    user_id=k.user_id, data_key_id=k.id, master_key_id=k.master_key_id
                ),
            )
            for k in DataKey.objects.all()
        ]


@pytest.mark.django_db(transaction=True)
def test_nothing_secret_is_logged_anywhere(
    ring: Ring, logged_worker: Path, caplog: pytest.LogCaptureFixture, sql_logged: None
) -> None:
    """Store, read, tamper, rotate, clean up (command and real worker), shred; then grep."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    person = make_user()
    output = StringIO()
    errors: list[str] = []

    records = [vault_store(user=person, purpose="interview_transcript", plaintext=PLAINTEXT)]
    records.append(vault_store(user=person, purpose="interview_transcript", plaintext=PLAINTEXT))
    assert vault_read(user=person, record_id=records[0].pk, purpose="interview_transcript")
    data_keys = unwrapped_data_keys(ring)
    assert len(data_keys) == 1

    with system_context():
        EncryptedData.objects.filter(pk=records[1].pk).update(purpose="interview_notes")
    for purpose in ["interview_notes", "interview_transcript"]:
        try:
            vault_read(user=person, record_id=records[1].pk, purpose=purpose)
        except (VaultError, EncryptedData.DoesNotExist) as error:
            errors.append(repr(error))
    assert len(errors) == 2

    ring.use("k2", "k1")
    call_command("rotate_encryption_keys", stdout=output, stderr=output)
    call_command("rotate_encryption_keys", "--check-unused", "k1", stdout=output)
    ring.use("k2")
    assert vault_read(user=person, record_id=records[0].pk, purpose="interview_transcript")

    expire(records[0])
    call_command("cleanup_expired_data", stdout=output, stderr=output)
    expire(records[1])
    assert encrypted_data_cleanup.delay().get(timeout=60)["deleted"] == 1
    vault_store(user=person, purpose="interview_transcript", plaintext=PLAINTEXT)
    vault_shred_user(user=person)

    time.sleep(0.5)  # let the worker's last lines reach its log file
    worker_log = logged_worker.read_text()
    assert "encrypted_data_cleanup" in worker_log  # the worker did log at DEBUG
    logged = "\n".join(
        [caplog.text, *(r.getMessage() for r in caplog.records), output.getvalue(), *errors]
    )
    assert "INSERT INTO" in logged  # SQL was logged, with its parameters
    assert "encrypted_data" in logged
    everything = logged + "\n" + worker_log
    assert [s for s in secrets(ring, data_keys) if s in everything] == []

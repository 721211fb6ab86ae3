"""The vault's system checks: a missing key ring is an error once DEBUG is off."""

from __future__ import annotations

import base64
import os

import pytest
from django.core.checks import ERROR, CheckMessage, run_checks
from django.test.utils import override_settings

from careeros.vault.keys import parse_key_ring
from tests.careeros.test_settings_checks import PRODUCTION, run_manage

GOOD = "k1:" + base64.b64encode(b"\x01" * 32).decode()


def vault_messages(**overrides: object) -> list[CheckMessage]:
    with override_settings(**overrides):
        return [m for m in run_checks() if m.id and m.id.startswith("vault.")]


def test_no_key_with_debug_off_is_an_error() -> None:
    (message,) = vault_messages(ENCRYPTION_KEYS=[], DEBUG=False)
    assert message.id == "vault.E002"
    assert message.level == ERROR
    assert "ENCRYPTION_KEYS is empty" in message.msg


def test_no_key_with_debug_on_is_allowed() -> None:
    """Development may start without a ring (./dev run generates one)."""
    assert vault_messages(ENCRYPTION_KEYS=[], DEBUG=True) == []
    assert vault_messages(ENCRYPTION_KEYS=[GOOD], DEBUG=False) == []


@pytest.mark.parametrize(
    ("entries", "reason"),
    [
        (["k1:not-base64!"], "not valid base64"),
        (["k1:" + base64.b64encode(b"short").decode()], "is 5 bytes; AES-256 needs 32"),
        ([GOOD, GOOD], "appears twice"),
        (["bad id:" + GOOD.partition(":")[2]], "entry 1 is not 'key_id:base64key'"),
    ],
)
def test_a_malformed_ring_is_an_error(entries: list[str], reason: str) -> None:
    (message,) = vault_messages(ENCRYPTION_KEYS=entries, DEBUG=True)
    assert message.id == "vault.E001"
    assert message.level == ERROR
    assert reason in message.msg


def test_a_bare_key_without_an_id_is_not_quoted_in_the_error() -> None:
    """Someone pasting only the base64 key must not find it echoed in logs."""
    bare = base64.b64encode(os.urandom(32)).decode()
    (message,) = vault_messages(ENCRYPTION_KEYS=[bare], DEBUG=True)
    assert bare[:6] not in message.msg + (message.hint or "")


@pytest.mark.parametrize(
    ("retention", "expected"),
    [
        ({"interview_transcript": 0}, "vault.E004"),
        ({"interview_transcript": "30"}, "vault.E004"),
        ({"Interview Transcript": 30}, "vault.E003"),
    ],
)
def test_bad_retention_is_an_error(retention: dict[str, object], expected: str) -> None:
    ids = {m.id for m in vault_messages(VAULT_RETENTION_DAYS=retention, ENCRYPTION_KEYS=[GOOD])}
    assert ids == {expected}


def test_the_ring_keeps_its_order() -> None:
    """The first key of ENCRYPTION_KEYS is the primary; ids keep their order."""
    second = "k0:" + base64.b64encode(b"\x02" * 32).decode()
    ring = parse_key_ring([GOOD, second])
    assert list(ring) == ["k1", "k0"]
    assert ring.primary_id == "k1"
    assert "k0" in ring
    assert repr(ring) == "KeyRing(['k1', 'k0'])"


@pytest.mark.django_db
def test_manage_py_refuses_to_start_without_keys_in_production() -> None:
    """A real `manage.py check` with DEBUG off and no ENCRYPTION_KEYS exits with vault.E002."""
    result = run_manage("check", **{**PRODUCTION, "ENCRYPTION_KEYS": ""})
    assert result.returncode != 0
    assert "vault.E002" in result.stderr
    assert run_manage("check", **PRODUCTION).returncode == 0

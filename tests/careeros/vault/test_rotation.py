"""Key rotation: everything stays readable at every step; old keys leave only when unused."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from careeros.db.rls import system_context
from careeros.vault.errors import KeyNotInRing
from careeros.vault.models import DataKey, EncryptedData
from careeros.vault.services import (
    data_keys_rewrap_batch,
    data_keys_rotate,
    vault_key_usage,
    vault_read,
    vault_store,
)
from tests.careeros.vault.conftest import Ring
from tests.factories import make_user

# The vault checks its rows through the system login, which sees committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)

TRANSCRIPT = "interview_transcript"


def all_readable(stored: dict[EncryptedData, str]) -> bool:
    return all(
        vault_read(user=record.user_id, record_id=record.pk, purpose=TRANSCRIPT) == text
        for record, text in stored.items()
    )


def wrapped_by() -> dict[str, int]:
    with system_context():
        return dict(
            (key_id, len(list(DataKey.objects.filter(master_key_id=key_id))))
            for key_id in DataKey.objects.values_list("master_key_id", flat=True).distinct()
        )


def store_for_users(n: int, rows_each: int = 2) -> dict[EncryptedData, str]:
    stored = {}
    for person in range(n):
        user = make_user()
        for row in range(rows_each):
            text = f"person {person} answer {row}"
            stored[vault_store(user=user, purpose=TRANSCRIPT, plaintext=text)] = text
    return stored


def test_rotation_keeps_every_row_readable_at_every_step(ring: Ring) -> None:
    """k1 → (k2, k1) → re-wrap one batch at a time → k2 alone → (k3, k2) → k3 alone."""
    stored = store_for_users(3)
    assert wrapped_by() == {"k1": 3}
    ring.use("k2", "k1")
    assert all_readable(stored)
    newcomer = make_user()
    stored[vault_store(user=newcomer, purpose=TRANSCRIPT, plaintext="new")] = "new"
    assert wrapped_by() == {"k1": 3, "k2": 1}  # new data keys use the primary at once
    while data_keys_rewrap_batch(batch_size=1):
        assert all_readable(stored)
    assert wrapped_by() == {"k2": 4}
    ring.use("k2")
    assert all_readable(stored)
    ring.use("k3", "k2")
    assert data_keys_rotate(batch_size=3) == 4
    ring.use("k3")
    assert all_readable(stored)
    assert wrapped_by() == {"k3": 4}


def test_rotation_rewraps_keys_and_leaves_the_ciphertexts_alone(ring: Ring) -> None:
    """A data key changes its wrapping, not its value, so rows need no re-encryption."""
    stored = store_for_users(1, rows_each=3)
    with system_context():
        before = {r.pk: bytes(r.encrypted_content) for r in EncryptedData.objects.all()}
        key_before = DataKey.objects.get()
    ring.use("k2", "k1")
    assert data_keys_rotate() == 1
    with system_context():
        after = {r.pk: bytes(r.encrypted_content) for r in EncryptedData.objects.all()}
        key_after = DataKey.objects.get()
    assert before == after
    assert key_after.master_key_id == "k2"
    assert bytes(key_after.wrapped_key) != bytes(key_before.wrapped_key)
    assert bytes(key_after.wrap_nonce) != bytes(key_before.wrap_nonce)
    assert key_after.rewrapped_at is not None
    assert all_readable(stored)


def test_removing_a_key_still_in_use_breaks_reads_clearly(ring: Ring) -> None:
    stored = store_for_users(1, rows_each=1)
    ring.use("k2")
    record = next(iter(stored))
    with pytest.raises(KeyNotInRing, match="'k1' is not in ENCRYPTION_KEYS"):
        vault_read(user=record.user_id, record_id=record.pk, purpose=TRANSCRIPT)
    ring.use("k2", "k1")  # putting it back repairs everything
    assert all_readable(stored)


def test_the_command_rotates_in_batches_with_progress_and_is_idempotent(ring: Ring) -> None:
    stored = store_for_users(5, rows_each=1)
    ring.use("k2", "k1")
    out = StringIO()
    call_command("rotate_encryption_keys", "--batch-size", "2", stdout=out)
    text = out.getvalue()
    assert "re-wrapped 2 of 5 data keys (40%)" in text
    assert "re-wrapped 5 of 5 data keys (100%)" in text
    assert "Re-wrapped 5 data keys under 'k2'." in text
    assert "k1 (decrypt only): 0 data keys, 0 rows; unused: may be removed" in text
    assert "k2 (primary): 5 data keys, 5 rows; in use" in text
    again = StringIO()
    call_command("rotate_encryption_keys", stdout=again)
    assert "Every data key is wrapped by 'k2'; nothing to do." in again.getvalue()
    assert all_readable(stored)


def test_an_interrupted_rotation_resumes_where_it_stopped(ring: Ring) -> None:
    store_for_users(4, rows_each=1)
    ring.use("k2", "k1")
    assert data_keys_rewrap_batch(batch_size=3) == 3  # then the process died
    out = StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert "re-wrapped 1 of 1 data keys (100%)" in out.getvalue()
    assert wrapped_by() == {"k2": 4}


def test_check_unused_refuses_while_rows_depend_on_the_key(ring: Ring) -> None:
    """`--check-unused k1` fails with counts until rotation moved every data key off it."""
    store_for_users(2, rows_each=3)
    ring.use("k2", "k1")
    with pytest.raises(CommandError, match=r"'k1' still wraps 2 data keys \(6 rows\)"):
        call_command("rotate_encryption_keys", "--check-unused", "k1")
    with pytest.raises(CommandError, match="is the primary key"):
        call_command("rotate_encryption_keys", "--check-unused", "k2")
    call_command("rotate_encryption_keys", stdout=StringIO())
    out = StringIO()
    call_command("rotate_encryption_keys", "--check-unused", "k1", stdout=out)
    assert "No data key or row uses 'k1': it may be removed" in out.getvalue()


def test_the_report_names_keys_missing_from_the_ring(ring: Ring) -> None:
    store_for_users(1, rows_each=2)
    ring.use("k2")
    usage = vault_key_usage()
    assert usage.data_keys == {"k1": 1}
    assert usage.rows == {"k1": 2}
    out, err = StringIO(), StringIO()
    call_command("rotate_encryption_keys", stdout=out, stderr=err)
    assert "cannot be re-wrapped (their rows cannot be read): k1" in err.getvalue()
    assert "k1 (NOT IN ENCRYPTION_KEYS): 1 data keys, 2 rows cannot be read" in out.getvalue()


def test_without_a_ring_the_command_explains(settings: object) -> None:
    settings.ENCRYPTION_KEYS = []  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="ENCRYPTION_KEYS is empty"):
        call_command("rotate_encryption_keys")

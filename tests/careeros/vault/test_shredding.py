"""Crypto-shredding: once a user's data key is destroyed, no copy of their rows decrypts."""

from __future__ import annotations

from typing import Any

import pytest

from careeros.db.rls import system_context
from careeros.vault import crypto
from careeros.vault.errors import DataKeyMissing, DecryptionFailed, KeyNotInRing
from careeros.vault.models import DataKey, EncryptedData
from careeros.vault.services import (
    content_associated_data,
    data_key_associated_data,
    data_keys_rotate,
    vault_read,
    vault_shred_user,
    vault_store,
)
from profiles.models import User
from tests.careeros.vault.conftest import Ring, count

# The vault checks its rows through the system login, which sees committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)

TRANSCRIPT = "interview_transcript"


def dump(table: str, user: User) -> list[dict[str, Any]]:
    """A backup of the user's rows of ``table``, as pg_dump would keep them."""
    with system_context() as system, system.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE user_id = %s", [user.pk])  # noqa: S608
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def restore(table: str, rows: list[dict[str, Any]]) -> None:
    with system_context() as system, system.cursor() as cursor:
        for row in rows:
            columns = ", ".join(row)
            marks = ", ".join(["%s"] * len(row))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                list(row.values()),
            )


def every_key_fails(rows: list[dict[str, Any]], ring: Ring) -> None:
    """Not even the ring keys, or every data key still in the database, open a row."""
    with system_context():
        data_keys = list(DataKey.objects.all())
    candidates = list(ring.keys.values())
    for data_key in data_keys:
        master = ring.keys[data_key.master_key_id]
        aad = data_key_associated_data(
            user_id=data_key.user_id, data_key_id=data_key.id, master_key_id=data_key.master_key_id
        )
        candidates.append(
            crypto.unseal(master, bytes(data_key.wrap_nonce), bytes(data_key.wrapped_key), aad)
        )
    for row in rows:
        aad = content_associated_data(
            user_id=row["user_id"],
            record_id=row["id"],
            purpose=row["purpose"],
            content_type=row["content_type"],
            key_id=row["key_id"],
        )
        for key in candidates:
            with pytest.raises(DecryptionFailed):
                crypto.unseal(
                    key, bytes(row["initialization_vector"]), bytes(row["encrypted_content"]), aad
                )


def test_a_backup_of_the_rows_is_unreadable_after_shredding(
    ring: Ring, user: User, other_user: User
) -> None:
    for n in range(3):
        vault_store(user=user, purpose=TRANSCRIPT, plaintext=f"secret answer {n}")
    kept = vault_store(user=other_user, purpose=TRANSCRIPT, plaintext="theirs")
    backup = dump("encrypted_data", user)
    assert vault_shred_user(user=user) == 3
    assert count("encrypted_data") == 1
    assert count("encrypted_data_keys") == 1  # other_user's
    restore("encrypted_data", backup)
    for row in backup:
        with pytest.raises(DataKeyMissing, match="destroyed"):
            vault_read(user=user, record_id=row["id"], purpose=TRANSCRIPT)
    every_key_fails(backup, ring)
    assert vault_read(user=other_user, record_id=kept.pk, purpose=TRANSCRIPT) == "theirs"


def test_a_new_data_key_after_shredding_does_not_open_old_rows(ring: Ring, user: User) -> None:
    vault_store(user=user, purpose=TRANSCRIPT, plaintext="before")
    backup = dump("encrypted_data", user)
    vault_shred_user(user=user)
    fresh = vault_store(user=user, purpose=TRANSCRIPT, plaintext="after")
    restore("encrypted_data", backup)
    with pytest.raises(DataKeyMissing):
        vault_read(user=user, record_id=backup[0]["id"], purpose=TRANSCRIPT)
    assert vault_read(user=user, record_id=fresh.pk, purpose=TRANSCRIPT) == "after"
    every_key_fails(backup, ring)


def test_a_backup_with_the_wrapped_key_dies_with_its_ring_key(ring: Ring, user: User) -> None:
    """A full backup (rows and wrapped data key) stays readable until the ring key that
    wrapped it is rotated away and removed: then it is unreadable too."""
    record = vault_store(user=user, purpose=TRANSCRIPT, plaintext="in the backup")
    rows, keys = dump("encrypted_data", user), dump("encrypted_data_keys", user)
    vault_shred_user(user=user)
    ring.use("k2", "k1")
    data_keys_rotate()
    ring.use("k2")
    restore("encrypted_data_keys", keys)
    restore("encrypted_data", rows)
    with pytest.raises(KeyNotInRing, match="'k1'"):
        vault_read(user=user, record_id=record.pk, purpose=TRANSCRIPT)
    # With k1 still in the ring, it would have been readable: the documented limit.
    ring.use("k2", "k1")
    assert vault_read(user=user, record_id=record.pk, purpose=TRANSCRIPT) == "in the backup"


def test_deleting_the_user_destroys_their_data_key_in_the_database(
    ring: Ring, user: User, other_user: User
) -> None:
    """ON DELETE CASCADE in PostgreSQL itself, whatever deletes the user."""
    vault_store(user=user, purpose=TRANSCRIPT, plaintext="gone with me")
    vault_store(user=other_user, purpose=TRANSCRIPT, plaintext="stays")
    with system_context() as system, system.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, confdeltype FROM pg_constraint "
            "WHERE contype = 'f' AND confrelid = 'users'::regclass "
            "AND conrelid::regclass::text LIKE 'encrypted_data%%'"
        )
        assert sorted(cursor.fetchall()) == [("encrypted_data", "c"), ("encrypted_data_keys", "c")]
    with system_context():
        User.objects.filter(pk=user.pk).delete()
        assert list(EncryptedData.objects.values_list("user_id", flat=True)) == [other_user.pk]
        assert list(DataKey.objects.values_list("user_id", flat=True)) == [other_user.pk]

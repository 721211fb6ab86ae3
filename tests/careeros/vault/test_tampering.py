"""Refusals: wrong keys, single flipped bits, and ciphertexts moved elsewhere."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection

from careeros.db.rls import system_context, user_context
from careeros.vault.errors import DataKeyMissing, DecryptionFailed, KeyNotInRing, VaultError
from careeros.vault.models import DataKey, EncryptedData
from careeros.vault.services import vault_read, vault_store
from profiles.models import User
from tests.careeros.vault.conftest import Ring

# The vault checks its rows through the system login, which sees committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)

TRANSCRIPT = "interview_transcript"
SECRET = "the offer was 140k, do not tell"


def flipped(data: bytes, bit: int) -> bytes:
    mutable = bytearray(data)
    mutable[bit // 8] ^= 1 << (bit % 8)
    return bytes(mutable)


def refused(user: User, record: EncryptedData, purpose: str = TRANSCRIPT) -> VaultError:
    """Read the row; it must raise a vault error that does not carry the plaintext."""
    with pytest.raises(VaultError) as caught:
        vault_read(user=user, record_id=record.pk, purpose=purpose)
    assert SECRET not in str(caught.value)
    return caught.value


def set_columns(record: EncryptedData, **values: object) -> None:
    with system_context():
        EncryptedData.objects.filter(pk=record.pk).update(**values)


def test_a_row_naming_an_unknown_data_key_is_a_clear_error(ring: Ring, user: User) -> None:
    record = vault_store(user=user, purpose=TRANSCRIPT, plaintext=SECRET)
    set_columns(record, key_id=str(uuid.uuid4()))
    error = refused(user, record)
    assert isinstance(error, DataKeyMissing)
    assert "destroyed (crypto-shredded) or never existed" in str(error)


def test_a_ring_without_the_wrapping_key_is_a_clear_error(ring: Ring, user: User) -> None:
    record = vault_store(user=user, purpose=TRANSCRIPT, plaintext=SECRET)
    ring.use("k2")  # k1, which wrapped the user's data key, is gone
    error = refused(user, record)
    assert isinstance(error, KeyNotInRing)
    assert "'k1' is not in ENCRYPTION_KEYS (known: k2)" in str(error)


def test_a_different_key_under_the_same_id_is_refused(ring: Ring, user: User) -> None:
    record = vault_store(user=user, purpose=TRANSCRIPT, plaintext=SECRET)
    del ring.keys["k1"]
    ring.use("k1")  # a new random key that reuses the id
    error = refused(user, record)
    assert isinstance(error, DecryptionFailed)
    assert "does not unwrap with ring key 'k1'" in str(error)


def test_any_flipped_bit_of_ciphertext_tag_or_nonce_is_refused(ring: Ring, user: User) -> None:
    """Every bit of the tag and nonce, and every third bit of the ciphertext (each byte
    in turn), flipped alone in the database row, fails authentication."""
    record = vault_store(user=user, purpose=TRANSCRIPT, plaintext=SECRET)
    content = bytes(record.encrypted_content)
    nonce = bytes(record.initialization_vector or b"")
    body_bits = (len(content) - 16) * 8
    cases = [("encrypted_content", content, bit) for bit in range(0, body_bits, 3)]
    cases += [("encrypted_content", content, bit) for bit in range(body_bits, len(content) * 8)]
    cases += [("initialization_vector", nonce, bit) for bit in range(len(nonce) * 8)]
    for column, original, bit in cases:
        set_columns(record, **{column: flipped(original, bit)})
        assert isinstance(refused(user, record), DecryptionFailed), (column, bit)
    set_columns(record, encrypted_content=content, initialization_vector=nonce)
    assert vault_read(user=user, record_id=record.pk, purpose=TRANSCRIPT) == SECRET


def test_any_flipped_bit_of_the_key_id_is_refused(ring: Ring, user: User) -> None:
    record = vault_store(user=user, purpose=TRANSCRIPT, plaintext=SECRET)
    key_id = record.key_id.encode()
    for bit in range(0, len(key_id) * 8, 9):  # one bit of each character, a different one
        changed = flipped(key_id, bit).decode("latin-1")
        if "\x00" in changed:
            continue  # PostgreSQL text cannot hold NUL
        set_columns(record, key_id=changed)
        refused(user, record)


def test_truncated_or_missing_nonce_is_refused(ring: Ring, user: User) -> None:
    record = vault_store(user=user, purpose=TRANSCRIPT, plaintext=SECRET)
    for nonce in [None, b"", bytes(record.initialization_vector or b"")[:8]]:
        set_columns(record, initialization_vector=nonce)
        assert isinstance(refused(user, record), DecryptionFailed)
    set_columns(record, encrypted_content=bytes(record.encrypted_content)[:10])
    assert isinstance(refused(user, record), DecryptionFailed)


def copy_sealed(source: EncryptedData, target: EncryptedData, *, with_key_id: bool) -> None:
    """Copy the sealed bytes (and, if asked, the key id) of ``source`` over ``target``."""
    set_columns(
        target,
        encrypted_content=bytes(source.encrypted_content),
        initialization_vector=bytes(source.initialization_vector or b""),
        content_size=source.content_size,
        key_id=source.key_id if with_key_id else target.key_id,
    )


def test_a_ciphertext_moved_to_another_users_row_is_refused(
    ring: Ring, user: User, other_user: User
) -> None:
    """With the key id it came with (not theirs) or with the target's own key id."""
    mine = vault_store(user=user, purpose=TRANSCRIPT, plaintext=SECRET)
    theirs = vault_store(user=other_user, purpose=TRANSCRIPT, plaintext="x" * len(SECRET))
    copy_sealed(mine, theirs, with_key_id=True)
    assert isinstance(refused(other_user, theirs), DataKeyMissing)
    copy_sealed(mine, theirs, with_key_id=False)
    assert isinstance(refused(other_user, theirs), DecryptionFailed)


def test_a_row_reassigned_to_another_user_is_refused(
    ring: Ring, user: User, other_user: User
) -> None:
    mine = vault_store(user=user, purpose=TRANSCRIPT, plaintext=SECRET)
    vault_store(user=other_user, purpose=TRANSCRIPT, plaintext="theirs")
    with user_context(other_user.pk):
        their_key = str(DataKey.objects.get().pk)
    set_columns(mine, user_id=other_user.pk)
    assert isinstance(refused(other_user, mine), DataKeyMissing)
    set_columns(mine, key_id=their_key)
    assert isinstance(refused(other_user, mine), DecryptionFailed)


def test_a_ciphertext_moved_to_another_row_of_its_owner_is_refused(ring: Ring, user: User) -> None:
    first = vault_store(user=user, purpose=TRANSCRIPT, plaintext=SECRET)
    second = vault_store(user=user, purpose=TRANSCRIPT, plaintext="y" * len(SECRET))
    copy_sealed(first, second, with_key_id=True)
    assert isinstance(refused(user, second), DecryptionFailed)
    assert vault_read(user=user, record_id=first.pk, purpose=TRANSCRIPT) == SECRET


def test_a_ciphertext_relabelled_with_another_purpose_or_type_is_refused(
    ring: Ring, user: User
) -> None:
    record = vault_store(user=user, purpose=TRANSCRIPT, plaintext=SECRET)
    set_columns(record, purpose="interview_notes")
    assert isinstance(refused(user, record, purpose="interview_notes"), DecryptionFailed)
    set_columns(record, purpose=TRANSCRIPT, content_type="text/html; charset=utf-8")
    assert isinstance(refused(user, record), DecryptionFailed)
    set_columns(record, content_type="text/plain; charset=utf-8")
    assert vault_read(user=user, record_id=record.pk, purpose=TRANSCRIPT) == SECRET


def test_a_wrapped_data_key_moved_to_another_user_does_not_unwrap(
    ring: Ring, user: User, other_user: User
) -> None:
    vault_store(user=user, purpose=TRANSCRIPT, plaintext=SECRET)
    theirs = vault_store(user=other_user, purpose=TRANSCRIPT, plaintext="theirs")
    with system_context():
        mine = DataKey.objects.get(user=user)
        DataKey.objects.filter(user=other_user).update(
            wrapped_key=bytes(mine.wrapped_key), wrap_nonce=bytes(mine.wrap_nonce)
        )
    error = refused(other_user, theirs)
    assert isinstance(error, DecryptionFailed)
    assert "does not unwrap" in str(error)


def test_an_unknown_encryption_method_is_refused(ring: Ring, user: User) -> None:
    record = vault_store(user=user, purpose=TRANSCRIPT, plaintext=SECRET)
    set_columns(record, encryption_method="aes-128-cbc")
    assert "uses 'aes-128-cbc'" in str(refused(user, record))


def test_row_level_security_blocks_moving_a_ciphertext_as_the_app(
    ring: Ring, user: User, other_user: User
) -> None:
    """In a user's context the app cannot even write a row as someone else's."""
    record = vault_store(user=user, purpose=TRANSCRIPT, plaintext=SECRET)
    with user_context(user.pk), connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM encrypted_data WHERE id = %s AND user_id = %s",
            [record.pk, user.pk],
        )
        assert cursor.fetchone()[0] == 1
    from django.db import DatabaseError, transaction

    with (
        pytest.raises(DatabaseError, match="row-level security"),
        user_context(user.pk),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE encrypted_data SET user_id = %s WHERE id = %s", [other_user.pk, record.pk]
        )

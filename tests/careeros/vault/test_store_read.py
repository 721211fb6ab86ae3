"""Storing and reading: round trips, content types, nonces, expiry, owners."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from careeros.db.rls import system_context, user_context
from careeros.vault.errors import RecordExpired, VaultNotConfigured
from careeros.vault.models import DataKey, EncryptedData
from careeros.vault.services import (
    vault_delete,
    vault_read,
    vault_read_many,
    vault_store,
)
from profiles.models import User
from tests.careeros.vault.conftest import Ring, count, expire
from tests.factories import make_user

# The vault checks its rows through the system login, which sees committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)

TRANSCRIPT = "interview_transcript"


def test_text_round_trip(ring: Ring, user: User) -> None:
    """A string comes back as the same string, stored as UTF-8 text."""
    text = "Ich habe das Team in São Paulo geleitet — 12 Leute. 🚀"
    record = vault_store(user=user, purpose=TRANSCRIPT, plaintext=text)
    assert vault_read(user=user, record_id=record.pk, purpose=TRANSCRIPT) == text
    assert record.content_type == "text/plain; charset=utf-8"
    assert record.content_size == len(text.encode())
    assert record.encryption_method == "aes-256-gcm"


def test_bytes_round_trip(ring: Ring, user: User) -> None:
    """Bytes come back as the same bytes, empty and large alike."""
    for data in [b"", bytes(range(256)) * 4096]:
        record = vault_store(user=user, purpose=TRANSCRIPT, plaintext=data)
        assert vault_read(user=user, record_id=record.pk, purpose=TRANSCRIPT) == data
        assert record.content_type == "application/octet-stream"


def test_a_content_type_with_charset_utf8_reads_as_text(ring: Ring, user: User) -> None:
    markdown = vault_store(
        user=user, purpose=TRANSCRIPT, plaintext="# Notes", content_type="text/markdown"
    )
    assert markdown.content_type == "text/markdown; charset=utf-8"
    assert vault_read(user=user, record_id=markdown.pk, purpose=TRANSCRIPT) == "# Notes"
    json_bytes = vault_store(
        user=user,
        purpose=TRANSCRIPT,
        plaintext=b'{"a": 1}',
        content_type="application/json; charset=utf-8",
    )
    assert vault_read(user=user, record_id=json_bytes.pk, purpose=TRANSCRIPT) == '{"a": 1}'
    with pytest.raises(ValueError, match="UTF-8"):
        vault_store(
            user=user, purpose=TRANSCRIPT, plaintext="x", content_type="text/x; charset=latin-1"
        )
    with pytest.raises(ValueError, match="not UTF-8"):
        vault_store(
            user=user,
            purpose=TRANSCRIPT,
            plaintext=b"\xff",
            content_type="text/plain; charset=utf-8",
        )


def test_what_is_stored_is_ciphertext(ring: Ring, user: User) -> None:
    """The row holds a 12-byte nonce and ciphertext + 16-byte tag, not the text."""
    text = "my salary at Initech was 91,000"
    record = vault_store(user=user, purpose=TRANSCRIPT, plaintext=text)
    with user_context(user.pk), connection.cursor() as cursor:
        cursor.execute(
            "SELECT encrypted_content, initialization_vector, key_id FROM encrypted_data "
            "WHERE id = %s",
            [record.pk],
        )
        content, nonce, key_id = cursor.fetchone()
    assert len(nonce) == 12
    assert len(content) == len(text.encode()) + 16
    assert text.encode() not in bytes(content)
    with user_context(user.pk):
        assert key_id == str(DataKey.objects.get(user=user).pk)


def test_every_encryption_gets_a_fresh_nonce(ring: Ring, user: User) -> None:
    """The same text stored 200 times: 200 different nonces and ciphertexts."""
    records = [vault_store(user=user, purpose=TRANSCRIPT, plaintext="same") for _ in range(200)]
    assert len({bytes(r.initialization_vector or b"") for r in records}) == 200
    assert len({bytes(r.encrypted_content) for r in records}) == 200


def test_each_user_has_one_data_key_of_their_own(ring: Ring, user: User, other_user: User) -> None:
    for _ in range(3):
        vault_store(user=user, purpose=TRANSCRIPT, plaintext="a")
    vault_store(user=other_user, purpose=TRANSCRIPT, plaintext="b")
    with system_context():
        keys = dict(DataKey.objects.values_list("user_id", "id"))
        assert set(keys) == {user.pk, other_user.pk}
        assert set(EncryptedData.objects.values_list("key_id", flat=True)) == {
            str(keys[user.pk]),
            str(keys[other_user.pk]),
        }


def test_expiry_comes_from_the_purposes_retention(ring: Ring, user: User) -> None:
    """Transcripts expire after their retention; a purpose with None never expires."""
    before = timezone.now()
    transcript = vault_store(user=user, purpose=TRANSCRIPT, plaintext="t")
    notes = vault_store(user=user, purpose="interview_notes", plaintext="n")
    kept = vault_store(user=user, purpose="kept_note", plaintext="k")
    after = timezone.now()
    assert transcript.expires_at is not None
    assert before + timedelta(days=30) <= transcript.expires_at <= after + timedelta(days=30)
    assert notes.expires_at is not None
    assert before + timedelta(days=7) <= notes.expires_at <= after + timedelta(days=7)
    assert kept.expires_at is None


def test_the_default_transcript_retention_is_the_setting(settings: object, user: User) -> None:
    """TRANSCRIPT_RETENTION_DAYS is what settings give the transcripts' purpose."""
    from django.conf import settings as conf

    assert conf.VAULT_RETENTION_DAYS["interview_transcript"] == conf.TRANSCRIPT_RETENTION_DAYS


def test_a_purpose_without_retention_is_refused(ring: Ring, user: User) -> None:
    with pytest.raises(ValueError, match="no retention"):
        vault_store(user=user, purpose="diary", plaintext="x")
    assert count("encrypted_data") == 0


def test_an_expired_row_is_not_read_even_before_cleanup(ring: Ring, user: User) -> None:
    record = vault_store(user=user, purpose=TRANSCRIPT, plaintext="old")
    expire(record)
    with pytest.raises(RecordExpired, match="expired"):
        vault_read(user=user, record_id=record.pk, purpose=TRANSCRIPT)


def test_another_user_or_purpose_gets_nothing(ring: Ring, user: User, other_user: User) -> None:
    """Row level security hides the row from its non-owner; the purpose must match."""
    record = vault_store(user=user, purpose=TRANSCRIPT, plaintext="mine")
    with pytest.raises(EncryptedData.DoesNotExist):
        vault_read(user=other_user, record_id=record.pk, purpose=TRANSCRIPT)
    with pytest.raises(EncryptedData.DoesNotExist):
        vault_read(user=user, record_id=record.pk, purpose="interview_notes")
    assert vault_read_many(user=other_user, record_ids=[record.pk], purpose=TRANSCRIPT) == {}
    assert vault_delete(user=other_user, record_id=record.pk) is False
    assert vault_read(user=user, record_id=record.pk, purpose=TRANSCRIPT) == "mine"


def test_the_second_user_sees_no_row_in_raw_sql(ring: Ring, user: User, other_user: User) -> None:
    """Both vault tables under forced RLS: nothing without context, nothing of another."""
    vault_store(user=user, purpose=TRANSCRIPT, plaintext="mine")
    for table in ["encrypted_data", "encrypted_data_keys"]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            assert cursor.fetchone()[0] == 0
        with user_context(other_user.pk), connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            assert cursor.fetchone()[0] == 0
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
            assert cursor.rowcount == 0
        with user_context(user.pk), connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            assert cursor.fetchone()[0] == 1


def test_read_many_returns_each_row(ring: Ring, user: User) -> None:
    records = [vault_store(user=user, purpose=TRANSCRIPT, plaintext=f"turn {n}") for n in range(5)]
    texts = vault_read_many(user=user, record_ids=[r.pk for r in records], purpose=TRANSCRIPT)
    assert texts == {r.pk: f"turn {n}" for n, r in enumerate(records)}


def test_delete_removes_the_row(ring: Ring, user: User) -> None:
    record = vault_store(user=user, purpose=TRANSCRIPT, plaintext="bye")
    assert vault_delete(user=user, record_id=record.pk) is True
    assert vault_delete(user=user, record_id=record.pk) is False
    with pytest.raises(EncryptedData.DoesNotExist):
        vault_read(user=user, record_id=record.pk, purpose=TRANSCRIPT)


def test_without_a_key_ring_the_vault_refuses_clearly(settings: object, user: User) -> None:
    settings.ENCRYPTION_KEYS = []  # type: ignore[attr-defined]
    with pytest.raises(VaultNotConfigured, match="ENCRYPTION_KEYS is empty"):
        vault_store(user=user, purpose=TRANSCRIPT, plaintext="x")


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_writes_share_one_data_key(ring: Ring) -> None:
    """Two threads storing a new user's first rows at once agree on one data key."""
    person = make_user()
    barrier = threading.Barrier(2)
    stored: list[EncryptedData] = []
    errors: list[BaseException] = []

    def store(text: str) -> None:
        try:
            barrier.wait()
            stored.append(vault_store(user=person, purpose=TRANSCRIPT, plaintext=text))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()  # the runtime and the system connection

    threads = [threading.Thread(target=store, args=(t,)) for t in ["left", "right"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count("encrypted_data_keys") == 1
    assert sorted(vault_read(user=person, record_id=r.pk, purpose=TRANSCRIPT) for r in stored) == [
        "left",
        "right",
    ]

"""The vault's service API: store, read, delete and shred; rotate; clean up.

Other apps call these with the owner's user; each function runs in that user's row level
security context (so it can never reach another user's rows) and owns its transaction.
Plaintext goes in and comes out of these functions only: it is never logged, never part of
an error message, and never leaves the process unencrypted.

Every ciphertext is bound, through AES-GCM's associated data, to its owner, its row id,
its purpose, its content type and the id of the data key that encrypted it: a ciphertext
copied to another user, another row or another purpose, or relabelled with another key,
fails to decrypt.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import Message

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count
from django.utils import timezone

from careeros.db.rls import system_context, user_context
from careeros.vault import crypto
from careeros.vault.errors import (
    DataKeyMissing,
    DecryptionFailed,
    RecordExpired,
    VaultError,
)
from careeros.vault.keys import KeyRing, key_ring
from careeros.vault.models import PURPOSE, DataKey, EncryptedData

logger = logging.getLogger(__name__)

type UserRef = AbstractBaseUser | uuid.UUID | str
type Plaintext = str | bytes

TEXT = "text/plain; charset=utf-8"
BINARY = "application/octet-stream"
# Versioned labels: a ciphertext of one kind can never pass for the other.
CONTENT_LABEL = "careeros.vault.content.v1"
DATA_KEY_LABEL = "careeros.vault.data-key.v1"


# -- Associated data -------------------------------------------------------------------


def content_associated_data(
    *, user_id: object, record_id: object, purpose: str, content_type: str | None, key_id: str
) -> bytes:
    """What a content ciphertext is bound to. JSON, so no two field lists encode alike."""
    fields = [CONTENT_LABEL, str(user_id), str(record_id), purpose, content_type, key_id]
    return json.dumps(fields, separators=(",", ":")).encode()


def data_key_associated_data(*, user_id: object, data_key_id: object, master_key_id: str) -> bytes:
    """What a wrapped data key is bound to: its owner, its id and the ring key wrapping it."""
    fields = [DATA_KEY_LABEL, str(user_id), str(data_key_id), master_key_id]
    return json.dumps(fields, separators=(",", ":")).encode()


# -- Storing and reading -----------------------------------------------------------------


def vault_store(
    *,
    user: UserRef,
    purpose: str,
    plaintext: Plaintext,
    content_type: str | None = None,
) -> EncryptedData:
    """Encrypt ``plaintext`` under the user's data key and store it as a new row.

    ``purpose`` names what the content is (``interview_transcript``) and must have a
    retention in ``VAULT_RETENTION_DAYS``: the row expires that many days from now (never,
    for None). ``content_type`` defaults to UTF-8 text for ``str`` and to
    ``application/octet-stream`` for ``bytes``; ``vault_read`` returns ``str`` exactly
    when it declares ``charset=utf-8``.
    """
    user_id = _user_id(user)
    expires_at = _expiry(purpose, timezone.now())
    content_type, data = _encode(plaintext, content_type)
    ring = key_ring()
    with user_context(user_id):
        data_key = _data_key_for_writing(user_id, ring)
        record_id = uuid.uuid4()
        key_id = str(data_key.id)
        sealed = crypto.seal(
            _unwrap(data_key, ring),
            data,
            content_associated_data(
                user_id=user_id,
                record_id=record_id,
                purpose=purpose,
                content_type=content_type,
                key_id=key_id,
            ),
        )
        return EncryptedData.objects.create(
            id=record_id,
            user_id=user_id,
            encrypted_content=sealed.ciphertext,
            encryption_method=crypto.METHOD,
            key_id=key_id,
            initialization_vector=sealed.nonce,
            content_type=content_type,
            content_size=len(data),
            purpose=purpose,
            expires_at=expires_at,
        )


def vault_read(*, user: UserRef, record_id: uuid.UUID | str, purpose: str) -> Plaintext:
    """Decrypt one of the user's rows of ``purpose``.

    EncryptedData.DoesNotExist for a row that is not the user's or not of that purpose;
    RecordExpired past its expiry; DataKeyMissing once the user's key was destroyed;
    KeyNotInRing when its ring key was removed; DecryptionFailed for anything altered.
    """
    return vault_read_many(user=user, record_ids=[record_id], purpose=purpose, strict=True)[
        _as_uuid(record_id)
    ]


def vault_read_many(
    *,
    user: UserRef,
    record_ids: Iterable[uuid.UUID | str],
    purpose: str,
    strict: bool = False,
) -> dict[uuid.UUID, Plaintext]:
    """Decrypt several of the user's rows of ``purpose`` in two queries, keyed by row id.

    Rows that are missing (or not the user's) are left out unless ``strict``; any row that
    fails to decrypt raises, as in ``vault_read``.
    """
    wanted = {_as_uuid(record_id) for record_id in record_ids}
    user_id = _user_id(user)
    ring = key_ring()
    now = timezone.now()
    with user_context(user_id):
        records = list(EncryptedData.objects.filter(pk__in=wanted, purpose=purpose))
        if strict and len(records) < len(wanted):
            raise EncryptedData.DoesNotExist(
                f"no encrypted_data row of purpose {purpose!r} with that id for this user"
            )
        keys = _data_keys(user_id, {record.key_id for record in records}, ring)
        return {record.id: _open(record, keys, now=now) for record in records}


def vault_delete(*, user: UserRef, record_id: uuid.UUID | str) -> bool:
    """Delete one of the user's rows; False if there was none."""
    with user_context(_user_id(user)):
        deleted, _ = EncryptedData.objects.filter(pk=_as_uuid(record_id)).delete()
    return deleted > 0


def vault_shred_user(*, user: UserRef) -> int:
    """Destroy the user's data key, then delete their rows; returns the rows deleted.

    Once the data key is gone, no copy of the user's ciphertexts (a replica, a dump of
    ``encrypted_data``) can be decrypted with the ring keys. A dump that also holds the
    wrapped data key stays readable with the ring key that wrapped it: rotating the ring
    and removing that key ends that too (see the README).
    """
    user_id = _user_id(user)
    with user_context(user_id):
        keys, _ = DataKey.objects.filter(user_id=user_id).delete()
        rows, _ = EncryptedData.objects.filter(user_id=user_id).delete()
    # Whose is not logged: the account's deletion is audited without naming the person.
    logger.info("vault: shredded a user (%d data key destroyed, %d rows deleted)", keys, rows)
    return rows


# -- Rotation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyUsage:
    """How many data keys (and, through them, rows) each ring key wraps."""

    data_keys: dict[str, int]
    rows: dict[str, int]

    def unused(self, ring: KeyRing) -> list[str]:
        return [key_id for key_id in ring if not self.data_keys.get(key_id)]

    def missing_from(self, ring: KeyRing) -> list[str]:
        return sorted(key_id for key_id in self.data_keys if key_id not in ring)


def vault_key_usage(*, count_rows: bool = True) -> KeyUsage:
    """Count data keys (and rows) per ring key id, across all users (system context)."""
    with system_context() as connection:
        data_keys = dict(
            DataKey.objects.values_list("master_key_id").annotate(n=Count("id")).order_by()
        )
        rows: dict[str, int] = {}
        if count_rows:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT k.master_key_id, count(*) FROM encrypted_data d "
                    "JOIN encrypted_data_keys k ON k.id::text = d.key_id "
                    "GROUP BY k.master_key_id"
                )
                rows = dict(cursor.fetchall())
    return KeyUsage(data_keys=data_keys, rows=rows)


def data_keys_rewrap_batch(*, batch_size: int) -> int:
    """Re-wrap up to ``batch_size`` data keys under the primary ring key, in one transaction.

    Only keys wrapped by another key that the ring still holds are taken, locked with SKIP
    LOCKED so two rotations never fight over one; returns how many were re-wrapped (0 when
    done). The content rows are untouched: they are encrypted under the data keys, whose
    value does not change.
    """
    ring = key_ring()
    primary = ring.primary_id
    old = [key_id for key_id in ring if key_id != primary]
    if not old:
        return 0
    with system_context():
        batch = list(
            DataKey.objects.filter(master_key_id__in=old)
            .order_by("id")
            .select_for_update(skip_locked=True)[:batch_size]
        )
        now = timezone.now()
        for data_key in batch:
            plain = _unwrap(data_key, ring)
            sealed = crypto.seal(
                ring[primary],
                plain,
                data_key_associated_data(
                    user_id=data_key.user_id, data_key_id=data_key.id, master_key_id=primary
                ),
            )
            data_key.master_key_id = primary
            data_key.wrapped_key = sealed.ciphertext
            data_key.wrap_nonce = sealed.nonce
            data_key.rewrapped_at = now
        DataKey.objects.bulk_update(
            batch, ["master_key_id", "wrapped_key", "wrap_nonce", "rewrapped_at"]
        )
    return len(batch)


def data_keys_rotate(
    *, batch_size: int = 500, on_batch: Callable[[int], None] | None = None
) -> int:
    """Re-wrap every data key under the primary ring key, batch by batch; returns the count.

    Each batch commits, so an interrupted rotation resumes where it stopped, and running
    it again when everything is under the primary does nothing.
    """
    total = 0
    while done := data_keys_rewrap_batch(batch_size=batch_size):
        total += done
        if on_batch is not None:
            on_batch(total)
    return total


# -- Expiry and cleanup ------------------------------------------------------------------

# pg_advisory_lock key of the cleanup (any constant bigint that no other lock uses).
CLEANUP_LOCK_KEY = 0x5641554C545F4331  # "VAULT_C1"
# Rows deleted per transaction: small enough that the row locks of one batch are held for
# milliseconds (bench/vault.py measures the longest), large enough to clean 1,000,000 rows
# in seconds.
CLEANUP_BATCH_SIZE = 5_000

# One batch: the oldest expired rows from where the last batch ended (keyset order on the
# seed's partial index, so no batch walks again over the index entries of rows the batches
# before it deleted), skipping rows another transaction holds, so a concurrent delete
# neither waits nor doubles (a row skipped that way waits for the next run); deleted by
# their ctid, which their row lock keeps stable.
_DELETE_BATCH = """
WITH doomed AS (
    SELECT ctid FROM encrypted_data
     WHERE expires_at >= %(after)s AND expires_at < %(cutoff)s
     ORDER BY expires_at
     LIMIT %(limit)s
     FOR UPDATE SKIP LOCKED
), gone AS (
    DELETE FROM encrypted_data
     WHERE ctid = ANY(ARRAY(SELECT ctid FROM doomed))
    RETURNING expires_at
)
SELECT count(*), max(expires_at) FROM gone
"""


@dataclass(frozen=True)
class CleanupResult:
    deleted: int
    batches: int
    # Another cleanup held the lock: this one did nothing.
    locked_out: bool = False
    # False when the time budget ran out with expired rows left (the next run goes on).
    finished: bool = True
    longest_batch_seconds: float = 0.0


def encrypted_data_cleanup(
    *,
    batch_size: int = CLEANUP_BATCH_SIZE,
    time_budget_seconds: float | None = None,
    on_batch: Callable[[int, float], None] | None = None,
) -> CleanupResult:
    """Delete every row that had expired when the run started, ``batch_size`` rows a
    transaction (system context), under an advisory lock: while one cleanup runs, another
    (a second beat, a manual run) returns at once with ``locked_out``.

    Call it outside a transaction, so each batch commits and releases its locks.
    ``on_batch(deleted_so_far, batch_seconds)`` reports progress.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s), now()", [CLEANUP_LOCK_KEY])
        locked, cutoff = cursor.fetchone()
    if not locked:
        logger.info("vault cleanup skipped: another cleanup holds the lock")
        return CleanupResult(deleted=0, batches=0, locked_out=True)
    started = time.monotonic()
    deleted = batches = 0
    longest = 0.0
    finished = False
    after = datetime.min.replace(tzinfo=UTC)
    try:
        while True:
            if time_budget_seconds is not None and time.monotonic() - started > time_budget_seconds:
                break
            batch_started = time.monotonic()
            with system_context() as system, system.cursor() as cursor:
                cursor.execute(
                    _DELETE_BATCH, {"after": after, "cutoff": cutoff, "limit": batch_size}
                )
                count, last = cursor.fetchone()
            elapsed = time.monotonic() - batch_started  # the batch's locks end with its commit
            if count == 0:
                finished = True
                break
            deleted += count
            batches += 1
            after = last
            longest = max(longest, elapsed)
            if on_batch is not None:
                on_batch(deleted, elapsed)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [CLEANUP_LOCK_KEY])
    logger.info(
        "vault cleanup deleted %d expired rows in %d batches (longest %.1f ms)%s",
        deleted,
        batches,
        longest * 1000,
        "" if finished else "; time budget used up, the next run goes on",
    )
    return CleanupResult(
        deleted=deleted,
        batches=batches,
        finished=finished,
        longest_batch_seconds=longest,
    )


def retention_days(purpose: str) -> int | None:
    """Days a purpose's rows are kept (None: until deleted); ValueError if unknown."""
    retention = settings.VAULT_RETENTION_DAYS
    if not PURPOSE.match(purpose) or purpose not in retention:
        raise ValueError(
            f"purpose {purpose!r} has no retention: add it to VAULT_RETENTION_DAYS "
            f"(known: {', '.join(sorted(retention))})"
        )
    days = retention[purpose]
    return None if days is None else int(days)


# -- Internals ---------------------------------------------------------------------------


def _user_id(user: UserRef) -> uuid.UUID:
    return _as_uuid(user.pk if isinstance(user, AbstractBaseUser) else user)


def _as_uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _expiry(purpose: str, now: datetime) -> datetime | None:
    days = retention_days(purpose)
    return None if days is None else now + timedelta(days=days)


def _charset(content_type: str) -> str | None:
    message = Message()
    message["content-type"] = content_type
    charset = message.get_param("charset")
    return charset.lower() if isinstance(charset, str) else None


def _encode(plaintext: Plaintext, content_type: str | None) -> tuple[str, bytes]:
    """The content type to store and the bytes to encrypt."""
    if isinstance(plaintext, str):
        if content_type is None:
            return TEXT, plaintext.encode()
        charset = _charset(content_type)
        if charset is None:
            return f"{content_type}; charset=utf-8", plaintext.encode()
        if charset != "utf-8":
            raise ValueError("text is stored as UTF-8: its content type must say charset=utf-8")
        return content_type, plaintext.encode()
    if content_type is None:
        return BINARY, bytes(plaintext)
    if _charset(content_type) == "utf-8":
        try:
            plaintext.decode()
        except UnicodeDecodeError:
            raise ValueError("the bytes are not UTF-8, yet the content type says so") from None
    return content_type, bytes(plaintext)


def _decode(data: bytes, content_type: str | None) -> Plaintext:
    return data.decode() if content_type and _charset(content_type) == "utf-8" else data


def _data_key_for_writing(user_id: uuid.UUID, ring: KeyRing) -> DataKey:
    """The user's data key, created (wrapped by the primary ring key) on first use."""
    existing = DataKey.objects.filter(user_id=user_id).first()
    if existing is not None:
        return existing
    data_key_id = uuid.uuid4()
    primary = ring.primary_id
    sealed = crypto.seal(
        ring[primary],
        crypto.new_key(),
        data_key_associated_data(user_id=user_id, data_key_id=data_key_id, master_key_id=primary),
    )
    # A concurrent first write for the same user may win the unique user_id: use its key.
    DataKey.objects.bulk_create(
        [
            DataKey(
                id=data_key_id,
                user_id=user_id,
                master_key_id=primary,
                wrapped_key=sealed.ciphertext,
                wrap_nonce=sealed.nonce,
            )
        ],
        ignore_conflicts=True,
    )
    return DataKey.objects.get(user_id=user_id)


def _unwrap(data_key: DataKey, ring: KeyRing) -> bytes:
    master = ring[data_key.master_key_id]  # KeyNotInRing names the missing id
    try:
        return crypto.unseal(
            master,
            bytes(data_key.wrap_nonce),
            bytes(data_key.wrapped_key),
            data_key_associated_data(
                user_id=data_key.user_id,
                data_key_id=data_key.id,
                master_key_id=data_key.master_key_id,
            ),
        )
    except DecryptionFailed:
        raise DecryptionFailed(
            f"data key {data_key.id} does not unwrap with ring key {data_key.master_key_id!r}: "
            "it was altered, moved from another user, or that ring entry is not the key "
            "that wrapped it"
        ) from None


def _data_keys(user_id: uuid.UUID, key_ids: set[str], ring: KeyRing) -> dict[str, bytes]:
    """The user's unwrapped data keys among ``key_ids`` (ids that are no UUID match none)."""
    ids = []
    for key_id in key_ids:
        try:
            ids.append(uuid.UUID(key_id))
        except ValueError:
            continue
    found = DataKey.objects.filter(user_id=user_id, pk__in=ids)
    return {str(data_key.id): _unwrap(data_key, ring) for data_key in found}


def _open(record: EncryptedData, keys: dict[str, bytes], *, now: datetime) -> Plaintext:
    if record.encryption_method != crypto.METHOD:
        raise VaultError(
            f"encrypted_data row {record.id} uses {record.encryption_method!r}, "
            f"not {crypto.METHOD!r}"
        )
    if record.expires_at is not None and record.expires_at <= now:
        raise RecordExpired(f"encrypted_data row {record.id} expired at {record.expires_at}")
    key = keys.get(record.key_id)
    if key is None:
        raise DataKeyMissing(
            f"encrypted_data row {record.id} names data key {record.key_id!r}, which its "
            "owner does not have: it was destroyed (crypto-shredded) or never existed"
        )
    try:
        data = crypto.unseal(
            key,
            bytes(record.initialization_vector or b""),
            bytes(record.encrypted_content),
            content_associated_data(
                user_id=record.user_id,
                record_id=record.id,
                purpose=record.purpose,
                content_type=record.content_type,
                key_id=record.key_id,
            ),
        )
    except DecryptionFailed:
        raise DecryptionFailed(
            f"encrypted_data row {record.id} failed authentication: its ciphertext, nonce or "
            "tag was altered, or it was moved from another user, row or purpose"
        ) from None
    if record.content_size is not None and record.content_size != len(data):
        raise VaultError(f"encrypted_data row {record.id}: content_size does not match")
    return _decode(data, record.content_type)

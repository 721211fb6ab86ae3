"""The key ring: ``ENCRYPTION_KEYS``, a list of ``key_id:base64key`` entries.

The first entry is the primary key: it wraps every new data key. The others only unwrap
data keys wrapped before a rotation, until ``manage.py rotate_encryption_keys`` has moved
them all to the primary and the old entry can be dropped. Key bytes never appear in a
repr, a log line or an error message; key ids do.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from functools import lru_cache

from django.conf import settings

from careeros.vault.crypto import KEY_BYTES
from careeros.vault.errors import KeyNotInRing, VaultNotConfigured

# Key ids are stored in every data key row and shown to operators: short and plain.
KEY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class KeyRing:
    """Ring keys by id, in ENCRYPTION_KEYS order; the first is the primary.

    Not a Mapping: a missing id raises KeyNotInRing (naming it), never KeyError.
    """

    def __init__(self, keys: dict[str, bytes]) -> None:
        self._keys = dict(keys)

    def __getitem__(self, key_id: str) -> bytes:
        try:
            return self._keys[key_id]
        except KeyError:
            raise KeyNotInRing(
                f"key {key_id!r} is not in ENCRYPTION_KEYS (known: {', '.join(self) or 'none'})"
            ) from None

    def __contains__(self, key_id: object) -> bool:
        return key_id in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"KeyRing({list(self._keys)})"

    @property
    def primary_id(self) -> str:
        if not self._keys:
            raise VaultNotConfigured(
                "ENCRYPTION_KEYS is empty: set it to 'key_id:base64key' (32 random bytes)."
            )
        return next(iter(self._keys))


def parse_key_ring(entries: list[str]) -> KeyRing:
    """Parse ``key_id:base64key`` entries; ValueError (naming no key material) if bad."""
    keys: dict[str, bytes] = {}
    for position, entry in enumerate(entries, start=1):
        key_id, separator, encoded = entry.strip().partition(":")
        if not separator or not KEY_ID.match(key_id):
            # The entry itself is not quoted: without its separator it may be a bare key.
            raise ValueError(
                f"entry {position} is not 'key_id:base64key' with a key id of letters, "
                "digits, '.', '_' or '-'"
            )
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise ValueError(f"key {key_id!r} is not valid base64") from None
        if len(key) != KEY_BYTES:
            raise ValueError(f"key {key_id!r} is {len(key)} bytes; AES-256 needs {KEY_BYTES}")
        if key_id in keys:
            raise ValueError(f"key id {key_id!r} appears twice")
        keys[key_id] = key
    return KeyRing(keys)


def key_ring() -> KeyRing:
    """The ring configured now (``override_settings`` in tests takes effect at once)."""
    return _parsed(tuple(settings.ENCRYPTION_KEYS))


@lru_cache(maxsize=4)
def _parsed(entries: tuple[str, ...]) -> KeyRing:
    try:
        return parse_key_ring(list(entries))
    except ValueError as error:
        raise VaultNotConfigured(f"ENCRYPTION_KEYS is malformed: {error}.") from None

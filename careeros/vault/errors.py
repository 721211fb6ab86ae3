"""The vault's errors. Their messages name rows and key ids, never keys or plaintext."""

from __future__ import annotations


class VaultError(Exception):
    """Base of every error the vault raises on purpose."""


class VaultNotConfigured(VaultError):
    """``ENCRYPTION_KEYS`` is empty or malformed: nothing can be encrypted or decrypted."""


class KeyNotInRing(VaultError):
    """A data key is wrapped by a ring key that ``ENCRYPTION_KEYS`` no longer lists."""


class DataKeyMissing(VaultError):
    """A row names a data key that does not exist: destroyed (crypto-shredded) or bogus."""


class DecryptionFailed(VaultError):
    """AES-GCM authentication failed: the ciphertext, its nonce, tag, key or associated
    data (owner, row, purpose, content type, key id) is not what it was encrypted with."""


class RecordExpired(VaultError):
    """The row is past its ``expires_at``; the nightly cleanup will delete it."""

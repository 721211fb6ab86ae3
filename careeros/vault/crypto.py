"""AES-256-GCM: the one module of CareerOS that imports ``cryptography``.

Everything the vault encrypts, content and wrapped data keys alike, goes through
``seal`` and ``unseal``: AES-256-GCM, an AEAD, with a fresh random 96-bit nonce from the
operating system's CSPRNG for every encryption. Random nonces are safe for the vault's
volumes: with 2^32 encryptions under one key the chance of any repeat stays below 2^-32,
and every user has a key of their own. The associated data is authenticated but not
encrypted: it binds a ciphertext to where it belongs, so one moved elsewhere fails.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from careeros.vault.errors import DecryptionFailed

METHOD = "aes-256-gcm"  # the value of encrypted_data.encryption_method
KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # 96 bits: GCM's native nonce size (others are hashed into one)
TAG_BYTES = 16  # the full 128-bit GCM tag, appended to the ciphertext


@dataclass(frozen=True, repr=False)
class Sealed:
    """A nonce and the ciphertext with its tag appended (``cryptography``'s layout)."""

    nonce: bytes
    ciphertext: bytes

    def __repr__(self) -> str:
        return f"Sealed({len(self.ciphertext)} bytes)"


def new_key() -> bytes:
    """A random 256-bit key (a user's data key)."""
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def seal(key: bytes, plaintext: bytes, associated_data: bytes) -> Sealed:
    """Encrypt and authenticate ``plaintext``, binding ``associated_data`` to it."""
    nonce = os.urandom(NONCE_BYTES)
    return Sealed(nonce, AESGCM(key).encrypt(nonce, plaintext, associated_data))


def unseal(key: bytes, nonce: bytes, ciphertext: bytes, associated_data: bytes) -> bytes:
    """Decrypt ``ciphertext``; DecryptionFailed if anything differs from what was sealed.

    A wrong key, nonce, tag, ciphertext bit or associated data all fail the same way, by
    design: the error tells nothing about which, and returns no partial plaintext.
    """
    if len(key) != KEY_BYTES or len(nonce) != NONCE_BYTES or len(ciphertext) < TAG_BYTES:
        raise DecryptionFailed("the ciphertext, nonce or key has the wrong length")
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, associated_data)
    except InvalidTag:
        raise DecryptionFailed("authentication failed") from None

"""The vault: sensitive text encrypted at rest, bound to its owner, gone when it expires.

``encrypted_data`` holds AES-256-GCM ciphertexts. Each user's rows are encrypted under
that user's own data key (``encrypted_data_keys``), stored only wrapped by a key of the
ring in ``ENCRYPTION_KEYS``: destroying the data key (``vault_shred_user``, or deleting the
user) leaves their ciphertexts undecryptable, and rotating the ring re-wraps 32-byte data
keys instead of re-encrypting every row.

Other apps use ``careeros.vault.services`` (``vault_store``, ``vault_read``,
``vault_delete``, ``vault_shred_user``) and never see keys. ``careeros.vault.crypto`` is
the one module that imports ``cryptography``.
"""

"""The seed's ``encrypted_data`` table, and the per-user data keys that encrypt it.

``encrypted_data`` keeps the seed's columns as they are: ``encrypted_content`` is the
AES-GCM ciphertext with its 16-byte tag appended, ``initialization_vector`` the 96-bit
nonce, ``key_id`` the id of the owner's data key that encrypted it, ``content_type`` the
media type of the plaintext and ``content_size`` its length in bytes. CareerOS adds
``purpose`` (what the content is, e.g. ``interview_transcript``; it decides the
retention and is bound to the ciphertext).

``encrypted_data_keys`` holds each user's data key, only ever wrapped (AES-256-GCM) by
the ring key ``master_key_id``. Both tables are owned by their user (row level security)
and cascade from the user in the database itself, so deleting a user destroys their
data key whatever the deleting code's context.
"""

from __future__ import annotations

import re
import uuid
from typing import Any, Self

from django.conf import settings
from django.contrib.postgres.functions import RandomUUID
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from careeros.vault.crypto import METHOD

# A purpose names what a row holds (``interview_transcript``): a lower-case identifier.
PURPOSE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


class EncryptedDataQuerySet(models.QuerySet["EncryptedData"]):
    def for_user(self, user: Any) -> Self:
        return self.filter(user_id=getattr(user, "pk", user))

    def expired(self, at: Any = None) -> Self:
        return self.filter(expires_at__lt=at if at is not None else Now())


class EncryptedData(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+"
    )
    encrypted_content = models.BinaryField()
    encryption_method = models.TextField(default=METHOD, db_default=METHOD)
    key_id = models.TextField()
    initialization_vector = models.BinaryField(null=True)
    content_type = models.TextField(null=True)  # noqa: DJ001 - the seed allows NULL
    content_size = models.IntegerField(null=True)
    created_at = models.DateTimeField(db_default=Now())
    expires_at = models.DateTimeField(null=True)
    purpose = models.TextField()  # CareerOS's addition

    objects = EncryptedDataQuerySet.as_manager()

    class Meta:
        db_table = "encrypted_data"
        verbose_name = "encrypted data row"
        indexes = [
            # The seed's TTL index: the cleanup walks expired rows through it.
            models.Index(
                fields=["expires_at"],
                condition=Q(expires_at__isnull=False),
                name="idx_encrypted_data_expires",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.id}"


class DataKey(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())
    # One live data key per user (unique): concurrent first writes agree on it.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+"
    )
    master_key_id = models.TextField()
    wrapped_key = models.BinaryField()
    wrap_nonce = models.BinaryField()
    created_at = models.DateTimeField(db_default=Now())
    rewrapped_at = models.DateTimeField(null=True)

    class Meta:
        db_table = "encrypted_data_keys"
        verbose_name = "data key"
        indexes = [
            # Rotation finds the keys still wrapped by an old ring key.
            models.Index(fields=["master_key_id"], name="idx_encrypted_data_keys_master"),
        ]

    def __str__(self) -> str:
        return f"data key {self.id} (wrapped by {self.master_key_id})"

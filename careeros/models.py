"""The operators' audit trail: every admin page an operator opens, with what it showed."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.functions import RandomUUID
from django.db import models
from django.db.models.functions import Now


class AdminAccess(models.Model):
    """One admin request by an operator: who, when, which page and object, read or write.

    Written by the admin site in its system context; the runtime role sees none of them
    (row level security with no owner), operators read them in the admin itself.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    operator_email = models.TextField()
    method = models.CharField(max_length=10)
    path = models.TextField()
    view = models.TextField()
    object_id = models.TextField(blank=True, default="")
    status_code = models.IntegerField(null=True)
    accessed_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "admin_access_log"
        indexes = [models.Index(fields=["accessed_at"], name="idx_admin_access_log_at")]

    def __str__(self) -> str:
        return f"{self.operator_email} {self.method} {self.path}"

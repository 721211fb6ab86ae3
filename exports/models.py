"""Archives of everything a person's account holds ("Download all my data")."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Now


class ExportStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    RUNNING = "running", "Building"
    COMPLETED = "completed", "Ready"
    FAILED = "failed", "Failed"


class DataExport(models.Model):
    """One "download all my data" archive: built by a worker, kept until ``expires_at``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+"
    )
    status = models.TextField(
        choices=ExportStatus, default=ExportStatus.PENDING, db_default=ExportStatus.PENDING
    )
    progress = models.IntegerField(default=0, db_default=0)
    storage_path = models.TextField(blank=True, default="", db_default="")
    size_bytes = models.BigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="", db_default="")
    attempts = models.IntegerField(default=0, db_default=0)
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())
    completed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "data_exports"
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["expires_at"], name="idx_data_exports_expires")]

    def __str__(self) -> str:
        return f"data export {self.pk} ({self.status})"

    @property
    def is_terminal(self) -> bool:
        return self.status in (ExportStatus.COMPLETED, ExportStatus.FAILED)

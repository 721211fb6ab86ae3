"""Download all my data: a ZIP of every row the person owns (JSON, one file per table),
their original uploads and their vault content decrypted.

``data_export_request`` records the request and enqueues its build on commit;
``data_export_build`` (the Celery task's body) claims it with a compare-and-set, writes the
archive to a temporary file table by table, committing its progress after each part so the
page's progress bar moves, then stores it (local files or S3) and marks it ready until
``DATA_EXPORT_RETENTION_HOURS`` from then. The hourly cleanup deletes expired archives.
"""

from __future__ import annotations

import json
import logging
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.functions import Now
from django.utils import timezone

from careeros.db.rls import user_context
from careeros.vault.models import EncryptedData
from careeros.vault.services import vault_read
from exports.models import DataExport, ExportStatus
from profiles.models import User
from resumes import storage
from resumes.models import ResumeVersion

logger = logging.getLogger(__name__)

# A build that has not moved for this long lost its worker: a new delivery may take it.
STALE_AFTER = timedelta(minutes=15)
MAX_ATTEMPTS = 3


def _owner_lookup(model: type[models.Model]) -> str | None:
    """The ORM path from ``model`` to its owner's id (``stream__user_id``), if it has one."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    path: list[str] = []
    current: Any = model
    for _ in range(4):
        through = getattr(current, "rls_owned_through", None)
        name = through or "user"
        try:
            field = current._meta.get_field(name)
        except Exception:
            return None
        if not getattr(field, "is_relation", False) or field.many_to_many:
            return None
        path.append(name)
        if field.related_model is user_model:
            return "__".join(path) + "_id"
        current = field.related_model
    return None


def owned_models() -> list[tuple[type[models.Model], str]]:
    """Every model with rows owned by a user, with the lookup of the owner's id."""
    found: list[tuple[type[models.Model], str]] = []
    for model in apps.get_models():
        lookup = _owner_lookup(model)
        if lookup is not None:
            found.append((model, lookup))
    return sorted(found, key=lambda item: item[0]._meta.db_table)


def _rows(model: type[models.Model], lookup: str, user_id: UUID) -> list[dict[str, Any]]:
    names = [
        field.attname
        for field in model._meta.concrete_fields
        if not isinstance(field, models.BinaryField)
    ]
    queryset = model._default_manager.filter(**{lookup: user_id}).order_by("pk").values(*names)
    return list(queryset)


def _progress(export_id: UUID, user_id: UUID, progress: int) -> None:
    with user_context(user_id):
        DataExport.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(
            progress=progress, updated_at=Now()
        )


def _parts(user: User) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """(name in the archive, its bytes) for every part, in order."""
    user_id = user.pk

    def account() -> bytes:
        row = {"id": str(user.pk), "email": user.email, "date_joined": user.date_joined}
        return json.dumps(row, cls=DjangoJSONEncoder, indent=1).encode()

    yield "account.json", account
    for model, lookup in owned_models():

        def table(model: type[models.Model] = model, lookup: str = lookup) -> bytes:
            with user_context(user_id):
                rows = _rows(model, lookup, user_id)
            return json.dumps(rows, cls=DjangoJSONEncoder, indent=1, ensure_ascii=False).encode()

        yield f"tables/{model._meta.db_table}.json", table
    with user_context(user_id):
        uploads = list(
            ResumeVersion.objects.filter(user_id=user_id)
            .exclude(storage_path="")
            .exclude(storage_path__isnull=True)
            .values_list("pk", "original_filename", "storage_path")
        )
        secrets = list(
            EncryptedData.objects.filter(user_id=user_id)
            .exclude(expires_at__lt=timezone.now())
            .values_list("pk", "purpose", "content_type")
        )
    for version_id, filename, path in uploads:

        def upload(path: str = str(path)) -> bytes:
            return storage.original_read(path, limit=settings.RESUME_MAX_UPLOAD_BYTES)

        yield f"uploads/{version_id}/{storage.safe_name(filename)}", upload
    for record_id, purpose, content_type in secrets:

        def secret(record_id: UUID = record_id, purpose: str = purpose) -> bytes:
            with user_context(user_id):
                value = vault_read(user=user_id, record_id=record_id, purpose=purpose)
            return value.encode() if isinstance(value, str) else value

        text = (content_type or "").startswith("text/")
        yield f"vault/{purpose}/{record_id}.{'txt' if text else 'bin'}", secret


README = """This archive holds everything CareerOS keeps about your account:

- account.json: your sign-in details (never your password);
- tables/<table>.json: every row you own, one file per table, every column (binary
  columns, which only hold ciphertext, are left out: their decrypted content is in vault/);
- uploads/<version id>/<file>: the resumes you uploaded, as uploaded;
- vault/<purpose>/<id>.txt: your encrypted data (interview transcripts), decrypted.
"""


def data_export_request(*, user: User) -> DataExport:
    """Start building an archive, or return the one already being built."""
    from exports.tasks import data_export_build_task

    with transaction.atomic():
        running = (
            DataExport.objects.filter(
                user=user, status__in=(ExportStatus.PENDING, ExportStatus.RUNNING)
            )
            .order_by("-created_at")
            .first()
        )
        if running is not None:
            return running
        export = DataExport.objects.create(user=user)
        export_id, user_id = str(export.pk), str(user.pk)
        transaction.on_commit(lambda: data_export_build_task.delay(export_id, user_id=user_id))
    return export


def _claim(export_id: UUID | str, user_id: UUID | str) -> DataExport | None:
    with user_context(user_id):
        export = DataExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.is_terminal:
            return None
        stale = timezone.now() - STALE_AFTER
        if export.status == ExportStatus.RUNNING and export.updated_at >= stale:
            return None
        if export.attempts >= MAX_ATTEMPTS:
            export.status = ExportStatus.FAILED
            export.error = "Building the archive was interrupted repeatedly. Ask for a new one."
            export.save(update_fields=["status", "error"])
            return None
        export.status = ExportStatus.RUNNING
        export.attempts += 1
        export.progress = 1
        export.updated_at = timezone.now()
        export.save(update_fields=["status", "attempts", "progress", "updated_at"])
        return export


def data_export_build(*, export_id: UUID | str, user_id: UUID | str) -> str:
    """Build the archive (safe to deliver twice: the claim lets one delivery work)."""
    export = _claim(export_id, user_id)
    if export is None:
        return "skipped"
    with user_context(user_id):
        user = User.objects.get(pk=user_id)
    try:
        parts = list(_parts(user))
        with tempfile.TemporaryFile() as scratch:
            with zipfile.ZipFile(scratch, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr("README.txt", README)
                for index, (name, content) in enumerate(parts, start=1):
                    archive.writestr(name, content())
                    _progress(export.pk, user.pk, 1 + int(94 * index / len(parts)))
            size = scratch.tell()
            scratch.seek(0)
            day = timezone.now().date().isoformat()
            path = storage.stored_save(
                path=f"exports/{user.pk}/{export.pk}/careeros-data-{day}.zip", content=scratch
            )
    except Exception:
        logger.exception("data export failed", extra={"export_id": str(export.pk)})
        with user_context(user_id):
            DataExport.objects.filter(pk=export.pk).update(
                status=ExportStatus.FAILED,
                error="The archive could not be built. Ask for a new one; if it fails again, "
                "tell us.",
                updated_at=Now(),
            )
        return "failed"
    now = timezone.now()
    with user_context(user_id):
        DataExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.COMPLETED,
            progress=100,
            storage_path=path,
            size_bytes=size,
            completed_at=now,
            expires_at=now + timedelta(hours=settings.DATA_EXPORT_RETENTION_HOURS),
            updated_at=now,
        )
    return "completed"


def data_exports_cleanup() -> int:
    """Delete expired archives, file and row (run in the system context)."""
    expired = list(DataExport.objects.filter(expires_at__lt=timezone.now())[:1000])
    for export in expired:
        storage.stored_delete(export.storage_path)
        export.delete()
    return len(expired)

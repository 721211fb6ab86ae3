"""Exports of a person's profile in the formats other tools read."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from careeros.db.rls import user_context
from careeros.db.sessions import sessions_end_for_user
from careeros.vault.services import vault_shred_user
from exports.archive import owned_models
from exports.documents import docx_bytes, pdf_bytes
from exports.jsonresume import json_resume
from exports.models import DataExport
from profiles.models import User, UserConfirmedProfile
from profiles.snapshots import ProfileSnapshot, profile_snapshot
from resumes import storage
from resumes.models import ResumeVersion

# The audit trail of data-rights requests: what was done, never to whom.
audit = logging.getLogger("careeros.audit")


@dataclass(frozen=True)
class ExportFormat:
    slug: str
    label: str
    extension: str
    content_type: str


FORMATS: dict[str, ExportFormat] = {
    f.slug: f
    for f in (
        ExportFormat("jsonresume", "JSON Resume", "json", "application/json"),
        ExportFormat(
            "docx",
            "Word (DOCX)",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ExportFormat("pdf", "PDF", "pdf", "application/pdf"),
    )
}


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def render(snapshot: ProfileSnapshot, format_slug: str) -> bytes:
    """The snapshot in the format; raises KeyError for an unknown format."""
    FORMATS[format_slug]
    if format_slug == "jsonresume":
        text = json.dumps(json_resume(snapshot), ensure_ascii=False, indent=2)
        return (text + "\n").encode()
    if format_slug == "docx":
        return docx_bytes(snapshot)
    return pdf_bytes(snapshot)


class NotConfirmed(LookupError):
    """The confirmed profile was asked for, and there is none yet."""


def profile_export(*, user: User, format_slug: str, confirmed: bool = False) -> ExportFile:
    """The user's current (or last confirmed) profile as a file (call in their row level
    security context); raises ``NotConfirmed`` for a confirmed one that does not exist."""
    export_format = FORMATS[format_slug]
    if confirmed:
        row = UserConfirmedProfile.objects.filter(user=user).first()
        if row is None:
            raise NotConfirmed("You have not confirmed your profile yet.")
        snapshot = ProfileSnapshot.model_validate(row.profile_snapshot)
    else:
        snapshot = profile_snapshot(user=user)
    name = slugify(snapshot.full_name or user.email.split("@")[0]) or "profile"
    day = timezone.now().date().isoformat()
    return ExportFile(
        filename=f"{name}-resume-{day}.{export_format.extension}",
        content_type=export_format.content_type,
        content=render(snapshot, format_slug),
    )


# -- Deleting an account ------------------------------------------------------------------


@dataclass(frozen=True)
class AccountDeletion:
    rows: int
    files: int
    vault_rows: int


def _stored_files(user: User) -> list[str]:
    """Every stored file of the user: resume originals and data archives."""
    paths = list(
        ResumeVersion.objects.filter(user=user)
        .exclude(storage_path__isnull=True)
        .exclude(storage_path="")
        .values_list("storage_path", flat=True)
    )
    archives = DataExport.objects.filter(user=user).exclude(storage_path="")
    return [str(path) for path in paths] + [a.storage_path for a in archives]


def account_delete(*, user: User) -> AccountDeletion:
    """Delete the account and everything it owns, for good.

    The vault's data key goes first (crypto-shredding: no copy of the user's ciphertexts
    taken earlier can be decrypted again), then every row (the user's, cascading in the
    database and in Django) and every session signed in as the person, then every stored
    file (local or S3), once the rows are gone.
    The audit line says how much was deleted, never whose.
    """
    user_id = user.pk
    with user_context(user_id):
        paths = _stored_files(user)
        # Counted first: the database's own ON DELETE CASCADE deletes most of them.
        rows = sum(
            model._default_manager.filter(**{lookup: user_id}).count()
            for model, lookup in owned_models()
        )
    vault_rows = vault_shred_user(user=user)
    with transaction.atomic(), user_context(user_id):
        User.objects.filter(pk=user_id).delete()
    rows += 1  # the account itself
    # Signed in elsewhere (another browser, a stolen cookie): those sessions end now too.
    sessions_end_for_user(user_id)
    files = 0
    for path in paths:
        files += storage.stored_delete(path)
    files += storage.stored_delete_tree(f"resumes/{user_id}")
    files += storage.stored_delete_tree(f"exports/{user_id}")
    audit.info(
        "account deleted",
        extra={"rows": rows, "files": files, "vault_rows": vault_rows},
    )
    return AccountDeletion(rows=rows, files=files, vault_rows=vault_rows)

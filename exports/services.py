"""Exports of a person's profile in the formats other tools read."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify

from exports.documents import docx_bytes, pdf_bytes
from exports.jsonresume import json_resume
from profiles.models import User
from profiles.snapshots import ProfileSnapshot, profile_snapshot


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


def profile_export(*, user: User, format_slug: str) -> ExportFile:
    """The user's current profile as a file (call in their row level security context)."""
    export_format = FORMATS[format_slug]
    snapshot = profile_snapshot(user=user)
    name = slugify(snapshot.full_name or user.email.split("@")[0]) or "profile"
    day = timezone.now().date().isoformat()
    return ExportFile(
        filename=f"{name}-resume-{day}.{export_format.extension}",
        content_type=export_format.content_type,
        content=render(snapshot, format_slug),
    )

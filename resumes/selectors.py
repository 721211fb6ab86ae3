"""Reads of resume streams and versions, always through the owner's querysets."""

from __future__ import annotations

from django.db.models import QuerySet

from profiles.models import User
from resumes.models import ResumeStream, ResumeVersion

# Columns of resume_versions that can hold megabytes: left out where only status shows.
LARGE_COLUMNS = ("raw_content", "structured_content")


def streams_for(user: User) -> QuerySet[ResumeStream]:
    """The user's streams, most recently updated first, with their latest version."""
    return (
        ResumeStream.objects.for_user(user)
        .select_related("latest_version")
        # A card shows a status, not the text and extraction a version holds.
        .defer(*(f"latest_version__{name}" for name in LARGE_COLUMNS))
        .order_by("-updated_at", "name")
    )


def versions_for(user: User) -> QuerySet[ResumeVersion]:
    return ResumeVersion.objects.for_user(user).select_related("stream")

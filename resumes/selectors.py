"""Reads of resume streams and versions, always through the owner's querysets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from merges.models import MergeDecision
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


# The session key holding the ids of the versions the person last uploaded together.
BATCH_SESSION_KEY = "resumes_last_batch"


@dataclass(frozen=True)
class BatchProgress:
    """How far a batch of uploaded versions has got, in the counts the pages state."""

    versions: list[ResumeVersion]
    pending_reviews: int

    @property
    def total(self) -> int:
        return len(self.versions)

    @property
    def finished(self) -> int:
        return sum(version.is_terminal for version in self.versions)

    @property
    def failed(self) -> int:
        return sum(version.is_failed for version in self.versions)

    @property
    def is_done(self) -> bool:
        return self.finished == self.total

    @property
    def percent(self) -> int:
        if not self.versions:
            return 100
        progress = sum(100 if v.is_terminal else v.processing_progress or 0 for v in self.versions)
        return progress // self.total


def batch_progress(*, user: User, version_ids: list[str]) -> BatchProgress | None:
    """The user's versions among ``version_ids`` and the suggestions from them that wait:
    two queries whatever the batch's size. None when none of them is the user's."""
    versions = list(
        versions_for(user)
        .filter(pk__in=version_ids)
        .defer(*LARGE_COLUMNS)
        .order_by("stream__name", "version_number")
    )
    if not versions:
        return None
    waiting = (
        MergeDecision.objects.for_user(user)
        .pending()
        .filter(source_group_id__in=[v.pk for v in versions])
        .count()
    )
    return BatchProgress(versions, waiting)


def last_batch_ids(session: Any) -> list[str]:
    ids = session.get(BATCH_SESSION_KEY, [])
    return [str(value) for value in ids] if isinstance(ids, list) else []

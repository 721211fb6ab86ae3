"""Interview sessions and their transcript turns: the seed's ``interview_sessions`` and
``interview_transcripts``.

A session belongs to its user (``user_id``); a transcript turn carries its session's
``user_id``, set by the database from the session (migration 0003), as resume versions carry
their stream's.
``interview_transcripts`` is partitioned by month on ``created_at`` (``interviews.partitions``):
PostgreSQL requires a partitioned table's primary key to include the partition key, so the key
is ``(id, created_at)`` and the model says so with a ``CompositePrimaryKey``. A turn's
``content`` is the id of its vault row (``careeros.vault``); the table never holds the text.
"""

from __future__ import annotations

import uuid
from typing import Any, Self

from django.conf import settings
from django.contrib.postgres.functions import RandomUUID
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

from careeros.db.rls import user_from_parent
from interviews.schemas import FindingSummary, SessionConfig

TRANSCRIPT_PURPOSE = "interview_transcript"


class SessionType(models.TextChoices):
    CAREER_OVERVIEW = "career_overview", "Career overview"
    ROLE_DEEP_DIVE = "role_deep_dive", "Role deep dive"
    SKILLS_ASSESSMENT = "skills_assessment", "Skills assessment"


class SessionStatus(models.TextChoices):
    ACTIVE = "active", "In progress"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Closed unfinished"


class Speaker(models.TextChoices):
    USER = "user", "You"
    ASSISTANT = "assistant", "Interviewer"


class InterviewSessionQuerySet(models.QuerySet["InterviewSession"]):
    def for_user(self, user: Any) -> Self:
        return self.filter(user_id=getattr(user, "pk", user))

    def active(self) -> Self:
        return self.filter(status=SessionStatus.ACTIVE)


class InterviewSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+"
    )
    openai_session_id = models.TextField(null=True, blank=True)  # noqa: DJ001 - the seed's
    session_type = models.TextField(  # noqa: DJ001 - the seed allows NULL
        choices=SessionType,
        default=SessionType.CAREER_OVERVIEW,
        db_default=SessionType.CAREER_OVERVIEW,
        null=True,
    )
    status = models.TextField(
        choices=SessionStatus, default=SessionStatus.ACTIVE, db_default=SessionStatus.ACTIVE
    )
    system_prompt = models.TextField(null=True, blank=True)  # noqa: DJ001 - the seed's
    session_config = models.JSONField(null=True, blank=True)
    started_at = models.DateTimeField(db_default=Now())
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    objects = InterviewSessionQuerySet.as_manager()

    class Meta:
        db_table = "interview_sessions"
        indexes = [models.Index(fields=["user", "status"], name="idx_interview_sessions_user")]

    def __str__(self) -> str:
        return f"{self.get_session_type_display()} {self.started_at:%Y-%m-%d}"

    @property
    def config(self) -> SessionConfig:
        return SessionConfig.model_validate(self.session_config or {})

    @config.setter
    def config(self, value: SessionConfig) -> None:
        self.session_config = value.model_dump(mode="json")

    @property
    def is_active(self) -> bool:
        return self.status == SessionStatus.ACTIVE


class InterviewTranscriptQuerySet(models.QuerySet["InterviewTranscript"]):
    def for_user(self, user: Any) -> Self:
        return self.filter(user_id=getattr(user, "pk", user))


class InterviewTranscript(models.Model):
    """One turn: who spoke, a reference to the vault row holding what was said, and what
    was read from it."""

    pk = models.CompositePrimaryKey("id", "created_at")
    id = models.UUIDField(default=uuid.uuid4, db_default=RandomUUID())
    session = models.ForeignKey(
        InterviewSession, on_delete=models.DB_CASCADE, related_name="transcripts"
    )
    # The session's owner, set by the database (careeros.db.rls.UserIdFromParent).
    user = user_from_parent()
    speaker = models.TextField(choices=Speaker)
    # The encrypted_data row id: the turn's text lives only in the vault.
    content = models.TextField()
    timestamp_ms = models.IntegerField(null=True, blank=True)
    is_encrypted = models.BooleanField(default=True, db_default=True, null=True)
    ai_extracted_entities = models.JSONField(null=True, blank=True)
    confidence_score = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    # The partition key: set before the insert, so the partition it goes to is known.
    created_at = models.DateTimeField(default=timezone.now, db_default=Now())

    objects = InterviewTranscriptQuerySet.as_manager()

    # Its policies (migration 0003) are on every partition too (interviews.partitions).

    class Meta:
        db_table = "interview_transcripts"
        indexes = [
            models.Index(fields=["session", "created_at"], name="idx_interview_transcripts_session")
        ]

    def __str__(self) -> str:
        return f"{self.get_speaker_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def summary(self) -> list[FindingSummary]:
        """What was read from the turn, without the values (those are in the vault)."""
        return [FindingSummary.model_validate(item) for item in self.ai_extracted_entities or []]

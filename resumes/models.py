"""Resume streams, their uploaded versions, what was parsed from them, and their diffs.

The tables are the seed's ``resume_streams``, ``resume_versions``, ``parsed_resume_entities``
and ``resume_diffs``. Each carries its owner's ``user_id``, which the database sets from the
parent (stream, or version) on every write (migration 0006), so each table's policy is the
indexed ``user_id = app_current_user_id()``. Every JSONB column is read and written through
a typed model in ``resumes.schemas``.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Self

from django.conf import settings
from django.contrib.postgres.functions import RandomUUID
from django.db import connection, models
from django.db.models.functions import Now

from careeros.db.rls import user_from_parent
from profiles.entities import ENTITY_TYPE_CHOICES, EntityData, EntitySpec, spec_for_type
from resumes.extraction.schema import Extraction
from resumes.schemas import (
    STAGES,
    TERMINAL_STATUSES,
    Differences,
    Failure,
    ProcessingStages,
    Stage,
    StageState,
    StageStatus,
)


class ResumeStreamQuerySet(models.QuerySet["ResumeStream"]):
    def for_user(self, user: Any) -> Self:
        return self.filter(user_id=getattr(user, "pk", user))


class ResumeStream(models.Model):
    """A series of uploads of one resume (say, "Backend roles"), numbered 1, 2, 3…"""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="resume_streams"
    )
    name = models.TextField()
    description = models.TextField(null=True, blank=True)  # noqa: DJ001 - the seed allows NULL
    total_uploads = models.IntegerField(default=0, db_default=0)
    # No foreign key in the seed; kept as one here so it can never point at a stranger's
    # version, and SET NULL so deleting a version never deletes its stream.
    latest_version = models.ForeignKey(
        "ResumeVersion", null=True, blank=True, on_delete=models.DB_SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    objects = ResumeStreamQuerySet.as_manager()

    class Meta:
        db_table = "resume_streams"
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="resume_streams_user_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ProcessingStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    PROCESSING = "processing", "Processing"
    COMPLETED = "completed", "Complete"
    FAILED = "failed", "Failed"


class UploadSource(models.TextChoices):
    WEB_UI = "web_ui", "Web upload"
    CLI = "cli", "Command line"


class ResumeVersionQuerySet(models.QuerySet["ResumeVersion"]):
    def for_user(self, user: Any) -> Self:
        return self.filter(user_id=getattr(user, "pk", user))

    def unfinished(self) -> Self:
        return self.exclude(processing_status__in=TERMINAL_STATUSES)


class ResumeVersion(models.Model):
    """One uploaded file of a stream and the state of its processing pipeline."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())
    stream = models.ForeignKey(ResumeStream, on_delete=models.DB_CASCADE, related_name="versions")
    # The stream's owner, set by the database (careeros.db.rls.UserIdFromParent).
    user = user_from_parent()
    version_number = models.IntegerField()

    original_filename = models.TextField()
    file_size_bytes = models.IntegerField(null=True, blank=True)
    file_type = models.TextField(null=True, blank=True)  # noqa: DJ001
    storage_path = models.TextField(null=True, blank=True)  # noqa: DJ001

    processing_status = models.TextField(
        choices=ProcessingStatus, default=ProcessingStatus.PENDING, db_default="pending"
    )
    current_stage = models.TextField(  # noqa: DJ001 - the seed allows NULL
        default="upload", db_default="upload", null=True
    )
    processing_progress = models.IntegerField(default=0, db_default=0, null=True)
    processing_stages = models.JSONField(default=dict, db_default={}, null=True)

    raw_content = models.TextField(null=True, blank=True)  # noqa: DJ001
    structured_content = models.JSONField(null=True, blank=True)

    upload_source = models.TextField(  # noqa: DJ001
        choices=UploadSource, default=UploadSource.WEB_UI, db_default="web_ui", null=True
    )
    processing_started_at = models.DateTimeField(null=True, blank=True)
    processing_completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    objects = ResumeVersionQuerySet.as_manager()

    class Meta:
        db_table = "resume_versions"
        constraints = [
            models.UniqueConstraint(
                fields=["stream", "version_number"],
                name="resume_versions_stream_id_version_number_key",
            )
        ]
        indexes = [
            models.Index(
                fields=["processing_status", "created_at"], name="idx_resume_versions_processing"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stream} v{self.version_number} ({self.original_filename})"

    @property
    def stages(self) -> ProcessingStages:
        return ProcessingStages.model_validate(self.processing_stages or {})

    @property
    def extraction(self) -> Extraction | None:
        if self.structured_content is None:
            return None
        return Extraction.model_validate(self.structured_content)

    @property
    def is_terminal(self) -> bool:
        return self.processing_status in TERMINAL_STATUSES

    @property
    def is_completed(self) -> bool:
        return self.processing_status == ProcessingStatus.COMPLETED

    @property
    def is_failed(self) -> bool:
        return self.processing_status == ProcessingStatus.FAILED

    @property
    def current_stage_label(self) -> str:
        return Stage(self.current_stage or Stage.UPLOAD).label

    @property
    def error(self) -> str | None:
        """What went wrong, for the user: the failed stage's message."""
        for name in STAGES:
            stage = self.stages.get(name)
            if stage.status == StageStatus.FAILED:
                return stage.error or "Processing failed."
        return None

    @property
    def failure(self) -> Failure | None:
        """Why the version failed (the failed stage's kind), or None while it has not."""
        for name in STAGES:
            stage = self.stages.get(name)
            if stage.status == StageStatus.FAILED:
                return stage.failure or Failure.PERMANENT
        return None

    @property
    def ai_unavailable(self) -> bool:
        """Failed because the AI service stayed unavailable: worth a Retry later."""
        return self.failure == Failure.AI_UNAVAILABLE

    def mark_stage(
        self,
        stage: Stage,
        status: StageStatus,
        *,
        error: str | None = None,
        progress: int | None = None,
        restart: bool = False,
        failure: Failure | None = None,
        retry_at: datetime | None = None,
        interrupted: bool = False,
    ) -> bool:
        """Record a stage's status through the database's update_resume_processing_stage,
        the one writer of ``processing_stages``, which also keeps processing_status and the
        timestamps in step; ``restart`` also forgets its attempts. A failed stage records
        its ``failure`` kind (permanent unless said otherwise); a stage pending for a retry, when
        it is due (``retry_at``); a claim taking it over from a dead worker counts an
        interruption (``interrupted``). Reloads the row."""
        if status == StageStatus.FAILED and failure is None:
            failure = Failure.PERMANENT
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT update_resume_processing_stage(%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    *(self.pk, str(stage), str(status), error, progress, restart, failure),
                    *(retry_at, interrupted),
                ],
            )
            (updated,) = cursor.fetchone()
        self.refresh_from_db()
        return bool(updated)

    def stage_rows(self) -> list[tuple[Stage, StageState]]:
        """(stage, its state) in pipeline order, for the stage list."""
        stages = self.stages
        return [(stage, stages.get(stage)) for stage in STAGES]


class ParsedResumeEntity(models.Model):
    """One work experience, degree, skill, project or certification read from a version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())
    resume_version = models.ForeignKey(
        ResumeVersion, on_delete=models.DB_CASCADE, related_name="parsed_entities"
    )
    # The version's owner, set by the database (careeros.db.rls.UserIdFromParent).
    user = user_from_parent()
    entity_type = models.TextField(choices=ENTITY_TYPE_CHOICES)
    entity_data = models.JSONField()
    extraction_confidence = models.DecimalField(
        max_digits=3, decimal_places=2, null=True, blank=True
    )
    ai_model_used = models.TextField(null=True, blank=True)  # noqa: DJ001
    extraction_notes = models.TextField(null=True, blank=True)  # noqa: DJ001
    applied_to_profile = models.BooleanField(default=False, db_default=False, null=True)
    # The merge decision proposed for it (merges' table: a plain column, no foreign key,
    # as in the seed). Kept with applied_to_profile by resumes.receivers.
    merge_decision_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "parsed_resume_entities"
        indexes = [models.Index(fields=["entity_type"], name="idx_parsed_resume_entities_type")]

    def __str__(self) -> str:
        return f"{self.get_entity_type_display()}: {self.label}"

    @property
    def spec(self) -> EntitySpec:
        return spec_for_type(self.entity_type)

    @property
    def data(self) -> EntityData:
        return self.spec.load(self.entity_data)

    @property
    def label(self) -> str:
        return str(self.data.label())


class ResumeDiff(models.Model):
    """How a version differs from the stream's previous version or from the profile."""

    class ComparisonType(models.TextChoices):
        VERSION_TO_VERSION = "version_to_version", "Previous version"
        VERSION_TO_PROFILE = "version_to_profile", "Current profile"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())
    resume_version = models.ForeignKey(
        ResumeVersion, on_delete=models.DB_CASCADE, related_name="diffs"
    )
    # The version's owner, set by the database (careeros.db.rls.UserIdFromParent).
    user = user_from_parent()
    comparison_type = models.TextField(choices=ComparisonType)
    # The previous version's id, or the profile's (the user's) id.
    compared_against_id = models.UUIDField(null=True, blank=True)
    differences = models.JSONField()
    similarity_score = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    analysis_model = models.TextField(null=True, blank=True)  # noqa: DJ001
    analysis_prompt = models.TextField(null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        db_table = "resume_diffs"
        constraints = [
            # One diff of each kind per version: re-running enrich replaces, never adds.
            models.UniqueConstraint(
                fields=["resume_version", "comparison_type"],
                name="resume_diffs_version_comparison_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_comparison_type_display()} diff of {self.resume_version_id}"

    @property
    def document(self) -> Differences:
        return Differences.model_validate(self.differences)

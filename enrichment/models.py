"""The seed's enrichment tables: career summaries, narratives, entry enrichments and the
jobs that make them.

Every table carries its owner's ``user_id`` under forced row level security. Each JSONB
column is read through a typed model in ``enrichment.schemas``. CareerOS adds, on the
three result tables, ``job`` (the job that wrote the row: a job that runs again replaces
its own rows, never adds to them) and ``statements`` (the sentences with the entities
each cites); on ``entry_enrichment`` the proposal's ``status``; on ``enrichment_jobs`` the
``attempts`` and ``interruptions`` counters and ``cancelled`` status.
"""

from __future__ import annotations

import uuid
from typing import Any, Self

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.functions import RandomUUID
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from enrichment.schemas import (
    JobInput,
    JobOutput,
    JobType,
    QuantifiedAchievements,
    RelatedEntities,
    SkillExtractions,
    Statement,
    Statements,
)
from profiles.entities import ENTITY_TYPE_CHOICES


class OwnedQuerySet[M: models.Model](models.QuerySet[M]):
    def for_user(self, user: Any) -> Self:
        return self.filter(user_id=getattr(user, "pk", user))


def _user() -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+"
    )


def _resume_version() -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        "resumes.ResumeVersion",
        null=True,
        blank=True,
        on_delete=models.DB_SET_NULL,
        related_name="+",
    )


def _job() -> models.ForeignKey[Any, Any]:
    return models.ForeignKey(
        "EnrichmentJob", null=True, blank=True, on_delete=models.DB_SET_NULL, related_name="+"
    )


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    PROCESSING = "processing", "Working"
    COMPLETED = "completed", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


TERMINAL_JOB_STATUSES = frozenset({JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED})


class EnrichmentJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())
    user = _user()
    job_type = models.TextField(choices=[(t.value, t.value.replace("_", " ")) for t in JobType])
    status = models.TextField(
        choices=JobStatus, default=JobStatus.QUEUED, db_default=JobStatus.QUEUED
    )
    input_data = models.JSONField(null=True, blank=True)
    output_data = models.JSONField(null=True, blank=True)
    error_details = models.TextField(null=True, blank=True)  # noqa: DJ001 - the seed allows NULL
    progress_percentage = models.IntegerField(default=0, db_default=0, null=True)
    current_step = models.TextField(null=True, blank=True)  # noqa: DJ001
    total_steps = models.IntegerField(null=True, blank=True)
    queued_at = models.DateTimeField(db_default=Now())
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # CareerOS's addition: how many times a worker claimed it (a claim that outlives its
    # lease is taken over, and the older worker's result is then refused).
    attempts = models.IntegerField(default=0, db_default=0)
    # Of those claims, how many took the job over from a worker that stopped mid-job (its
    # lease ran out): "interrupted repeatedly" is judged by this alone, so attempts spent on
    # transient failures (a busy AI service, the database blinking) never count toward it.
    interruptions = models.IntegerField(default=0, db_default=0)
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    objects = OwnedQuerySet["EnrichmentJob"].as_manager()

    class Meta:
        db_table = "enrichment_jobs"
        ordering = ("-queued_at",)
        indexes = [
            models.Index(
                fields=["status", "queued_at"],
                condition=Q(status__in=["queued", "processing"]),
                name="idx_enrichment_jobs_queue",
            ),
            models.Index(fields=["user", "-queued_at"], name="idx_enrichment_jobs_user"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=JobStatus.values), name="enrichment_jobs_status_check"
            ),
            models.CheckConstraint(
                condition=Q(job_type__in=[t.value for t in JobType]),
                name="enrichment_jobs_job_type_check",
            ),
            models.CheckConstraint(
                condition=Q(progress_percentage__gte=0) & Q(progress_percentage__lte=100),
                name="enrichment_jobs_progress_check",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_job_type_display()} ({self.get_status_display()})"

    @property
    def input(self) -> JobInput:
        return JobInput.model_validate(self.input_data or {})

    @property
    def output(self) -> JobOutput:
        return JobOutput.model_validate(self.output_data or {})

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_JOB_STATUSES

    @property
    def can_retry(self) -> bool:
        return self.status in (JobStatus.FAILED, JobStatus.CANCELLED)

    @property
    def can_cancel(self) -> bool:
        return not self.is_terminal


class CareerEnrichment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())
    user = _user()
    resume_version = _resume_version()
    career_summary = models.TextField(null=True, blank=True)  # noqa: DJ001
    professional_strengths = ArrayField(models.TextField(), null=True, blank=True)
    growth_trajectory = models.TextField(null=True, blank=True)  # noqa: DJ001
    industry_positioning = models.TextField(null=True, blank=True)  # noqa: DJ001
    quantified_achievements = models.JSONField(null=True, blank=True)
    impact_statements = ArrayField(models.TextField(), null=True, blank=True)
    ai_model_used = models.TextField(null=True, blank=True)  # noqa: DJ001
    confidence_score = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    generation_prompt = models.TextField(null=True, blank=True)  # noqa: DJ001
    job = _job()
    statements = models.JSONField(default=dict, db_default={})
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    objects = OwnedQuerySet["CareerEnrichment"].as_manager()

    class Meta:
        db_table = "career_enrichment"
        verbose_name = "career enrichment"
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["user", "-created_at"], name="idx_career_enrichment_user")]

    def __str__(self) -> str:
        return f"Career summary of {self.created_at:%Y-%m-%d}" if self.created_at else "summary"

    @property
    def achievements(self) -> QuantifiedAchievements:
        return QuantifiedAchievements.model_validate(self.quantified_achievements or [])

    @property
    def sentences(self) -> Statements:
        return Statements.model_validate(self.statements or {})


class NarrativeType(models.TextChoices):
    TRANSITION = "transition", "Transition"
    GROWTH = "growth", "Growth"
    ACHIEVEMENT = "achievement", "Achievement"
    CHALLENGE = "challenge", "Challenge"


class CareerNarrative(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())
    user = _user()
    resume_version = _resume_version()
    narrative_type = models.TextField(choices=NarrativeType)
    title = models.TextField()
    content = models.TextField()
    related_entities = models.JSONField(null=True, blank=True)
    time_period = models.TextField(null=True, blank=True)  # noqa: DJ001
    relevance_score = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    ai_model_used = models.TextField(null=True, blank=True)  # noqa: DJ001
    generation_context = models.TextField(null=True, blank=True)  # noqa: DJ001
    job = _job()
    statements = models.JSONField(default=list, db_default=[])
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    objects = OwnedQuerySet["CareerNarrative"].as_manager()

    class Meta:
        db_table = "career_narratives"
        ordering = ("time_period", "created_at")
        indexes = [models.Index(fields=["user", "job"], name="idx_career_narratives_user_job")]
        constraints = [
            models.CheckConstraint(
                condition=Q(narrative_type__in=NarrativeType.values),
                name="career_narratives_type_check",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def related(self) -> RelatedEntities:
        return RelatedEntities.model_validate(self.related_entities or [])

    @property
    def sentences(self) -> list[Statement]:
        return [Statement.model_validate(item) for item in self.statements or []]


class EnrichmentType(models.TextChoices):
    DESCRIPTION = "description", "Description"
    ACHIEVEMENTS = "achievements", "Achievements"
    SKILLS = "skills", "Skills"
    CONTEXT = "context", "Context"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class EntryEnrichment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())
    user = _user()
    resume_version = _resume_version()
    entity_type = models.TextField(choices=ENTITY_TYPE_CHOICES)
    # The exact version the proposal was made from (a row id of the entity's table).
    entity_id = models.UUIDField()
    enhanced_description = models.TextField(null=True, blank=True)  # noqa: DJ001
    achievement_bullets = ArrayField(models.TextField(), null=True, blank=True)
    skill_extractions = models.JSONField(null=True, blank=True)
    industry_context = models.TextField(null=True, blank=True)  # noqa: DJ001
    enrichment_type = models.TextField(choices=EnrichmentType)
    ai_model_used = models.TextField(null=True, blank=True)  # noqa: DJ001
    confidence_score = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    job = _job()
    status = models.TextField(
        choices=ProposalStatus, default=ProposalStatus.PROPOSED, db_default=ProposalStatus.PROPOSED
    )
    # The entity's logical id and the version accepting it wrote.
    logical_entity_id = models.UUIDField(null=True, blank=True)
    applied_version = models.IntegerField(null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    objects = OwnedQuerySet["EntryEnrichment"].as_manager()

    class Meta:
        db_table = "entry_enrichment"
        verbose_name = "entry enrichment"
        ordering = ("-created_at",)
        indexes = [
            models.Index(fields=["user", "status"], name="idx_entry_enrichment_user_status"),
            models.Index(fields=["entity_type", "entity_id"], name="idx_entry_enrichment_entity"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(enrichment_type__in=EnrichmentType.values),
                name="entry_enrichment_type_check",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values),
                name="entry_enrichment_status_check",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_enrichment_type_display()} for {self.entity_type} {self.entity_id}"

    @property
    def skills(self) -> SkillExtractions:
        return SkillExtractions.model_validate(self.skill_extractions or [])

    @property
    def is_proposed(self) -> bool:
        return self.status == ProposalStatus.PROPOSED

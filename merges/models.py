"""Merge decisions: how one extracted entity joins the profile.

The seed's ``merge_decisions``. ``source_entity_id`` is the parsed entity (a row of
``parsed_resume_entities``, later also an interview's); ``target_entity_id`` is the
*logical* id of the profile entity it matches, and ``target_version`` the version the
decision was proposed against, so a decision whose target changed since is re-evaluated
instead of applied blindly.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, Self

from django.conf import settings
from django.contrib.postgres.functions import RandomUUID
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from merges.schemas import FieldPreferences


class DecisionType(models.TextChoices):
    MERGE = "merge", "Merge into the matching entity"
    KEEP_SEPARATE = "keep_separate", "Keep as a separate entity"
    REPLACE = "replace", "Replace the matching entity"
    SKIP = "skip", "Skip"


class DecisionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    APPLIED = "applied", "Applied"
    REJECTED = "rejected", "Rejected"


class MergeDecisionQuerySet(models.QuerySet["MergeDecision"]):
    def for_user(self, user: Any) -> Self:
        return self.filter(user_id=getattr(user, "pk", user))

    def pending(self) -> Self:
        return self.filter(status=DecisionStatus.PENDING)


class MergeDecision(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="merge_decisions"
    )
    entity_type = models.TextField()
    source_entity_id = models.UUIDField()
    target_entity_id = models.UUIDField(null=True, blank=True)
    decision_type = models.TextField(choices=DecisionType)
    field_preferences = models.JSONField(null=True, blank=True)
    confidence_score = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    status = models.TextField(
        choices=DecisionStatus, default=DecisionStatus.PENDING, db_default=DecisionStatus.PENDING
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    merge_reason = models.TextField(null=True, blank=True)  # noqa: DJ001 - the seed allows NULL
    user_notes = models.TextField(null=True, blank=True)  # noqa: DJ001
    # CareerOS's additions: the profile version the proposal was made against, and the
    # resume version the source entity came from (for grouping the review screen).
    target_version = models.IntegerField(null=True, blank=True)
    resume_version = models.ForeignKey(
        "resumes.ResumeVersion",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="merge_decisions",
    )
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    objects = MergeDecisionQuerySet.as_manager()

    class Meta:
        db_table = "merge_decisions"
        ordering = ("created_at",)
        constraints = [
            # One decision per extracted entity: proposing twice never duplicates.
            models.UniqueConstraint(
                fields=["source_entity_id"], name="merge_decisions_one_per_source"
            ),
            models.CheckConstraint(
                condition=Q(decision_type__in=DecisionType.values),
                name="merge_decisions_decision_type_check",
            ),
            models.CheckConstraint(
                condition=Q(status__in=DecisionStatus.values),
                name="merge_decisions_status_check",
            ),
            models.CheckConstraint(
                condition=Q(confidence_score__gte=0) & Q(confidence_score__lte=1),
                name="merge_decisions_confidence_check",
            ),
        ]
        indexes = [
            models.Index(
                fields=["user", "status"],
                condition=Q(status="pending"),
                name="idx_merge_decisions_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_type_display()} ({self.get_status_display()})"

    @property
    def preferences(self) -> FieldPreferences:
        return FieldPreferences.model_validate(self.field_preferences or {})

    @property
    def kind_slug(self) -> str:
        from profiles.models import ENTITY_TYPES_BY_TABLE

        return ENTITY_TYPES_BY_TABLE[self.entity_type].slug

    @property
    def confidence(self) -> Decimal:
        return self.confidence_score or Decimal("0")

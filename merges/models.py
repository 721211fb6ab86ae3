"""Merge decisions: how one entity a source proposes joins the profile.

The seed's ``merge_decisions``. ``source_entity_id`` is the source's own row (a parsed
resume entity, later an interview answer or an imported entry); ``target_entity_id`` is
the *logical* id of the profile entity it matches, and ``target_version`` the version the
decision was proposed against, so a decision whose target changed since is re-evaluated
instead of applied blindly.

A decision holds everything its review card shows, so merges knows no source: the
proposed fields with their evidence (``proposed_data``), the snippets of source text each
value was read from (``evidence``), and where it came from (``source_type``,
``source_group_id`` grouping the review screen, ``source_label``, ``source_url``).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from functools import cached_property
from typing import Any, Self

from django.conf import settings
from django.contrib.postgres.functions import RandomUUID
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from careeros.db.versioning import Source
from merges.schemas import FieldEvidence, FieldPreferences
from profiles.entities import ENTITY_TYPE_CHOICES, EntityData, EntitySpec, spec_for_type


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
        """Waiting for the person, each once: what folded into another card is left out."""
        return self.filter(status=DecisionStatus.PENDING, folded_into_id__isnull=True)


class MergeDecision(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="merge_decisions"
    )
    entity_type = models.TextField(choices=ENTITY_TYPE_CHOICES)
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
    # CareerOS's additions: the profile version the proposal was made against; what the
    # source proposed and how sure it was; where it came from.
    target_version = models.IntegerField(null=True, blank=True)
    proposed_data = models.JSONField(default=dict, db_default={})
    source_confidence = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    evidence = models.JSONField(default=dict, db_default={})
    source_type = models.TextField(choices=Source, default=Source.UPLOAD, db_default=Source.UPLOAD)
    source_group_id = models.UUIDField(null=True, blank=True)
    source_label = models.TextField(blank=True, default="", db_default="")
    source_url = models.TextField(blank=True, default="", db_default="")
    source_document_url = models.TextField(blank=True, default="", db_default="")
    # What the proposal says, normalised (merges.services.fingerprint): a later source
    # saying the same is not asked again.
    fingerprint = models.TextField(blank=True, default="", db_default="")
    # A pending proposal identical to an earlier pending one joins its card: the card's
    # decision is this one's ``folded_into``, and lists the other sources in ``also_in``.
    folded_into_id = models.UUIDField(null=True, blank=True)
    also_in = models.JSONField(default=list, db_default=[])
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
            models.Index(fields=["source_group_id"], name="idx_merge_decisions_source_group"),
            models.Index(fields=["user", "fingerprint"], name="idx_merge_decisions_fingerprint"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_type_display()} ({self.get_status_display()})"

    @property
    def preferences(self) -> FieldPreferences:
        return FieldPreferences.model_validate(self.field_preferences or {})

    @property
    def is_pending(self) -> bool:
        return self.status == DecisionStatus.PENDING

    @property
    def wrote_to_profile(self) -> bool:
        return self.decision_type != DecisionType.SKIP

    @property
    def outcome(self) -> str:
        """What applying it did, for the person."""
        return {
            DecisionType.SKIP: "Skipped: your profile is unchanged.",
            DecisionType.KEEP_SEPARATE: "Added as a separate entity.",
        }.get(DecisionType(self.decision_type), "Merged into your profile as a new version.")

    @property
    def spec(self) -> EntitySpec:
        return spec_for_type(self.entity_type)

    @property
    def proposed(self) -> EntityData:
        """The typed proposal, loaded once per instance (again once ``proposed_data`` is
        replaced)."""
        if getattr(self, "_proposed_from", None) is not self.proposed_data:
            self._proposed = self.spec.load(self.proposed_data)
            self._proposed_from = self.proposed_data
        return self._proposed

    @cached_property
    def snippets(self) -> FieldEvidence:
        return FieldEvidence.model_validate(self.evidence or {})

    @property
    def confidence(self) -> Decimal:
        return self.confidence_score or Decimal("0")

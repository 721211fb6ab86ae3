"""What the review screen shows: pending decisions, side by side, with their evidence."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from careeros.db.versioning import VersionedEntity, display_value, field_label
from merges.matching import empty, fields_equal
from merges.models import MergeDecision
from merges.schemas import Prefer
from merges.services import missing_required
from profiles.models import ENTITY_TYPES_BY_TABLE, User
from resumes.models import ParsedResumeEntity, ResumeVersion

# Characters of resume text shown around a piece of evidence.
CONTEXT = 40


@dataclass(frozen=True)
class Snippet:
    """Where in the resume a value was read: the text, with what surrounds it."""

    before: str
    text: str
    after: str


@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    profile: str
    upload: str
    differs: bool
    prefer: str
    evidence: list[Snippet]


@dataclass(frozen=True)
class DecisionCard:
    decision: MergeDecision
    kind: str
    upload_label: str
    target: VersionedEntity | None
    rows: list[FieldRow]
    # Required profile fields the upload lacks (only matters for a new entity).
    missing: list[str]


@dataclass(frozen=True)
class ReviewGroup:
    version: ResumeVersion
    cards: list[DecisionCard]


def pending_count(user: User) -> int:
    return MergeDecision.objects.for_user(user).pending().count()


def review_groups(user: User) -> list[ReviewGroup]:
    """Pending decisions of ``user``, grouped by the resume version they came from."""
    decisions = list(
        MergeDecision.objects.for_user(user)
        .pending()
        .select_related("resume_version__stream")
        .order_by("resume_version__created_at", "entity_type", "created_at")
    )
    cards = _cards(user, decisions)
    return [
        ReviewGroup(version, list(group))
        for version, group in groupby(cards, key=lambda card: card.decision.resume_version)
    ]


def decision_card(user: User, decision: MergeDecision) -> DecisionCard:
    return _cards(user, [decision])[0]


def _cards(user: User, decisions: list[MergeDecision]) -> list[DecisionCard]:
    parsed = {
        entity.pk: entity
        for entity in ParsedResumeEntity.objects.filter(
            pk__in=[decision.source_entity_id for decision in decisions]
        ).select_related("resume_version")
    }
    cards = []
    for decision in decisions:
        model = ENTITY_TYPES_BY_TABLE[decision.entity_type]
        entity = parsed[decision.source_entity_id]
        target = (
            model.objects.for_user(user)
            .current()
            .filter(logical_entity_id=decision.target_entity_id)
            .first()
            if decision.target_entity_id
            else None
        )
        cards.append(
            DecisionCard(
                decision=decision,
                kind=str(model._meta.verbose_name),
                upload_label=entity.label,
                target=target,
                rows=_rows(model, decision, entity, target),
                missing=[] if target else missing_required(model, entity.data.fields()),
            )
        )
    return cards


def _rows(
    model: type[VersionedEntity],
    decision: MergeDecision,
    entity: ParsedResumeEntity,
    target: VersionedEntity | None,
) -> list[FieldRow]:
    data = entity.data
    upload = data.fields()
    profile = target.content() if target is not None else {}
    raw = entity.resume_version.raw_content or ""
    preferences = decision.preferences
    rows = []
    for name in model.content_fields:
        new, old = upload.get(name), profile.get(name)
        if empty(new) and empty(old):
            continue
        rows.append(
            FieldRow(
                name=name,
                label=field_label(model, name),
                profile=display_value(old),
                upload=display_value(new),
                differs=not empty(new) and not fields_equal(name, new, old),
                prefer=preferences.get(name, Prefer.PROFILE if target else Prefer.UPLOAD).value,
                evidence=[_snippet(raw, span) for span in data.evidence.get(name, [])[:3]],
            )
        )
    return rows


def _snippet(raw: str, span: Any) -> Snippet:
    start, end = int(span[0]), int(span[1])
    before = raw[max(0, start - CONTEXT) : start]
    after = raw[end : end + CONTEXT]
    return Snippet(
        before=("…" if start > CONTEXT else "") + " ".join(before.split()),
        text=" ".join(raw[start:end].split()),
        after=" ".join(after.split()) + ("…" if end + CONTEXT < len(raw) else ""),
    )

"""What the review screen shows: pending decisions, side by side, with their evidence.

Everything comes from the decisions themselves (what the source proposed, its snippets,
its label and link) and the profile; merges reads no source's tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from uuid import UUID

from careeros.db.versioning import VersionedEntity, display_value, field_label
from merges.models import MergeDecision
from merges.schemas import Prefer, Snippet
from merges.services import missing_required
from profiles.entities import EntitySpec
from profiles.matching import empty, fields_equal
from profiles.models import User


@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    profile: str
    upload: str
    differs: bool
    prefer: Prefer
    evidence: list[Snippet]

    @property
    def prefers_upload(self) -> bool:
        return self.prefer == Prefer.UPLOAD


@dataclass(frozen=True)
class DecisionCard:
    decision: MergeDecision
    spec: EntitySpec
    upload_label: str
    target: VersionedEntity | None
    rows: list[FieldRow]
    # Required profile fields the upload lacks (only matters for a new entity).
    missing: list[str]


@dataclass(frozen=True)
class ReviewGroup:
    """The pending decisions of one source (a resume version, an interview…)."""

    group_id: UUID | None
    label: str
    url: str
    cards: list[DecisionCard]


def pending_count(user: User) -> int:
    return MergeDecision.objects.for_user(user).pending().count()


def review_groups(user: User) -> list[ReviewGroup]:
    """Pending decisions of ``user``, grouped by the source they came from, oldest first."""
    decisions = list(MergeDecision.objects.for_user(user).pending().order_by("created_at", "id"))
    first_seen = _first_seen(decisions)
    decisions.sort(key=lambda d: (first_seen[d.source_group_id], d.entity_type))
    cards = _cards(user, decisions)
    groups = []
    for group_id, group in groupby(cards, key=lambda card: card.decision.source_group_id):
        members = list(group)
        head = members[0].decision
        groups.append(ReviewGroup(group_id, head.source_label, head.source_url, members))
    return groups


def _first_seen(decisions: list[MergeDecision]) -> dict[UUID | None, int]:
    first: dict[UUID | None, int] = {}
    for index, decision in enumerate(decisions):
        first.setdefault(decision.source_group_id, index)
    return first


def decision_card(user: User, decision: MergeDecision) -> DecisionCard:
    return _cards(user, [decision])[0]


def _cards(user: User, decisions: list[MergeDecision]) -> list[DecisionCard]:
    cards = []
    for decision in decisions:
        spec = decision.spec
        target = (
            spec.model.objects.for_user(user)
            .current()
            .filter(logical_entity_id=decision.target_entity_id)
            .first()
            if decision.target_entity_id
            else None
        )
        proposed = decision.proposed
        cards.append(
            DecisionCard(
                decision=decision,
                spec=spec,
                upload_label=proposed.label(),
                target=target,
                rows=_rows(spec, decision, target),
                missing=[] if target else missing_required(spec, proposed.fields()),
            )
        )
    return cards


def _rows(
    spec: EntitySpec, decision: MergeDecision, target: VersionedEntity | None
) -> list[FieldRow]:
    upload = decision.proposed.fields()
    profile = target.content() if target is not None else {}
    evidence = decision.snippets
    preferences = decision.preferences
    rows = []
    for name in spec.model.content_fields:
        new, old = upload.get(name), profile.get(name)
        if empty(new) and empty(old):
            continue
        rows.append(
            FieldRow(
                name=name,
                label=field_label(spec.model, name),
                profile=display_value(old),
                upload=display_value(new),
                differs=not empty(new) and not fields_equal(name, new, old),
                prefer=preferences.get(name, Prefer.PROFILE if target else Prefer.UPLOAD),
                evidence=evidence.get(name),
            )
        )
    return rows

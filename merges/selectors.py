"""What the review screen shows: pending decisions, side by side, with their evidence.

Everything comes from the decisions themselves (what the source proposed, its snippets,
its label and link) and the profile; merges reads no source's tables. The screen costs a
fixed number of queries whatever the number of cards: the decisions, the person's policy,
and one query per entity type for the profile entities the shown cards target.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from itertools import groupby
from typing import Any
from uuid import UUID

from careeros.db.versioning import VersionedEntity, display_value, field_label
from merges.models import MergeDecision
from merges.schemas import FieldPreferences, Prefer, Snippet
from merges.services import Policy, candidate, is_certain, suggest_preferences, why_waiting
from profiles.entities import ENTITY_SPECS, EntitySpec
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
class Missing:
    """A required field the source did not give, to fill in on the card."""

    name: str
    label: str


@dataclass(frozen=True)
class DecisionCard:
    decision: MergeDecision
    spec: EntitySpec
    upload_label: str
    target: VersionedEntity | None
    rows: list[FieldRow]
    # Required profile fields the source lacks (only matters for a new entity).
    missing: list[Missing]
    # Why it waits for the person (a new entity the reader was unsure of, or odd).
    concerns: list[str]
    # Whether "Accept all" applies it.
    certain: bool

    @property
    def differing_rows(self) -> list[FieldRow]:
        return [row for row in self.rows if row.differs or not self.target]

    @property
    def same_rows(self) -> list[FieldRow]:
        return [row for row in self.rows if not row.differs and self.target]


# Cards a source's group shows at first; the rest load on request, a page at a time.
CARDS_SHOWN = 20


@dataclass(frozen=True)
class ReviewGroup:
    """The pending decisions of one source (a resume version, an interview…).

    Cards are built for the shown page only (its targets loaded then), so a source with
    hundreds of pending decisions costs one page's work; counts come from the decisions.
    """

    group_id: UUID | None
    label: str
    url: str
    decisions: list[MergeDecision]
    certain: int
    user: User
    policy: Policy
    offset: int = 0  # where the shown page of cards starts

    @property
    def count(self) -> int:
        return len(self.decisions)

    @cached_property
    def shown(self) -> list[DecisionCard]:
        page = self.decisions[self.offset : self.offset + CARDS_SHOWN]
        return _cards(self.user, page, self.policy)

    @property
    def next_offset(self) -> int | None:
        following = self.offset + CARDS_SHOWN
        return following if following < len(self.decisions) else None

    @property
    def remaining(self) -> int:
        return max(0, len(self.decisions) - self.offset - CARDS_SHOWN)

    def page(self, offset: int) -> ReviewGroup:
        return replace(self, offset=max(0, offset))


@dataclass(frozen=True)
class Review:
    groups: list[ReviewGroup]
    policy: Policy

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def certain(self) -> int:
        return sum(group.certain for group in self.groups)

    @property
    def uncertain(self) -> int:
        return self.total - self.certain

    def group(self, group_id: UUID | None) -> ReviewGroup | None:
        return next((g for g in self.groups if g.group_id == group_id), None)


def pending_count(user: User) -> int:
    return MergeDecision.objects.for_user(user).pending().count()


def review(user: User) -> Review:
    """Pending decisions of ``user``, grouped by the source they came from, oldest first."""
    decisions = list(MergeDecision.objects.for_user(user).pending().order_by("created_at", "id"))
    first_seen: dict[UUID | None, int] = {}
    for index, decision in enumerate(decisions):
        first_seen.setdefault(decision.source_group_id, index)
    decisions.sort(key=lambda d: (first_seen[d.source_group_id], d.entity_type))
    policy = Policy.of(user.pk)
    groups = []
    for group_id, group in groupby(decisions, key=lambda decision: decision.source_group_id):
        members = list(group)
        head = members[0]
        certain = sum(is_certain(decision, policy) for decision in members)
        groups.append(
            ReviewGroup(
                group_id, head.source_label, head.source_url, members, certain, user, policy
            )
        )
    return Review(groups, policy)


def decision_card(user: User, decision: MergeDecision) -> DecisionCard:
    return _cards(user, [decision], Policy.of(user.pk))[0]


def _targets(user: User, decisions: list[MergeDecision]) -> dict[Any, VersionedEntity]:
    """The current profile entities the decisions point at: one query per entity type."""
    targets: dict[Any, VersionedEntity] = {}
    for spec in ENTITY_SPECS:
        wanted = {
            d.target_entity_id
            for d in decisions
            if d.entity_type == spec.entity_type and d.target_entity_id
        }
        if wanted:
            rows = spec.model.objects.for_user(user).current().filter(logical_entity_id__in=wanted)
            targets |= {row.logical_entity_id: row for row in rows}
    return targets


def _cards(user: User, decisions: list[MergeDecision], policy: Policy) -> list[DecisionCard]:
    targets = _targets(user, decisions)
    cards = []
    for decision in decisions:
        spec = decision.spec
        target = targets.get(decision.target_entity_id)
        proposed = decision.proposed.fields()
        missing = [] if target else spec.missing_required(proposed)
        cards.append(
            DecisionCard(
                decision=decision,
                spec=spec,
                upload_label=decision.proposed.label(),
                target=target,
                rows=_rows(spec, decision, target),
                missing=[Missing(name, field_label(spec.model, name)) for name in missing],
                concerns=why_waiting(decision, policy) if not target else spec.problems(proposed),
                certain=is_certain(decision, policy),
            )
        )
    return cards


def _preferences(decision: MergeDecision, target: VersionedEntity | None) -> FieldPreferences:
    """The decision's field choices, worked out again if the profile entity changed since
    (so a value the person has typed meanwhile is not preselected to be overwritten)."""
    if target is None or target.version == decision.target_version:
        return decision.preferences
    preferences, _ = suggest_preferences(
        decision.spec.model, decision.proposed.fields(), candidate(target)
    )
    return preferences


def _rows(
    spec: EntitySpec, decision: MergeDecision, target: VersionedEntity | None
) -> list[FieldRow]:
    upload = decision.proposed.fields()
    profile = target.content() if target is not None else {}
    evidence = decision.snippets
    preferences = _preferences(decision, target)
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

"""What the review screen shows: pending decisions, side by side, with their evidence.

Everything comes from the decisions themselves (what the source proposed, its snippets,
its label and link) and the profile; merges reads no source's tables. The screen costs a
fixed number of queries whatever the number of cards: the person's policy, one row per
source with its pending decisions' ids (and their proposals only where the database finds
them confident enough to be certain); then, for the shown cards not already rendered and
cached (``card_keys``), their decisions in full and one query per entity type for the
profile entities they target.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.urls import get_script_prefix

from careeros.db.versioning import VersionedEntity, display_value, field_label, profile_revision
from careeros.links import url_for_each
from merges.models import MergeDecision
from merges.schemas import FieldPreferences, Prefer, Snippet
from merges.services import (
    Policy,
    adds_an_entity,
    candidate,
    confident,
    is_plausible,
    suggest_preferences,
    why_waiting,
)
from profiles.entities import ENTITY_SPECS, EntitySpec, spec_for_type
from profiles.matching import empty, fields_equal
from profiles.models import User


@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    profile: str
    upload: str
    differs: bool
    # Whether the person picks between the two values (radio buttons).
    choice: bool
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
    """One pending decision as the review shows it, beside the profile entity it targets.

    What it shows is worked out when first read (by the card's template).
    """

    decision: MergeDecision
    target: VersionedEntity | None
    policy: Policy
    action_url: str  # where its buttons post
    history_url: str  # the target's history ("" for a new entity)

    @property
    def spec(self) -> EntitySpec:
        return self.decision.spec

    @cached_property
    def upload_label(self) -> str:
        return self.decision.proposed.label()

    @cached_property
    def rows(self) -> list[FieldRow]:
        return _rows(self.spec, self.decision, self.target)

    @cached_property
    def missing(self) -> list[Missing]:
        """Required profile fields the source lacks (only matters for a new entity)."""
        if self.target:
            return []
        names = self.spec.missing_required(self.decision.proposed.fields())
        return [Missing(name, field_label(self.spec.model, name)) for name in names]

    @cached_property
    def concerns(self) -> list[str]:
        """Why it waits for the person (a new entity the reader was unsure of, or odd)."""
        if self.target:
            return self.spec.problems(self.decision.proposed.fields())
        return why_waiting(self.decision, self.policy)

    @property
    def differing_rows(self) -> list[FieldRow]:
        return [row for row in self.rows if row.differs or not self.target]

    @property
    def same_rows(self) -> list[FieldRow]:
        return [row for row in self.rows if not row.differs and self.target]


# Cards a source's group shows at first; the rest load on request, a page at a time.
CARDS_SHOWN = 10


@dataclass(frozen=True)
class Pending:
    """A pending decision as its group lists it: which, and when it last changed."""

    pk: UUID
    changed: datetime


@dataclass(frozen=True)
class ReviewGroup:
    """The pending decisions of one source (a resume version, an interview…).

    Only the shown page's cards are built, so a source with hundreds of pending decisions
    costs one page's work; counts come from the decisions' ids and the database's share of
    the certainty check.
    """

    group_id: UUID | None
    label: str
    url: str
    decisions: list[Pending]  # every pending one, in review order
    certain: int
    shown: list[str] = field(default_factory=list)  # the page's cards, rendered
    offset: int = 0

    @property
    def count(self) -> int:
        return len(self.decisions)

    @property
    def page(self) -> list[Pending]:
        return self.decisions[self.offset : self.offset + CARDS_SHOWN]

    @property
    def next_offset(self) -> int | None:
        following = self.offset + CARDS_SHOWN
        return following if following < len(self.decisions) else None

    @property
    def remaining(self) -> int:
        return max(0, len(self.decisions) - self.offset - CARDS_SHOWN)


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


def pending_count(user: User) -> int:
    return MergeDecision.objects.for_user(user).pending().count()


def review(user: User) -> Review:
    """Pending decisions of ``user``, grouped by the source they came from, oldest first;
    the cards of each group's first page are for the caller to show (``cards``)."""
    policy = Policy.of(user.pk)
    return Review(_groups(user, policy), policy)


def review_group(
    user: User, group_id: UUID | None, offset: int
) -> tuple[ReviewGroup, Policy] | None:
    """One source's group, its page from ``offset`` ("Show more"), and the person's policy."""
    policy = Policy.of(user.pk)
    group = next((g for g in _groups(user, policy) if g.group_id == group_id), None)
    if group is None:
        return None
    return replace(group, offset=max(0, offset)), policy


def card_keys(user: User, decisions: list[Pending], policy: Policy) -> list[str]:
    """What the decisions' cards are cached under, rendered. A card shows what depends on
    its decision (as last changed), the profile (the target's values and the preselected
    choices; any entity written renews the profile's revision), the person's policy (the
    concerns), the site's prefix (the links) and the release (the markup)."""
    shared = ":".join(
        (
            settings.RELEASE,
            profile_revision(user),
            str(policy.new_entity_min_confidence),
            str(policy.merge_threshold),
            get_script_prefix(),
        )
    )
    return [f"review-card:{d.pk}:{d.changed.isoformat()}:{shared}" for d in decisions]


def cards(user: User, ids: list[UUID], policy: Policy) -> list[DecisionCard]:
    """The cards of the decisions ``ids``, in that order: the decisions in one query, their
    targets in one query per entity type. A decision gone meanwhile is left out."""
    if not ids:
        return []
    found = MergeDecision.objects.for_user(user).in_bulk(ids)
    return _cards(user, [found[pk] for pk in ids if pk in found], policy)


# The review's groups: one row a source, with its decisions' ids in review order (by entity
# type, then oldest first) and, of those the database finds confident, what ``is_plausible``
# reads. The conditions are the ORM's (``pending`` and ``confident``), compiled.
_GROUPS_SQL = """
    SELECT source_group_id, max(source_label), max(source_url),
           array_agg(id ORDER BY entity_type, created_at, id),
           array_agg(updated_at ORDER BY entity_type, created_at, id),
           array_agg(json_build_object('entity_type', entity_type,
                                       'decision_type', decision_type,
                                       'target_entity_id', target_entity_id,
                                       'proposal', proposed_data)) FILTER (WHERE {confident})
      FROM merge_decisions
     WHERE {pending}
     GROUP BY source_group_id
     ORDER BY min(created_at), source_group_id"""


def _groups(user: User, policy: Policy) -> list[ReviewGroup]:
    """The groups without their cards, oldest source first. The work is the database's:
    Python sees one row a group, however many decisions wait."""
    pending, pending_params = _where(MergeDecision.objects.for_user(user).pending())
    sure, sure_params = _where(MergeDecision.objects.filter(confident(policy)))
    with connection.cursor() as cursor:
        cursor.execute(
            _GROUPS_SQL.format(confident=sure, pending=pending), [*sure_params, *pending_params]
        )
        rows = cursor.fetchall()
    return [
        ReviewGroup(
            group_id,
            label,
            url,
            [Pending(pk, changed) for pk, changed in zip(ids, stamps, strict=True)],
            sum(_plausible(each) for each in confident or ()),
        )
        for group_id, label, url, ids, stamps, confident in rows
    ]


def _where(queryset: QuerySet[Any]) -> tuple[str, list[Any]]:
    """A queryset's conditions as SQL and its parameters."""
    compiler = queryset.query.get_compiler(connection=connection)
    sql, params = compiler.compile(queryset.query.where)
    return sql, list(params)


def _plausible(decision: dict[str, Any]) -> bool:
    spec = spec_for_type(decision["entity_type"])
    new = adds_an_entity(decision["decision_type"], decision["target_entity_id"])
    return is_plausible(spec, spec.load(decision["proposal"]).fields(), new=new)


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
    action_url = url_for_each("merge_decision_hx")
    history_urls = {
        spec.entity_type: url_for_each("entity_history", spec.slug) for spec in ENTITY_SPECS
    }
    cards = []
    for decision in decisions:
        target = targets.get(decision.target_entity_id)
        history_url = history_urls[decision.entity_type]
        cards.append(
            DecisionCard(
                decision=decision,
                target=target,
                policy=policy,
                action_url=action_url(decision.pk),
                history_url=history_url(target.logical_entity_id) if target else "",
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
        differs = not empty(new) and not fields_equal(name, new, old)
        rows.append(
            FieldRow(
                name=name,
                label=field_label(spec.model, name),
                profile=display_value(old),
                upload=display_value(new),
                differs=differs,
                choice=differs and target is not None,
                prefer=preferences.get(name, Prefer.PROFILE if target else Prefer.UPLOAD),
                evidence=evidence.get(name),
            )
        )
    return rows

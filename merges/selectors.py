"""What the review screen shows: pending decisions, side by side, with their evidence.

Everything comes from the decisions themselves (what the source proposed, its snippets,
its label and link) and the profile; merges reads no source's tables. The screen costs a
fixed number of queries whatever the number of cards: the person's policy, one row per
source with its pending decisions' ids (and their proposals only where the database finds
them confident enough to be certain), the shown pages' decisions in full, and one query
per entity type for the profile entities the shown cards target.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import QuerySet

from careeros.db.versioning import VersionedEntity, display_value, field_label
from careeros.links import url_for_each
from merges.models import MergeDecision
from merges.schemas import FieldPreferences, Prefer, Snippet
from merges.services import (
    Policy,
    adds_an_entity,
    candidate,
    confident,
    is_certain,
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
    action_url: str  # where its buttons post
    history_url: str  # the target's history ("" for a new entity)

    @property
    def differing_rows(self) -> list[FieldRow]:
        return [row for row in self.rows if row.differs or not self.target]

    @property
    def same_rows(self) -> list[FieldRow]:
        return [row for row in self.rows if not row.differs and self.target]


# Cards a source's group shows at first; the rest load on request, a page at a time.
CARDS_SHOWN = 10


@dataclass(frozen=True)
class ReviewGroup:
    """The pending decisions of one source (a resume version, an interview…).

    Cards are built for the shown page only (its decisions and targets loaded then), so a
    source with hundreds of pending decisions costs one page's work; counts come from the
    decisions' ids and the database's share of the certainty check.
    """

    group_id: UUID | None
    label: str
    url: str
    decisions: list[UUID]  # every pending one, in review order
    certain: int
    shown: list[DecisionCard] = field(default_factory=list)  # the page from ``offset``
    offset: int = 0

    @property
    def count(self) -> int:
        return len(self.decisions)

    @property
    def page_ids(self) -> list[UUID]:
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
    """Pending decisions of ``user``, grouped by the source they came from, oldest first,
    each group with its first page of cards."""
    policy = Policy.of(user.pk)
    groups = _with_pages(user, policy, _groups(user, policy))
    return Review(groups, policy)


def review_group(user: User, group_id: UUID | None, offset: int) -> ReviewGroup | None:
    """One source's group with its page of cards from ``offset`` ("Show more")."""
    policy = Policy.of(user.pk)
    group = next((g for g in _groups(user, policy) if g.group_id == group_id), None)
    if group is None:
        return None
    [paged] = _with_pages(user, policy, [replace(group, offset=max(0, offset))])
    return paged


# The review's groups: one row a source, with its decisions' ids in review order (by entity
# type, then oldest first) and, of those the database finds confident, what ``is_plausible``
# reads. The conditions are the ORM's (``pending`` and ``confident``), compiled.
_GROUPS_SQL = """
    SELECT source_group_id, max(source_label), max(source_url),
           array_agg(id ORDER BY entity_type, created_at, id),
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
        ReviewGroup(group_id, label, url, ids, sum(_plausible(each) for each in confident or ()))
        for group_id, label, url, ids, confident in rows
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


def _with_pages(user: User, policy: Policy, groups: list[ReviewGroup]) -> list[ReviewGroup]:
    """The groups with the cards of their page: every page's decisions in one query, their
    targets in one query per entity type."""
    wanted = [pk for group in groups for pk in group.page_ids]
    found = MergeDecision.objects.for_user(user).in_bulk(wanted) if wanted else {}
    # A decision gone since the first query (its account deleted meanwhile) is left out.
    decisions = [found[pk] for pk in wanted if pk in found]
    cards = {card.decision.pk: card for card in _cards(user, decisions, policy)}
    return [
        replace(group, shown=[cards[pk] for pk in group.page_ids if pk in cards])
        for group in groups
    ]


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
                action_url=action_url(decision.pk),
                history_url=history_urls[spec.entity_type](target.logical_entity_id)
                if target
                else "",
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

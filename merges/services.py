"""Proposing and applying merge decisions: the one door into the profile for every source.

A source (``merges.sources``) proposes entities with their evidence. Nothing wrong enters
the profile silently:

- an upload says each thing once: entities it read twice become one proposal with the
  evidence of both (``_dedupe``);
- a new entity joins the profile by itself only when the source is sure of it (its
  confidence reaches the person's ``new_entity_min_confidence``) and it passes its type's
  checks (``profiles.validity``); near matches wait unless the person lets them apply
  above a match score (``merge_auto_apply_threshold``);
- what the person skipped is not asked again, and the same pending suggestion from a
  second source joins the first card (``fingerprint``, ``folded_into_id``);
- a profile entity has one card waiting at a time: a source's further suggestion for it
  (a second topic of an interview, a later interview) is added to the waiting card
  (``_join_waiting_cards``);
- a value the person typed (or confirmed in an interview) is kept by default.

Every profile write goes through ``careeros.db.versioning.write_version`` with the source
as its source and its evidence as the version's provenance: nothing is overwritten, and
every applied decision can be undone from the entity's history.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from careeros.db.provenance import Provenance
from careeros.db.versioning import (
    EntityRetired,
    Operation,
    Source,
    VersionConflict,
    VersionedEntity,
    create_versions,
    field_label,
    write_version,
)
from careeros.text import fold
from merges.models import DecisionStatus, DecisionType, MergeDecision
from merges.schemas import FieldPreferences, Prefer
from merges.sources import MAX_SNIPPETS, Origin, Proposal, decisions_settled, snippets
from profiles.entities import ENTITY_SPECS, EntityData, EntitySpec
from profiles.matching import Candidate, Match, best_matches, empty, fields_equal
from profiles.models import DEFAULT_NEW_ENTITY_CONFIDENCE, Profile, User

logger = logging.getLogger(__name__)

# Values from these sources are the person's own words: an upload never overrides them by
# default.
OWN_WORDS = frozenset({Source.MANUAL, Source.INTERVIEW})
# "Accept all" applies a merge suggestion only when its entities are at least this alike:
# below it, whether they are one entity is for the person to say.
CERTAIN_MATCH = Decimal("0.85")
# First key of the advisory lock that serialises proposals into one profile (the second is
# the user's id hashed): any constant no other lock uses.
PROPOSE_LOCK_SPACE = 1_850_118


class StaleDecision(Exception):
    """The profile entity changed after the proposal; the decision was re-evaluated."""

    def __init__(self, decision: MergeDecision) -> None:
        super().__init__(
            "Your profile changed since this suggestion was made, so it was worked out again. "
            "Review the updated suggestion and apply it once more."
        )
        self.decision = decision


class IncompleteEntity(Exception):
    """The extracted entity lacks a field the profile requires; nothing was written."""


@dataclass(frozen=True)
class Policy:
    """What the person lets into their profile without looking."""

    new_entity_min_confidence: Decimal
    merge_threshold: Decimal | None

    @classmethod
    def of(cls, user_id: Any) -> Policy:
        row = (
            Profile.objects.filter(user_id=user_id)
            .values_list("new_entity_min_confidence", "merge_auto_apply_threshold")
            .first()
        )
        if row is None:
            return cls(DEFAULT_NEW_ENTITY_CONFIDENCE, None)
        return cls(row[0], row[1])


# -- Proposing ----------------------------------------------------------------------------


def merge_decisions_propose(
    *, user_id: UUID | str, origin: Origin, proposals: list[Proposal]
) -> list[MergeDecision]:
    """Propose a decision for every proposal that has none yet.

    Safe to run twice: a source entity with a decision is left alone. Runs in the owner's
    RLS context (for uploads, the pipeline's complete stage). One user's proposals are made
    one batch at a time (a transaction-level advisory lock): two files finishing together
    would otherwise both be matched against a profile that lacks the other's entities, and
    both add them.
    """
    with transaction.atomic():
        _lock_profile(user_id)
        return _propose(user_id, origin, proposals)


def _lock_profile(user_id: UUID | str) -> None:
    """Wait until no other transaction proposes into ``user_id``'s profile; held until the
    caller's transaction ends (when what it applied is visible to the next)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [PROPOSE_LOCK_SPACE, str(user_id)]
        )


def _propose(user_id: UUID | str, origin: Origin, proposals: list[Proposal]) -> list[MergeDecision]:
    policy = Policy.of(user_id)
    decided = set(
        MergeDecision.objects.filter(
            source_entity_id__in=[p.source_entity_id for p in proposals]
        ).values_list("source_entity_id", flat=True)
    )
    fresh = [p for p in proposals if p.source_entity_id not in decided]
    proposed: list[MergeDecision] = []
    for spec in ENTITY_SPECS:
        batch = [p for p in fresh if p.spec is spec]
        if not batch:
            continue
        kept, copies = _dedupe(spec, batch)
        uploads = [p.data.fields() for p in kept]
        matches = _with_own_fields(
            spec.model,
            user_id,
            best_matches(spec.score, uploads, _candidates(spec.model, user_id), spec.block),
        )
        for proposal, upload, match in zip(kept, uploads, matches, strict=True):
            proposed.append(_stamp(_decide(proposal, upload, match), user_id, origin, proposal))
        for copy, original in copies:
            duplicate = MergeDecision(
                entity_type=spec.entity_type,
                source_entity_id=copy.source_entity_id,
                decision_type=DecisionType.SKIP,
                status=DecisionStatus.APPLIED,
                applied_at=timezone.now(),
                confidence_score=copy.confidence,
                merge_reason=f"Read more than once in this file; kept once, as "
                f"“{original.data.label()}”.",
            )
            proposed.append(_stamp(duplicate, user_id, origin, copy))
    waiting = [d for d in proposed if d.is_pending and not _applies_automatically(d, policy)]
    for decision in waiting:
        if decision.decision_type == DecisionType.KEEP_SEPARATE:
            decision.merge_reason = "Not in your profile yet, and not added by itself: check it."
    _remember(user_id, origin, waiting)
    _join_waiting_cards(user_id, origin, waiting)
    automatic = [
        d
        for d in proposed
        if d.is_pending and d.folded_into_id is None and _applies_automatically(d, policy)
    ]
    now = timezone.now()
    for decision in automatic:
        if decision.decision_type == DecisionType.SKIP:
            # Nothing to write (the profile holds it already): settled as it is inserted.
            decision.status, decision.applied_at = DecisionStatus.APPLIED, now
    MergeDecision.objects.bulk_create(proposed)
    _add_in_bulk([d for d in automatic if d.decision_type == DecisionType.KEEP_SEPARATE])
    for decision in automatic:
        if decision.decision_type == DecisionType.MERGE:
            _apply(decision)  # a stale one is re-evaluated and waits for review
    decisions_settled.send(sender=MergeDecision, decisions=proposed)
    return proposed


def _add_in_bulk(decisions: list[MergeDecision]) -> None:
    """Apply new-entity decisions a source made in one go: one INSERT per entity type for
    the versions, one UPDATE for the decisions."""
    now = timezone.now()
    for spec in ENTITY_SPECS:
        batch = [d for d in decisions if d.entity_type == spec.entity_type]
        if not batch:
            continue
        changes = [{k: v for k, v in d.proposed.fields().items() if not empty(v)} for d in batch]
        created = create_versions(
            spec.model,
            user=batch[0].user_id,
            entities=changes,
            source=Source(batch[0].source_type),
            confidences=[d.source_confidence for d in batch],
            reason=f"From {batch[0].source_label}.",
            provenances=[_provenance(d, list(c)) for d, c in zip(batch, changes, strict=True)],
        )
        for decision, entity in zip(batch, created, strict=True):
            decision.target_entity_id = entity.logical_entity_id
            decision.target_version = entity.version
            decision.status = DecisionStatus.APPLIED
            decision.applied_at = now
            decision.updated_at = now
    MergeDecision.objects.bulk_update(
        decisions, ["target_entity_id", "target_version", "status", "applied_at", "updated_at"]
    )


def _stamp(
    decision: MergeDecision, user_id: Any, origin: Origin, proposal: Proposal
) -> MergeDecision:
    """Give the decision what its card shows: the proposal, its evidence, its source."""
    decision.user_id = user_id
    decision.proposed_data = proposal.data.model_dump(mode="json")
    decision.source_confidence = proposal.confidence
    decision.evidence = snippets(origin, proposal.data)
    decision.source_type = origin.source_type
    decision.source_group_id = origin.group_id
    decision.source_label = origin.label
    decision.source_url = origin.url
    decision.source_document_url = origin.document_url
    decision.fingerprint = fingerprint(proposal.spec, decision.target_entity_id, proposal.data)
    return decision


def _dedupe(
    spec: EntitySpec, batch: list[Proposal]
) -> tuple[list[Proposal], list[tuple[Proposal, Proposal]]]:
    """One proposal per identity, with the fields and evidence of every copy.

    Returns the kept proposals and, for every other copy, (it, the proposal kept for it).
    A proposal without an identity (no name at all) is never taken for another.
    """
    groups: dict[str, list[Proposal]] = {}
    for proposal in batch:
        key = spec.identity(proposal.data.fields())
        groups.setdefault(key if key.strip("|") else f"#{proposal.source_entity_id}", []).append(
            proposal
        )
    kept: list[Proposal] = []
    copies: list[tuple[Proposal, Proposal]] = []
    for first, *others in groups.values():
        data = first.data
        for other in others:
            data = _combined(data, other.data)
        one = Proposal(
            source_entity_id=first.source_entity_id,
            spec=spec,
            data=data,
            confidence=max(p.confidence for p in (first, *others)),
        )
        kept.append(one)
        copies += [(other, one) for other in others]
    return kept, copies


def _combined(first: EntityData, other: EntityData) -> EntityData:
    """``first``'s fields, completed by ``other``'s, with the evidence of both."""
    fields = first.fields()
    for name, value in other.fields().items():
        if empty(fields.get(name)) and not empty(value):
            fields[name] = value
    evidence = {name: list(spans) for name, spans in first.evidence.items()}
    for name, spans in other.evidence.items():
        known = evidence.setdefault(name, [])
        known += [span for span in spans if span not in known]
    return type(first).model_validate({**fields, "evidence": evidence})


def fingerprint(spec: EntitySpec, target: UUID | None, data: EntityData) -> str:
    """What a proposal says, normalised: the same suggestion from any source has the same
    fingerprint (case, punctuation, list order and evidence aside)."""
    fields = data.fields()
    said = sorted(
        (name, sorted(fold(item) for item in value) if isinstance(value, list) else fold(value))
        for name, value in fields.items()
        if not empty(value)
    )
    body = json.dumps([spec.entity_type, str(target or ""), said], ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def _remember(user_id: Any, origin: Origin, waiting: list[MergeDecision]) -> None:
    """What the person skipped before is not asked again; the same suggestion already
    waiting gains this source instead of a second card."""
    if not waiting:
        return
    earlier: dict[str, MergeDecision] = {}
    for decision in MergeDecision.objects.filter(
        user_id=user_id,
        fingerprint__in={d.fingerprint for d in waiting},
        folded_into_id__isnull=True,
        status__in=[DecisionStatus.PENDING, DecisionStatus.REJECTED],
    ).order_by("created_at"):
        earlier.setdefault(decision.fingerprint, decision)
    for decision in waiting:
        before = earlier.get(decision.fingerprint)
        if before is None:
            earlier[decision.fingerprint] = decision  # a later copy in this batch folds in
            continue
        if before.status == DecisionStatus.REJECTED:
            decision.decision_type = DecisionType.SKIP
            decision.status = DecisionStatus.REJECTED
            decision.applied_at = timezone.now()
            decision.merge_reason = f"You skipped the same suggestion from {before.source_label}."
        else:
            decision.folded_into_id = before.pk
            decision.merge_reason = f"The same as the suggestion from {before.source_label}."
            if before.pk in {d.pk for d in waiting}:
                before.also_in = [*before.also_in, _also(origin)]
            else:
                MergeDecision.objects.filter(pk=before.pk).update(
                    also_in=[*before.also_in, _also(origin)], updated_at=timezone.now()
                )
                before.also_in = [*before.also_in, _also(origin)]


def _join_waiting_cards(user_id: Any, origin: Origin, waiting: list[MergeDecision]) -> None:
    """A suggestion to change a profile entity that already has a card waiting from the
    same kind of source is added to that card (its fields, its evidence, this source among
    its sources) and folded into it: one card per entity, not one per time it was told.
    A card from another kind of source is left alone, so each card keeps one source."""
    joining = [
        d
        for d in waiting
        if d.decision_type == DecisionType.MERGE
        and d.is_pending
        and d.folded_into_id is None
        and d.target_entity_id is not None
    ]
    if not joining:
        return
    cards: dict[tuple[str, UUID | None], MergeDecision] = {}
    for waiting_card in MergeDecision.objects.filter(
        user_id=user_id,
        source_type=origin.source_type,
        decision_type=DecisionType.MERGE,
        target_entity_id__in={d.target_entity_id for d in joining},
        folded_into_id__isnull=True,
        status=DecisionStatus.PENDING,
    ).order_by("created_at"):
        cards.setdefault((waiting_card.entity_type, waiting_card.target_entity_id), waiting_card)
    inserting = {d.pk for d in waiting}
    changed: dict[UUID, MergeDecision] = {}
    for decision in joining:
        key = (decision.entity_type, decision.target_entity_id)
        card = cards.get(key)
        if card is None or card.target_entity_id is None:
            cards[key] = decision  # a later suggestion in this batch joins it
            continue
        if not _join(card, decision, origin):
            continue
        decision.folded_into_id = card.pk
        decision.merge_reason = f"Added to the suggestion from {card.source_label}."
        if card.pk not in inserting:
            changed[card.pk] = card
    for card in changed.values():
        card.updated_at = timezone.now()
        card.save(
            update_fields=[
                "proposed_data",
                "evidence",
                "source_confidence",
                "also_in",
                "field_preferences",
                "target_version",
                "merge_reason",
                "fingerprint",
                "updated_at",
            ]
        )


def _join(card: MergeDecision, decision: MergeDecision, origin: Origin) -> bool:
    """Add what ``decision`` proposes to ``card``, and work the card out again against its
    entity as the profile holds it now. False, the card unchanged, if the entity is gone."""
    spec = card.spec
    assert card.target_entity_id is not None  # only merge cards are joined
    entity = (
        spec.model.objects.for_user(card.user_id)
        .current()
        .filter(logical_entity_id=card.target_entity_id)
        .first()
    )
    if entity is None:
        return False
    data = _told_again(card.proposed, decision.proposed)
    card.proposed_data = data.model_dump(mode="json")
    evidence = {name: list(found) for name, found in (card.evidence or {}).items()}
    for name, found in (decision.evidence or {}).items():
        known = evidence.setdefault(name, [])
        known += [s for s in found if s not in known][: max(0, MAX_SNIPPETS - len(known))]
    card.evidence = evidence
    card.source_confidence = max(card.source_confidence or 0, decision.source_confidence or 0)
    if decision.source_group_id != card.source_group_id:
        also = _also(origin)
        card.also_in = [*card.also_in, *([also] if also not in card.also_in else [])]
    preferences, differing = suggest_preferences(spec.model, data.fields(), candidate(entity))
    card.field_preferences = preferences.dump()
    card.target_version = entity.version
    card.merge_reason = _merge_reason(entity, card.confidence, differing)
    card.fingerprint = fingerprint(spec, card.target_entity_id, data)
    card.__dict__.pop("snippets", None)  # the cached typed evidence is stale
    return True


def _told_again(first: EntityData, then: EntityData) -> EntityData:
    """``first`` with the fields ``then`` adds: empty ones filled, a further description
    appended. The evidence spans stay ``first``'s (they index its source's text; the card's
    snippets carry both)."""
    fields = first.fields()
    for name, value in then.fields().items():
        if empty(value):
            continue
        if empty(fields.get(name)):
            fields[name] = value
        elif name == "description" and str(value) not in str(fields[name]):
            fields[name] = f"{fields[name]} {value}"
    return type(first).model_validate({**fields, "evidence": first.evidence})


def _also(origin: Origin) -> dict[str, str]:
    return {"label": origin.label, "url": origin.url}


def _candidates(model: type[VersionedEntity], user_id: Any) -> list[Candidate]:
    """The user's current entities: only what matching reads."""
    # Plain values, not model instances: a large profile costs rows, not objects.
    rows = (
        model.objects.for_user(user_id)
        .current()
        .order_by("created_at")
        .values("logical_entity_id", "version", *model.content_fields)
    )
    return [
        Candidate(row.pop("logical_entity_id"), row.pop("version"), row) for row in rows.iterator()
    ]


def _with_own_fields(
    model: type[VersionedEntity], user_id: Any, matches: list[Match | None]
) -> list[Match | None]:
    """The matches, their candidates knowing which values are the person's own: the
    history of the matched entities only, in one query."""
    matched = {m.candidate.logical_entity_id for m in matches if m is not None}
    if not matched:
        return matches
    chains: dict[Any, list[VersionedEntity]] = {}
    versions = (
        model.objects.for_user(user_id)
        .filter(logical_entity_id__in=matched)
        .only("logical_entity_id", "version", "source", *model.content_fields)
        .order_by("logical_entity_id", "version")
    )
    for version in versions:
        chains.setdefault(version.logical_entity_id, []).append(version)
    return [
        None
        if m is None
        else replace(
            m,
            candidate=replace(
                m.candidate, manual_fields=own_fields(chains[m.candidate.logical_entity_id])
            ),
        )
        for m in matches
    ]


def own_fields(chain: list[VersionedEntity]) -> frozenset[str]:
    """The fields whose value was last set by the person (by hand, or an interview answer
    they confirmed)."""
    setter: dict[str, str | None] = {}
    previous: dict[str, Any] = {}
    for version in chain:
        for name, value in version.content().items():
            if value != previous.get(name) or name not in setter:
                setter[name] = version.source
        previous = version.content()
    return frozenset(name for name, source in setter.items() if source in OWN_WORDS)


def candidate(entity: VersionedEntity) -> Candidate:
    """A current profile entity as a match candidate (reads its history)."""
    chain = list(type(entity).objects.history(entity.logical_entity_id))
    return Candidate(entity.logical_entity_id, entity.version, entity.content(), own_fields(chain))


def _decide(proposal: Proposal, upload: dict[str, Any], match: Match | None) -> MergeDecision:
    spec, model = proposal.spec, proposal.spec.model
    base = {
        "entity_type": spec.entity_type,
        "source_entity_id": proposal.source_entity_id,
        "status": DecisionStatus.PENDING,
    }
    if match is None:
        return MergeDecision(
            **base,
            decision_type=DecisionType.KEEP_SEPARATE,
            confidence_score=proposal.confidence,
            merge_reason=f"Nothing like it in your profile yet: it would be added as a new "
            f"{model._meta.verbose_name}.",
        )
    preferences, differing = suggest_preferences(model, upload, match.candidate)
    label = model(**match.candidate.fields)
    common = {
        "target_entity_id": match.candidate.logical_entity_id,
        "target_version": match.candidate.version,
        "field_preferences": preferences.dump(),
        "confidence_score": Decimal(str(match.score)),
    }
    if not differing:
        return MergeDecision(
            **base,
            **common,
            decision_type=DecisionType.SKIP,
            merge_reason=f"Already in your profile as “{label}”: nothing new.",
        )
    return MergeDecision(
        **base,
        **common,
        decision_type=DecisionType.MERGE,
        merge_reason=_merge_reason(label, Decimal(str(match.score)), differing),
    )


def _merge_reason(entity: VersionedEntity, score: Decimal, differing: list[str]) -> str:
    names = ", ".join(field_label(type(entity), name).lower() for name in differing)
    return (
        f"Looks like “{entity}” in your profile ({round(score * 100)}% alike); differs in {names}."
    )


def suggest_preferences(
    model: type[VersionedEntity], upload: dict[str, Any], candidate: Candidate
) -> tuple[FieldPreferences, list[str]]:
    """Per field, which value to keep, and the fields where the upload adds or differs.

    The upload fills empty fields. Where both have a value, the newer source wins over an
    earlier upload or AI, but the person's own words are kept.
    """
    preferences: dict[str, Prefer] = {}
    differing: list[str] = []
    for name in model.content_fields:
        new, old = upload.get(name), candidate.fields.get(name)
        if empty(new) or fields_equal(name, new, old):
            continue
        differing.append(name)
        own = name in candidate.manual_fields
        preferences[name] = Prefer.PROFILE if own and not empty(old) else Prefer.UPLOAD
    return FieldPreferences(preferences), differing


def missing_required(spec: EntitySpec, fields: dict[str, Any]) -> list[str]:
    """The labels of the profile's required fields that ``fields`` leaves empty."""
    return [field_label(spec.model, name).lower() for name in spec.missing_required(fields)]


def why_waiting(decision: MergeDecision, policy: Policy) -> list[str]:
    """What keeps a new entity from joining the profile by itself, for the person."""
    spec, fields = decision.spec, decision.proposed.fields()
    reasons = list(spec.problems(fields))
    missing = missing_required(spec, fields)
    if missing:
        reasons.append(
            f"The source gives no {' or '.join(missing)} for it, which your profile needs."
        )
    confidence = decision.source_confidence or Decimal("0")
    if confidence < policy.new_entity_min_confidence:
        reasons.append(
            f"It was read with {round(confidence * 100)}% confidence; new entries join by "
            f"themselves from {round(policy.new_entity_min_confidence * 100)}%."
        )
    return reasons


def _applies_automatically(decision: MergeDecision, policy: Policy) -> bool:
    if decision.decision_type == DecisionType.SKIP:
        return True
    if decision.decision_type == DecisionType.KEEP_SEPARATE:
        return not why_waiting(decision, policy)
    return policy.merge_threshold is not None and decision.confidence >= policy.merge_threshold


def is_certain(decision: MergeDecision, policy: Policy) -> bool:
    """What "Accept all" applies: a suggestion with nothing for the person to check."""
    return is_confident(decision, policy) and is_plausible(
        decision.spec,
        decision.proposed.fields(),
        new=adds_an_entity(decision.decision_type, decision.target_entity_id),
    )


def is_confident(decision: MergeDecision, policy: Policy) -> bool:
    """The half of ``is_certain`` that reads the confidences only (``confident`` in SQL):
    read surely enough for the policy, and a merge's entities alike enough."""
    return (decision.source_confidence or Decimal("0")) >= policy.new_entity_min_confidence and (
        adds_an_entity(decision.decision_type, decision.target_entity_id)
        or decision.confidence >= CERTAIN_MATCH
    )


def confident(policy: Policy) -> Q:
    """``is_confident`` as a filter: the database tells it for every pending decision, so
    only these need their proposal read. (A missing confidence is below every threshold:
    the policy's start at 0.50.)"""
    return Q(source_confidence__gte=policy.new_entity_min_confidence) & (
        Q(decision_type=DecisionType.KEEP_SEPARATE)
        | Q(target_entity_id__isnull=True)
        | Q(confidence_score__gte=CERTAIN_MATCH)
    )


def is_plausible(spec: EntitySpec, fields: dict[str, Any], *, new: bool) -> bool:
    """The other half of ``is_certain``: nothing odd in the proposed fields, and for a new
    entity every required one given."""
    return not spec.problems(fields) and not (new and spec.missing_required(fields))


def adds_an_entity(decision_type: str, target_entity_id: UUID | None) -> bool:
    """Whether a decision adds a new entity (rather than changing the one it matched)."""
    return decision_type == DecisionType.KEEP_SEPARATE or target_entity_id is None


# -- Applying -----------------------------------------------------------------------------


def merge_decision_apply(
    *,
    user: User,
    decision_id: UUID | str,
    decision_type: DecisionType | None = None,
    preferences: dict[str, Prefer] | None = None,
    completions: dict[str, str] | None = None,
) -> MergeDecision:
    """Apply a decision, optionally as another type, with the person's field choices and
    the required fields they filled in (``completions``).

    Applying an applied decision changes nothing. If the profile entity changed since the
    proposal, the decision is re-evaluated and ``StaleDecision`` raised instead. The
    suggestions folded into it settle the same way.
    """
    with transaction.atomic():
        decision = MergeDecision.objects.for_user(user).select_for_update().get(pk=decision_id)
        if decision.status != DecisionStatus.PENDING:
            return decision
        if decision_type is not None:
            decision.decision_type = decision_type
        if preferences is not None:
            decision.field_preferences = FieldPreferences(preferences).dump()
        if completions:
            data = decision.proposed.fields() | {
                name: value.strip()
                for name, value in completions.items()
                if name in decision.spec.missing_required(decision.proposed.fields())
                and value.strip()
            }
            decision.proposed_data = decision.spec.data.model_validate(
                {**data, "evidence": decision.proposed.evidence}
            ).model_dump(mode="json")
        applied = _apply(decision, skipped_by_person=decision_type == DecisionType.SKIP)
        settled = [decision, *(_settle_folded(decision) if applied else [])]
        decisions_settled.send(sender=MergeDecision, decisions=settled)
    if not applied:
        raise StaleDecision(decision)
    return decision


def merge_revision_accept(
    *,
    user: User,
    origin: Origin,
    proposal: Proposal,
    target_entity_id: UUID,
    target_version: int,
    fields: list[str],
) -> MergeDecision:
    """The person accepts a source's revision of one profile entity (an AI enrichment's
    stronger description): it is recorded as a merge decision and applied at once, as a new
    version of ``target_entity_id`` whose ``fields`` take the proposal's values, with the
    source as its source and revertible from the entity's history.

    Accepting the same proposal twice changes nothing (one decision per source entity). If
    the entity changed since ``target_version``, nothing is kept and ``StaleDecision``
    raised: the proposal was made against an older version.
    """
    with transaction.atomic():
        existing = (
            MergeDecision.objects.for_user(user)
            .filter(source_entity_id=proposal.source_entity_id)
            .first()
        )
        if existing is not None:
            return existing
        decision = MergeDecision(
            entity_type=proposal.spec.entity_type,
            source_entity_id=proposal.source_entity_id,
            target_entity_id=target_entity_id,
            target_version=target_version,
            decision_type=DecisionType.MERGE,
            field_preferences=FieldPreferences(dict.fromkeys(fields, Prefer.UPLOAD)).dump(),
            confidence_score=proposal.confidence,
            merge_reason="Accepted by you.",
        )
        _stamp(decision, user.pk, origin, proposal)
        decision.save(force_insert=True)
        if not _apply(decision):
            raise StaleDecision(decision)  # leaves the atomic block: nothing is kept
        decisions_settled.send(sender=MergeDecision, decisions=[decision])
    return decision


def _settle_folded(card: MergeDecision) -> list[MergeDecision]:
    """The suggestions folded into ``card`` end as it did."""
    folded = list(
        MergeDecision.objects.filter(folded_into_id=card.pk, status=DecisionStatus.PENDING)
    )
    verb = "skipped" if card.status == DecisionStatus.REJECTED else "applied"
    for decision in folded:
        decision.status = card.status
        decision.decision_type = DecisionType.SKIP
        decision.target_entity_id = card.target_entity_id
        decision.target_version = card.target_version
        decision.applied_at = timezone.now()
        decision.updated_at = timezone.now()
        decision.merge_reason = f"The same as the suggestion from {card.source_label}, {verb}."
    MergeDecision.objects.bulk_update(
        folded,
        [
            "status",
            "decision_type",
            "target_entity_id",
            "target_version",
            "applied_at",
            "updated_at",
            "merge_reason",
        ],
    )
    return folded


def merge_decisions_accept_all(*, user: User, group_id: UUID | None = None) -> int:
    """Apply every pending suggestion that is certain (``is_certain``), of one source if
    given; the rest stays waiting. Returns how many were applied."""
    policy = Policy.of(user.pk)
    pending = MergeDecision.objects.for_user(user).pending().filter(confident(policy))
    if group_id is not None:
        pending = pending.filter(source_group_id=group_id)
    applied = 0
    for decision in pending:
        if not is_certain(decision, policy):
            continue
        try:
            merge_decision_apply(user=user, decision_id=decision.pk)
        except (StaleDecision, IncompleteEntity):
            continue
        applied += 1
    return applied


def merge_decisions_skip_all(*, user: User, group_id: UUID) -> int:
    """Skip every pending suggestion from one source; returns how many."""
    skipped = 0
    for decision_id in (
        MergeDecision.objects.for_user(user)
        .pending()
        .filter(source_group_id=group_id)
        .values_list("id", flat=True)
    ):
        merge_decision_reject(user=user, decision_id=decision_id)
        skipped += 1
    return skipped


def merge_decision_reject(*, user: User, decision_id: UUID | str) -> MergeDecision:
    """The person skips this entity: nothing is written to the profile, and the same
    suggestion is not asked again."""
    return merge_decision_apply(user=user, decision_id=decision_id, decision_type=DecisionType.SKIP)


def _provenance(decision: MergeDecision, written: list[str]) -> Provenance:
    snippets = decision.snippets
    return Provenance(
        label=decision.source_label,
        url=decision.source_url,
        document_url=decision.source_document_url,
        decision_id=str(decision.pk),
        fields={name: snippets.get(name) for name in written if snippets.get(name)},
    )


def _apply(decision: MergeDecision, *, skipped_by_person: bool = False) -> bool:
    """Write the decision's outcome to the profile and mark it applied (or, when the
    person skipped it, rejected).

    Returns False, having re-evaluated the decision, when its target changed since.
    """
    spec = decision.spec
    model = spec.model
    upload = decision.proposed.fields()
    write: dict[str, Any] = {
        "user": decision.user_id,
        "source": Source(decision.source_type),
        "confidence": decision.source_confidence,
        "reason": f"From {decision.source_label}.",
    }
    kind = decision.decision_type
    if kind == DecisionType.SKIP:
        pass  # nothing to write
    elif kind == DecisionType.KEEP_SEPARATE or decision.target_entity_id is None:
        missing = missing_required(spec, upload)
        if missing:
            raise IncompleteEntity(
                f"This {model._meta.verbose_name} has no {' or '.join(missing)} in the source, "
                "so it cannot be added as it is: fill it in, or skip it."
            )
        changes = {name: value for name, value in upload.items() if not empty(value)}
        created = write_version(
            model,
            operation=Operation.CREATE,
            changes=changes,
            provenance=_provenance(decision, list(changes)),
            **write,
        )
        decision.target_entity_id = created.logical_entity_id
        decision.target_version = created.version
    else:
        current = (
            model.objects.for_user(decision.user_id)
            .current()
            .filter(logical_entity_id=decision.target_entity_id)
            .first()
        )
        if current is None or current.version != decision.target_version:
            _reevaluate(decision, upload, model)
            return False
        changes = _changes(kind, decision.preferences, upload, current, model)
        if changes:
            try:
                written = write_version(
                    model,
                    operation=Operation.REVISE,
                    logical_entity_id=decision.target_entity_id,
                    changes=changes,
                    expected_version=decision.target_version,
                    provenance=_provenance(decision, list(changes)),
                    **write,
                )
            except (VersionConflict, EntityRetired):
                _reevaluate(decision, upload, model)
                return False
            decision.target_version = written.version
    # A duplicate's facts are in the profile already (applied); what the person skips is
    # not (rejected).
    decision.status = DecisionStatus.REJECTED if skipped_by_person else DecisionStatus.APPLIED
    decision.applied_at = timezone.now()
    decision.updated_at = timezone.now()
    decision.save()
    return True


def _changes(
    kind: str,
    preferences: FieldPreferences,
    upload: dict[str, Any],
    current: VersionedEntity,
    model: type[VersionedEntity],
) -> dict[str, Any]:
    content = current.content()
    if kind == DecisionType.REPLACE:
        # The upload's entity as it is; required fields it lacks keep the profile's value.
        wanted = {
            name: upload.get(name)
            for name in model.content_fields
            if not (empty(upload.get(name)) and not model._meta.get_field(name).null)
        }
    else:
        wanted = {
            name: upload[name]
            for name in model.content_fields
            if preferences.get(name) == Prefer.UPLOAD and not empty(upload.get(name))
        }
    return {name: value for name, value in wanted.items() if value != content.get(name)}


def _reevaluate(
    decision: MergeDecision, upload: dict[str, Any], model: type[VersionedEntity]
) -> None:
    """Work the suggestion out again against the profile as it is now."""
    current = (
        model.objects.for_user(decision.user_id)
        .current()
        .filter(logical_entity_id=str(decision.target_entity_id))
        .first()
        if decision.target_entity_id
        else None
    )
    if current is None:
        decision.decision_type = DecisionType.KEEP_SEPARATE
        decision.target_entity_id = None
        decision.target_version = None
        decision.field_preferences = None
        decision.merge_reason = (
            "The matching entity was removed from your profile since; this one would be "
            "added as new."
        )
    else:
        preferences, differing = suggest_preferences(model, upload, candidate(current))
        decision.target_version = current.version
        decision.field_preferences = preferences.dump()
        decision.decision_type = DecisionType.MERGE if differing else DecisionType.SKIP
        decision.merge_reason = (
            f"Your profile's “{current}” changed since this was suggested (now version "
            f"{current.version}); the suggestion was worked out again."
        )
    decision.status = DecisionStatus.PENDING
    decision.updated_at = timezone.now()
    decision.save()

"""Proposing and applying merge decisions: the one door into the profile for every source.

A source (``merges.sources``) proposes entities with their evidence; every profile write
goes through ``careeros.db.versioning.write_version`` with the source as its source:
nothing is overwritten, and every applied decision can be undone from the entity's
history."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from careeros.db.versioning import (
    EntityRetired,
    Operation,
    Source,
    VersionConflict,
    VersionedEntity,
    field_label,
    write_version,
)
from merges.models import DecisionStatus, DecisionType, MergeDecision
from merges.schemas import FieldPreferences, Prefer
from merges.sources import Origin, Proposal, decisions_settled, snippets
from profiles.entities import ENTITY_SPECS, EntitySpec
from profiles.matching import MATCH_THRESHOLD, Candidate, Match, best_matches, empty, fields_equal
from profiles.models import Profile, User

logger = logging.getLogger(__name__)


class StaleDecision(Exception):
    """The profile entity changed after the proposal; the decision was re-evaluated."""

    def __init__(self, decision: MergeDecision) -> None:
        super().__init__(
            "Your profile changed since this suggestion was made, so it was worked out again. "
            "Review the updated suggestion and apply it once more."
        )
        self.decision = decision


# -- Proposing ----------------------------------------------------------------------------


def merge_decisions_propose(
    *, user_id: UUID | str, origin: Origin, proposals: list[Proposal]
) -> list[MergeDecision]:
    """Propose a decision for every proposal that has none yet.

    New entities and exact duplicates are applied at once; near matches and conflicts wait
    for review, unless the person chose to auto-apply suggestions above a confidence.
    Safe to run twice: a source entity with a decision is left alone. Runs in the owner's
    RLS context (for uploads, the pipeline's complete stage).
    """
    threshold = (
        Profile.objects.filter(user_id=user_id)
        .values_list("merge_auto_apply_threshold", flat=True)
        .first()
    )
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
        uploads = [p.data.fields() for p in batch]
        matches = best_matches(spec.score, uploads, _candidates(spec.model, user_id))
        added: list[dict[str, Any]] = []
        for proposal, upload, match in zip(batch, uploads, matches, strict=True):
            decision = _propose(proposal, upload, match, added)
            decision.user_id = user_id
            decision.proposed_data = proposal.data.model_dump(mode="json")
            decision.source_confidence = proposal.confidence
            decision.evidence = snippets(origin, proposal.data)
            decision.source_type = origin.source_type
            decision.source_group_id = origin.group_id
            decision.source_label = origin.label
            decision.source_url = origin.url
            decision.save(force_insert=True)
            proposed.append(decision)
            if decision.decision_type == DecisionType.KEEP_SEPARATE:
                added.append(upload)
    for decision in proposed:
        if _applies_automatically(decision, threshold):
            _apply(decision)  # a stale one is re-evaluated and waits for review
    decisions_settled.send(sender=MergeDecision, decisions=proposed)
    return proposed


def _candidates(model: type[VersionedEntity], user_id: Any) -> list[Candidate]:
    """The user's current entities, each knowing which of its values were typed by hand."""
    current = list(model.objects.for_user(user_id).current().order_by("created_at"))
    versions = model.objects.for_user(user_id).filter(
        logical_entity_id__in=[row.logical_entity_id for row in current]
    )
    chains: dict[Any, list[VersionedEntity]] = {}
    for version in versions.order_by("logical_entity_id", "version"):
        chains.setdefault(version.logical_entity_id, []).append(version)
    return [
        Candidate(
            row.logical_entity_id,
            row.version,
            row.content(),
            _manual_fields(chains[row.logical_entity_id]),
        )
        for row in current
    ]


def _manual_fields(chain: list[VersionedEntity]) -> frozenset[str]:
    """The fields whose value was last set by a manual version of the chain."""
    setter: dict[str, str | None] = {}
    previous: dict[str, Any] = {}
    for version in chain:
        for name, value in version.content().items():
            if value != previous.get(name) or name not in setter:
                setter[name] = version.source
        previous = version.content()
    return frozenset(name for name, source in setter.items() if source == Source.MANUAL)


def _candidate(entity: VersionedEntity) -> Candidate:
    chain = list(type(entity).objects.history(entity.logical_entity_id))
    return Candidate(
        entity.logical_entity_id, entity.version, entity.content(), _manual_fields(chain)
    )


def _propose(
    proposal: Proposal,
    upload: dict[str, Any],
    match: Match | None,
    added: list[dict[str, Any]],
) -> MergeDecision:
    spec, model = proposal.spec, proposal.spec.model
    confidence = proposal.confidence
    entity_type = spec.entity_type
    source_entity_id = proposal.source_entity_id
    if match is None:
        if any(spec.score(upload, earlier) >= MATCH_THRESHOLD for earlier in added):
            return MergeDecision(
                entity_type=entity_type,
                source_entity_id=source_entity_id,
                decision_type=DecisionType.SKIP,
                confidence_score=confidence,
                merge_reason="Appears twice in this resume; the first is kept.",
            )
        missing = missing_required(spec, upload)
        reason = (
            f"Nothing like it in your profile yet: it will be added as a new "
            f"{model._meta.verbose_name}."
        )
        if missing:
            reason = (
                f"The resume gives no {' or '.join(missing)} for it, which your profile "
                "needs: skip it, or add it by hand with the missing details."
            )
        return MergeDecision(
            entity_type=entity_type,
            source_entity_id=source_entity_id,
            decision_type=DecisionType.KEEP_SEPARATE,
            confidence_score=confidence,
            merge_reason=reason,
        )
    preferences, differing = suggest_preferences(model, upload, match.candidate)
    label = model(**match.candidate.fields)
    if not differing:
        return MergeDecision(
            entity_type=entity_type,
            source_entity_id=source_entity_id,
            target_entity_id=match.candidate.logical_entity_id,
            target_version=match.candidate.version,
            decision_type=DecisionType.SKIP,
            field_preferences=preferences.dump(),
            confidence_score=Decimal(str(match.score)),
            merge_reason=f"Already in your profile as “{label}”: nothing new.",
        )
    names = ", ".join(field_label(model, name).lower() for name in differing)
    return MergeDecision(
        entity_type=entity_type,
        source_entity_id=source_entity_id,
        target_entity_id=match.candidate.logical_entity_id,
        target_version=match.candidate.version,
        decision_type=DecisionType.MERGE,
        field_preferences=preferences.dump(),
        confidence_score=Decimal(str(match.score)),
        merge_reason=f"Looks like “{label}” in your profile ({round(match.score * 100)}% alike); "
        f"differs in {names}.",
    )


def suggest_preferences(
    model: type[VersionedEntity], upload: dict[str, Any], candidate: Candidate
) -> tuple[FieldPreferences, list[str]]:
    """Per field, which value to keep, and the fields where the upload adds or differs.

    The upload fills empty fields. Where both have a value, the newer resume wins over an
    earlier upload, but a value the person typed in by hand is kept.
    """
    preferences: dict[str, Prefer] = {}
    differing: list[str] = []
    for name in model.content_fields:
        new, old = upload.get(name), candidate.fields.get(name)
        if empty(new) or fields_equal(name, new, old):
            continue
        differing.append(name)
        by_hand = name in candidate.manual_fields
        preferences[name] = Prefer.PROFILE if by_hand and not empty(old) else Prefer.UPLOAD
    return FieldPreferences(preferences), differing


def missing_required(spec: EntitySpec, fields: dict[str, Any]) -> list[str]:
    """The labels of the profile's required fields that ``fields`` leaves empty."""
    return [field_label(spec.model, name).lower() for name in spec.missing_required(fields)]


class IncompleteEntity(Exception):
    """The extracted entity lacks a field the profile requires; nothing was written."""


def _applies_automatically(decision: MergeDecision, threshold: Decimal | None) -> bool:
    if decision.decision_type == DecisionType.KEEP_SEPARATE:
        return not decision.spec.missing_required(decision.proposed.fields())
    if decision.decision_type == DecisionType.SKIP:
        return True
    return threshold is not None and decision.confidence >= threshold


# -- Applying -----------------------------------------------------------------------------


def merge_decision_apply(
    *,
    user: User,
    decision_id: UUID | str,
    decision_type: DecisionType | None = None,
    preferences: dict[str, Prefer] | None = None,
) -> MergeDecision:
    """Apply a decision, optionally as another type or with the person's field choices.

    Applying an applied decision changes nothing. If the profile entity changed since the
    proposal, the decision is re-evaluated and ``StaleDecision`` raised instead.
    """
    with transaction.atomic():
        decision = MergeDecision.objects.for_user(user).select_for_update().get(pk=decision_id)
        if decision.status != DecisionStatus.PENDING:
            return decision
        if decision_type is not None:
            decision.decision_type = decision_type
        if preferences is not None:
            decision.field_preferences = FieldPreferences(preferences).dump()
        applied = _apply(decision, skipped_by_person=decision_type == DecisionType.SKIP)
        decisions_settled.send(sender=MergeDecision, decisions=[decision])
    if not applied:
        raise StaleDecision(decision)
    return decision


def merge_decisions_accept_all(*, user: User, group_id: UUID | None = None) -> int:
    """Apply every pending decision as suggested (of one source group, if given); returns
    how many were applied."""
    pending = MergeDecision.objects.for_user(user).pending()
    if group_id is not None:
        pending = pending.filter(source_group_id=group_id)
    applied = 0
    for decision_id in pending.values_list("id", flat=True):
        try:
            merge_decision_apply(user=user, decision_id=decision_id)
        except (StaleDecision, IncompleteEntity):
            continue
        applied += 1
    return applied


def merge_decision_reject(*, user: User, decision_id: UUID | str) -> MergeDecision:
    """The person skips this entity: nothing is written to the profile."""
    return merge_decision_apply(user=user, decision_id=decision_id, decision_type=DecisionType.SKIP)


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
                f"This {model._meta.verbose_name} has no {' or '.join(missing)} in the resume, "
                "so it cannot be added as it is. Skip it, or add it by hand."
            )
        created = write_version(
            model,
            operation=Operation.CREATE,
            changes={name: value for name, value in upload.items() if not empty(value)},
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
        preferences, differing = suggest_preferences(model, upload, _candidate(current))
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

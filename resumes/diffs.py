"""Comparing two sets of entities: what was added, removed and changed, and how similar.

Entities are paired per type by the profile's one matcher (``profiles.matching``, the same
test merge review uses); fields compare with its ``fields_equal``, so a difference of case,
punctuation or list order is no change. Similarity is the mean field-level agreement over
all entities of both sides (a Dice-style score): 1.0 for identical sets, 0.0 when nothing
matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from profiles.entities import ENTITY_SPECS, EntityData, EntitySpec, spec_for_model, spec_for_type
from profiles.matching import Candidate, best_matches, empty, fields_equal
from resumes.schemas import Differences, EntityChange, EntityRef, FieldChange


@dataclass(frozen=True)
class Comparable:
    spec: EntitySpec
    label: str
    fields: dict[str, Any]

    @property
    def entity_type(self) -> str:
        return self.spec.entity_type


def comparable(data: EntityData) -> Comparable:
    return Comparable(spec_for_model(data.model), data.label(), data.fields())


def profile_comparable(entity_type: str, content: dict[str, Any]) -> Comparable:
    """A current profile entity (its ``content()``) in the shape of parsed entity data."""
    spec = spec_for_type(entity_type)
    return comparable(spec.load({k: v for k, v in content.items() if v is not None}))


def _field_agreement(a: Comparable, b: Comparable) -> float:
    names = [n for n in a.fields if not empty(a.fields[n]) or not empty(b.fields.get(n))]
    if not names:
        return 1.0
    return sum(fields_equal(n, a.fields[n], b.fields.get(n)) for n in names) / len(names)


def _match(
    before: Sequence[Comparable], after: Sequence[Comparable]
) -> tuple[list[tuple[Comparable, Comparable]], list[Comparable], list[Comparable]]:
    """Pair entities of the same type one-to-one, best matches first."""
    pairs: list[tuple[Comparable, Comparable]] = []
    added: list[Comparable] = []
    removed: list[Comparable] = []
    for spec in ENTITY_SPECS:
        old = [item for item in before if item.spec is spec]
        new = [item for item in after if item.spec is spec]
        candidates = [Candidate(index, 0, item.fields) for index, item in enumerate(old)]
        matches = best_matches(spec.score, [item.fields for item in new], candidates)
        taken: set[int] = set()
        for item, match in zip(new, matches, strict=True):
            if match is None:
                added.append(item)
            else:
                taken.add(match.candidate.logical_entity_id)
                pairs.append((old[match.candidate.logical_entity_id], item))
        removed += [item for index, item in enumerate(old) if index not in taken]
    return pairs, added, removed


def compare(before: Sequence[Comparable], after: Sequence[Comparable]) -> tuple[Differences, float]:
    """The differences from ``before`` to ``after`` and their similarity (0..1)."""
    pairs, added, removed = _match(before, after)
    changed: list[EntityChange] = []
    unchanged = 0
    agreement = 0.0
    for old, new in pairs:
        agreement += _field_agreement(new, old)
        fields = [
            FieldChange(field=name, before=old.fields.get(name), after=value)
            for name, value in new.fields.items()
            if not fields_equal(name, value, old.fields.get(name))
            and not (empty(value) and empty(old.fields.get(name)))
        ]
        if fields:
            changed.append(
                EntityChange(entity_type=new.entity_type, label=new.label, fields=fields)
            )
        else:
            unchanged += 1
    total = len(before) + len(after)
    similarity = 1.0 if total == 0 else 2 * agreement / total
    differences = Differences(
        added=[EntityRef(entity_type=e.entity_type, label=e.label) for e in added],
        removed=[EntityRef(entity_type=e.entity_type, label=e.label) for e in removed],
        changed=changed,
        unchanged=unchanged,
    )
    return differences, round(similarity, 2)

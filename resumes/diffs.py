"""Comparing two sets of entities: what was added, removed and changed, and how similar.

Entities are matched per type on their key fields (company and title, institution and
degree, skill name…), normalised; pairs that are not equal but close enough (rapidfuzz
token-sort ratio) count as the same entity changed. Similarity is the mean field-level
agreement over all entities of both sides (a Dice-style score): 1.0 for identical sets,
0.0 when nothing matches.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from resumes.schemas import (
    ENTITY_DATA_MODELS,
    Differences,
    EntityChange,
    EntityData,
    EntityRef,
    FieldChange,
)

# Key fields this similar (0-100) make two entities one entity that changed.
MATCH_THRESHOLD = 85


@dataclass(frozen=True)
class Comparable:
    entity_type: str
    label: str
    key: str
    fields: dict[str, Any]


def comparable(data: EntityData) -> Comparable:
    fields = data.fields()
    key = " ".join(_normal(fields.get(name)) for name in data.key_fields).strip()
    return Comparable(data.entity_type, data.label(), key, fields)


def profile_comparable(entity_type: str, content: dict[str, Any]) -> Comparable:
    """A current profile entity (its ``content()``) in the shape of parsed entity data."""
    model = ENTITY_DATA_MODELS[entity_type]
    return comparable(model.model_validate({k: v for k, v in content.items() if v is not None}))


def _normal(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(_normal(item) for item in value)
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", str(value).casefold())).strip()


def _same(a: Any, b: Any) -> bool:
    return _normal(a) == _normal(b)


def _field_agreement(a: Comparable, b: Comparable) -> float:
    names = [n for n in a.fields if a.fields[n] not in (None, "", []) or b.fields.get(n)]
    if not names:
        return 1.0
    return sum(_same(a.fields[n], b.fields.get(n)) for n in names) / len(names)


def _match(
    before: Sequence[Comparable], after: Sequence[Comparable]
) -> tuple[list[tuple[Comparable, Comparable]], list[Comparable], list[Comparable]]:
    """Pair entities of the same type: exact keys first, then the closest fuzzy keys."""
    remaining = list(before)
    pairs: list[tuple[Comparable, Comparable]] = []
    unmatched: list[Comparable] = []
    for item in after:
        exact = next(
            (b for b in remaining if b.entity_type == item.entity_type and b.key == item.key),
            None,
        )
        if exact is not None:
            remaining.remove(exact)
            pairs.append((exact, item))
        else:
            unmatched.append(item)
    added: list[Comparable] = []
    for item in unmatched:
        scored = [
            (fuzz.token_sort_ratio(b.key, item.key), b)
            for b in remaining
            if b.entity_type == item.entity_type
        ]
        best = max(scored, key=lambda pair: pair[0], default=None)
        if best is not None and best[0] >= MATCH_THRESHOLD:
            remaining.remove(best[1])
            pairs.append((best[1], item))
        else:
            added.append(item)
    return pairs, added, remaining


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
            if not _same(old.fields.get(name), value)
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

"""What a source hands to merge review: its entities with their evidence, and itself.

Uploads (``resumes``) today, interviews, imports and AI enrichment next: each describes
where its entities came from (an ``Origin``) and proposes them (``Proposal``). Merges keeps
what the review card shows — the fields, the snippets of source text each value was read
from, a label and a link back — so it never needs to know the source's own tables. A
source that wants to know what became of its entities listens to ``decisions_settled``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.dispatch import Signal

from careeros.db.versioning import Source
from merges.schemas import Snippet
from profiles.entities import EntityData, EntitySpec

# Characters of source text shown around a piece of evidence.
CONTEXT = 40
# At most this many snippets a field on a review card.
MAX_SNIPPETS = 3

# Sent whenever decisions are proposed or change status, inside the transaction that
# changed them: ``decisions`` is the list of MergeDecision rows. A source's receiver records
# the outcome in its own tables (each table keeps one writer).
decisions_settled = Signal()


@dataclass(frozen=True)
class Origin:
    """Where a batch of proposals came from."""

    source_type: Source
    group_id: UUID  # the resume version, interview session…: one group on the review screen
    label: str  # "cv.pdf, upload 2 of “Backend roles”"
    url: str  # where the person can see the source
    text: str  # the text the proposals' evidence spans index into
    document_url: str = ""  # the original document, when there is one


@dataclass(frozen=True)
class Proposal:
    """One entity a source read, as the profile would hold it."""

    source_entity_id: UUID  # the source's own row; one decision per source entity
    spec: EntitySpec
    data: EntityData
    confidence: Decimal  # how sure the source is of what it read (0..1)


def snippet(text: str, span: Any) -> Snippet:
    """The evidence ``span`` of ``text`` with up to ``CONTEXT`` characters either side."""
    start, end = int(span[0]), int(span[1])
    before = text[max(0, start - CONTEXT) : start]
    after = text[end : end + CONTEXT]
    return Snippet(
        before=("…" if start > CONTEXT else "") + " ".join(before.split()),
        text=" ".join(text[start:end].split()),
        after=" ".join(after.split()) + ("…" if end + CONTEXT < len(text) else ""),
    )


def snippets(origin: Origin, data: EntityData) -> dict[str, list[dict[str, str]]]:
    """Per field, the snippets of ``origin.text`` its value was read from (JSON form)."""
    return {
        field: [snippet(origin.text, span).model_dump() for span in spans[:MAX_SNIPPETS]]
        for field, spans in data.evidence.items()
        if spans
    }

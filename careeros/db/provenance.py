"""Where a version's facts came from: the typed form of versioned entities' ``provenance``.

A version applied from a source (a resume upload, later an interview answer) keeps the
source's name and links, and for every field it set the snippets of source text the value
was read from, so the history can answer "where does this line of my profile come from?"
long after the review card is gone.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class Snippet(BaseModel):
    """Where in its source a value was read: the text, with what surrounds it."""

    before: str
    text: str
    after: str


class Provenance(BaseModel):
    label: str  # "cv.pdf, upload 2 of “Backend roles”"
    url: str = ""  # where the person can see the source
    document_url: str = ""  # the original document, when there is one
    decision_id: str | None = None  # the merge decision it was applied from
    # The source was deleted since (its links are gone; the history stays).
    removed: bool = False
    # Per field this version set: the snippets its value was read from.
    fields: dict[str, list[Snippet]] = Field(default_factory=dict)

"""The grounding check: a statement may only say what the person's own profile says.

A statement is refused when it

- names a number (a count, a year, an amount) that neither the person's entities nor the
  facts computed from them contain;
- names a proper noun (an employer, a title, a month, a place: a capitalised word past a
  sentence's first word) that they do not contain;
- names a skill of the vocabulary that they do not contain;
- cites nothing, or cites an entity that is not one of the person's current entities.

The ground is built from the entities read in the person's row level security context, so
another person's entity can never be cited.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from careeros.text import fold
from enrichment.facts import Entry, Facts, skills_in
from enrichment.schemas import EntityRef, Statement

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Entity ids in the facts are references, not something a statement may quote.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_WORD = re.compile(r"[^\W\d_][\w#+.&'’/-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n\s*[-•*]?\s*)$")


def number_key(text: str) -> str:
    """One spelling per number: "12,000" and "12000" agree, "01" is "1", "2.50" is "2.5"."""
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    text = text.replace(",", ".")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.lstrip("0") or "0"


def _text_of(value: Any) -> str:
    if isinstance(value, dict):
        return "\n".join(_text_of(item) for item in value.values())
    if isinstance(value, list | tuple):
        return "\n".join(_text_of(item) for item in value)
    return "" if value is None else str(value)


@dataclass
class Ground:
    numbers: set[str]
    words: set[str]
    text: str  # folded, space-separated: phrases are looked up in it
    refs: dict[UUID, EntityRef]

    @classmethod
    def of(cls, entries: list[Entry], facts: Facts | None = None) -> Ground:
        """What the person's current entries, and the facts computed from them, say."""
        sources = [_text_of(entry.fields) for entry in entries]
        sources += [entry.ref.label for entry in entries]
        if facts is not None:
            sources.append(_text_of(json.loads(json.dumps(facts.payload(), default=str))))
        raw = _UUID.sub(" ", "\n".join(sources))
        folded = fold(raw)
        return cls(
            numbers={number_key(n) for n in _NUMBER.findall(raw)},
            words=set(folded.split()),
            text=f" {folded} ",
            refs={entry.ref.version_id: entry.ref for entry in entries},
        )

    def resolve(self, cited: str | UUID) -> EntityRef | None:
        """The person's entity a citation names (by its version id), or None."""
        try:
            return self.refs.get(UUID(str(cited)))
        except ValueError:
            return None

    def problems(self, text: str, cites: list[EntityRef] | None = None) -> list[str]:
        """Why ``text`` is not grounded (empty when it is)."""
        found: list[str] = []
        for number in _NUMBER.findall(text):
            if number_key(number) not in self.numbers:
                found.append(f"the number {number} is not in your profile")
        for match in _WORD.finditer(text):
            word = match.group(0).rstrip(".'’-/")
            if not word[:1].isupper() or _SENTENCE_START.search(text[: match.start()]):
                continue
            parts = fold(word).split()
            if parts and not all(part in self.words for part in parts):
                found.append(f"“{word}” is not in your profile")
        for skill in skills_in(text, []):
            if f" {fold(skill.name)} " not in self.text:
                found.append(f"the skill {skill.name} is not in your profile")
        if cites is not None:
            if not cites:
                found.append("it cites no entry of your profile")
            for ref in cites:
                mine = self.refs.get(ref.version_id)
                if mine is None or mine.logical_entity_id != ref.logical_entity_id:
                    found.append(f"it cites {ref.label or ref.version_id}, which is not yours")
        return list(dict.fromkeys(found))

    def check(self, statement: Statement) -> list[str]:
        return self.problems(statement.text, statement.cites)

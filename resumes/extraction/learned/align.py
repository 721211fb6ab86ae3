"""Project a synthetic document's known labels onto the lines its reader produced.

The generator knows every printed line's section and role (``<id>.labels.json``); the
reader sees the rendered file, whose lines may be wrapped, set side by side in cells, or
read in another order (sidebars). Each reader line takes the label of the printed line its
words came from: the printed line sharing most of its words among those no earlier reader
line took from it (a heading "Experience" after a paragraph that says "experience"), the
nearest one after the previous match winning a tie. A reader line that starts inside a
printed line another reader line already started is that line's continuation (``cont``),
except in a heading.

    labels = align(document, json.loads(path.read_text())["lines"])
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from resumes.extraction.labels import Role, Section
from resumes.reading.model import ResumeText

WORD = re.compile(r"\w+", re.UNICODE)
UNMATCHED = "other:other"


def _words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def label(section: str, role: str) -> str:
    return f"{section}:{role}"


def split_label(value: str) -> tuple[Section, Role]:
    section, role = value.split(":")
    return Section(section), Role(role)


def align(document: ResumeText, printed: list[dict[str, Any]]) -> list[str]:
    """One ``section:role`` label per reader line."""
    return align_owners(document, printed)[0]


def align_owners(
    document: ResumeText, printed: list[dict[str, Any]]
) -> tuple[list[str], list[int | None]]:
    """The labels, and the printed line each reader line's words came from (None for
    lines the generator did not print, such as page numbers)."""
    words = [Counter(_words("".join(text for text, _ in line["spans"]))) for line in printed]
    firsts = [next(iter(_words("".join(t for t, _ in line["spans"]))), None) for line in printed]
    index: dict[str, set[int]] = defaultdict(set)
    for number, counter in enumerate(words):
        for word in counter:
            index[word].add(number)
    out: list[str] = []
    owners: list[int | None] = []
    left = [counter.copy() for counter in words]
    started: set[int] = set()
    previous = -1
    section = Section.HEADER.value
    for line in document.lines:
        tokens = _words(line.text)
        candidates = _shared(Counter(tokens), index, left) or _shared(Counter(tokens), index, words)
        if not tokens or not candidates:
            missing = Role.FURNITURE if line.furniture or not tokens else Role.OTHER
            out.append(label(section, missing.value))
            owners.append(None)
            continue
        best = max(candidates.values())
        # The nearest to the previous match wins a tie (the one after it at equal distance).
        tied = [n for n, score in candidates.items() if score == best]
        number = min(tied, key=lambda n: abs(n - previous) + (0.5 if n < previous else 0))
        # Words of the first printed line the reader line starts with decide its role.
        first = tokens[0]
        if first in words[number] or best < len(tokens) / 2:
            owner = number
        else:
            # Of the printed lines holding that word, the one sharing the most words, then
            # the nearest (a namesake may be nearer: "University of X" beside its dates).
            owner = min(
                (n for n in index.get(first, ()) if candidates[n]),
                key=lambda n: (-candidates[n], abs(n - number)),
                default=number,
            )
        item = printed[owner]
        role = item["role"]
        # A heading wrapped over two lines is two heading lines: its second line looks
        # like a heading, not like the rest of a paragraph.
        if owner in started and tokens[0] != firsts[owner] and role != Role.HEADING:
            role = Role.CONT.value
        started.add(owner)
        left[owner].subtract(tokens)
        previous = owner
        section = item["section"]
        if line.furniture:
            role = Role.FURNITURE.value
        out.append(label(section, role))
        owners.append(owner)
    return _entry_starts(out, owners, printed), owners


def _shared(
    tokens: Counter[str], index: dict[str, set[int]], available: list[Counter[str]]
) -> Counter[int]:
    """How many of the tokens each printed line has ``available``."""
    shared: Counter[int] = Counter()
    for word, n in tokens.items():
        for number in index.get(word, ()):
            if (count := min(n, available[number][word])) > 0:
                shared[number] += count
    return shared


def _entry_starts(
    labels: list[str], owners: list[int | None], printed: list[dict[str, Any]]
) -> list[str]:
    """``entry`` marks the first line the reader shows of each entry, whichever printed line
    it is (a date column read before the title); the entry's other header lines are
    ``detail``."""
    header = {Role.ENTRY.value, Role.DETAIL.value}
    seen: set[tuple[str, int]] = set()
    out = list(labels)
    for number, (value, owner) in enumerate(zip(labels, owners, strict=True)):
        section, role = value.split(":")
        if owner is None or role not in header or printed[owner]["entry"] is None:
            continue
        key = (section, printed[owner]["entry"])
        out[number] = label(section, Role.DETAIL.value if key in seen else Role.ENTRY.value)
        seen.add(key)
    return out

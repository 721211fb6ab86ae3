"""Pieces of the raw text with their spans, so every extracted value keeps its evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from resumes.normalisers.dates import find_dates

Span = tuple[int, int]
# Characters trimmed from the ends of a value: whitespace, bullets, separators, markup.
TRIM = " \t\n\r|•·◦▪‣⁃∙*_#>:;,–—-\u2022\u00b7\u25cf\u25aa\u2013\u2014"
TRIM_KEEP_DASH = " \t\n\r|•·◦▪‣⁃∙*_#>:;,\u2022\u00b7\u25cf\u25aa"
# The end of a value keeps its "#" ("C#").
_END_TRIM = {trim: trim.replace("#", "") for trim in (TRIM, TRIM_KEEP_DASH)}
_MARKUP = re.compile(r"\*\*|__")


@dataclass(slots=True)
class Piece:
    text: str
    spans: list[Span] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.text)


def piece(raw: str, start: int, end: int, trim: str = TRIM) -> Piece:
    """The value at raw[start:end], trimmed of separators at both ends."""
    while start < end and raw[start] in trim:
        start += 1
    end_trim = _END_TRIM.get(trim) or trim.replace("#", "")
    while end > start and raw[end - 1] in end_trim:
        end -= 1
    # Keep a trailing period of an abbreviation ("Inc.") and closing brackets.
    if end < len(raw) and raw[end : end + 1] == ")" and "(" in raw[start:end]:
        end += 1
    text = " ".join(raw[start:end].split())  # whitespace runs as one space
    if "**" in text or "__" in text:
        text = _MARKUP.sub("", text)
    return Piece(text, [(start, end)] if text else [])


def join(pieces: list[Piece]) -> Piece:
    """Lines of one paragraph joined: a line ending in a hyphen joins without a space."""
    text = ""
    spans: list[Span] = []
    for p in pieces:
        if not p:
            continue
        if text and not text.endswith("-"):
            text += " "
        text += p.text
        spans.extend(p.spans)
    return Piece(text, spans)


SEPARATORS = re.compile(r"\s+[|•·◦▪–—]\s+|\s*\|\s*|\t|\s{3,}")


def segments(raw: str, start: int, end: int, extra: str | None = None) -> list[Piece]:
    """Split raw[start:end] at separators (tabs, ``|``, `` • ``, wide spaces)."""
    pattern = SEPARATORS if extra is None else re.compile(SEPARATORS.pattern + "|" + extra)
    out: list[Piece] = []
    position = start
    protected: list[Span] | None = None
    for match in pattern.finditer(raw, start, end):
        if protected is None:
            # A dash inside "Jan 2014 – Present" is part of the range, not a separator.
            dates = find_dates(raw[start:end])
            protected = [(start + d.span[0], start + d.span[1]) for d in dates]
        if any(a < match.end() and match.start() < b for a, b in protected):
            continue
        p = piece(raw, position, match.start(), TRIM_KEEP_DASH)
        if p:
            out.append(p)
        position = match.end()
    p = piece(raw, position, end, TRIM_KEEP_DASH)
    if p:
        out.append(p)
    return out


def split_piece(raw: str, p: Piece, pattern: re.Pattern[str]) -> list[Piece]:
    """Split a one-span piece at a pattern, keeping spans."""
    if len(p.spans) != 1:
        return [p]
    start, end = p.spans[0]
    out: list[Piece] = []
    position = start
    for match in pattern.finditer(raw, start, end):
        sub = piece(raw, position, match.start(), TRIM_KEEP_DASH)
        if sub:
            out.append(sub)
        position = match.end()
    sub = piece(raw, position, end, TRIM_KEEP_DASH)
    if sub:
        out.append(sub)
    return out


def sub_piece(p: Piece, start: int, end: int, raw: str) -> Piece:
    """The part of a one-span piece between offsets relative to its text (same raw chars)."""
    base = p.spans[0][0]
    return piece(raw, base + start, base + end, TRIM_KEEP_DASH)

"""The one text normaliser: how CareerOS compares what people and documents write.

``normalise`` keeps words as written but removes what only differs in form (Unicode
compatibility forms, soft hyphens, the many dashes and quotes, case, runs of white
space); ``fold`` goes further for matching names: accents and punctuation go too, so
"Société Générale S.A." and "societe generale s.a" compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
_QUOTES = {ord(c): "'" for c in "‘’‚‛′"} | {ord(c): '"' for c in "“”„‟″"}
# Characters that carry meaning inside names and are kept by fold(): C#, C++, Node.js,
# AT&T, CI/CD, Jean-Luc.
_KEPT = "#+.&/-"
_PUNCTUATION = re.compile(rf"[^\w\s{re.escape(_KEPT)}]+")
# A kept character standing alone or at a word's edge is punctuation after all ("- ", "x.").
_LOOSE = re.compile(r"(?<!\w)[./-]|[./-](?!\w)")


@lru_cache(maxsize=65536)
def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    text = text.translate(_DASHES).translate(_QUOTES)
    return " ".join(text.casefold().split())


def normalise(value: Any) -> str:
    """Case-, width- and dash-insensitive text with single spaces ('' for None)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(normalise(item) for item in value)
    return _normalise(str(value))


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", _normalise(text))
    value = "".join(char for char in decomposed if not unicodedata.combining(char))
    value = _LOOSE.sub(" ", _PUNCTUATION.sub(" ", value))
    return " ".join(value.split())


def fold(value: Any) -> str:
    """``normalise`` without accents and punctuation: the key for matching names."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(fold(item) for item in value)
    return _fold(str(value))

"""The field tagger: which words of an entry's header lines are its title, employer, place,
institution, degree, project, issuer… (``labels.Tag``).

A token-level linear-chain CRF over the header lines of one entry, read as one sequence: a
word's tag depends on its neighbours' ("Senior" before "Engineer", the words after "at"),
and on where it stands (first phrase of the first line, the cell after a wide gap). Word
lists are features (a phrase holding a title word, a degree, an institution or company
word), never decisions. Runs of the same tag become the entry's fields, each with its mean
marginal probability as its confidence. The person's contact lines are read the same way, as
one more header (kind ``basics``: e-mail, phone, location, website, network, handle).

    tagger = FieldTagger.default()             # the committed model, or None
    fields = tagger.fields("work", entry.header, document.raw)
    # {"title": [(Piece("Data Engineer", [(120, 133)]), 0.98)], "employer": [...], ...}
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycrfsuite

from resumes.extraction.labels import Tag
from resumes.extraction.rules import vocabulary as vocab
from resumes.extraction.rules.engine import EMAIL, URL
from resumes.extraction.rules.text import Piece
from resumes.normalisers.dates import find_dates
from resumes.reading.model import Line

MODEL = Path(__file__).resolve().parent / "model"
FIELDS = "fields.crfsuite"
# The sections whose entries have header fields, in the engine's words.
KINDS = ("work", "volunteer", "education", "projects", "certificates")

TOKEN = re.compile(r"\w[\w.'’&+#/@-]*|[^\w\s]", re.UNICODE)
# Tokens that end a phrase ("Engineer | Acme", "Acme · Berlin", "Engineer @ Acme").
BREAK = frozenset(";|•·–—:@()")
# "Berlin, DE", "Lyon, France", "Austin, Texas" ending a phrase ("Acme, Austin, TX"): a place
# the way headers print one.
CAPITALISED = r"[A-ZÀ-Ý][\w'’.\-]*(?: [A-ZÀ-Ý][\w'’.\-]*){0,2}"
PLACE = re.compile(rf"({CAPITALISED}),\s*(?:[A-Z]{{2}}\b|{CAPITALISED})\s*$")
PHRASE = re.compile(r"[^|•·–—\t]+")
# Features that depend on how a template orders a header; every header is also learned
# without them, so the words and phrases alone can carry a tag.
POSITION = ("line=", "cell=", "phrase=", "first_in", "last_in", "bold")

Features = dict[str, float]


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int  # in the document's raw text
    end: int
    line: int  # index among the header's lines
    cell: int
    phrase: int  # index of the phrase within its line


def tokens(lines: Sequence[Line]) -> list[Token]:
    out: list[Token] = []
    for number, line in enumerate(lines):
        phrase = 0
        for match in TOKEN.finditer(line.text):
            start = line.start + match.start()
            cell = next(
                (i for i, c in enumerate(line.cells) if c.start <= start < c.end),
                len(line.cells) - 1,
            )
            if out and out[-1].line == number and out[-1].cell != cell:
                phrase += 1
            text = match.group()
            out.append(Token(text, start, start + len(text), number, cell, phrase))
            if text in BREAK:
                phrase += 1
    return out


def _shape(text: str) -> str:
    shape = re.sub(r"[A-ZÀ-Ý]", "A", text)
    shape = re.sub(r"[a-zß-ÿ]", "a", shape)
    shape = re.sub(r"\d", "9", shape)
    return re.sub(r"(.)\1+", r"\1\1", shape)


def _place_word(text: str) -> bool:
    """A country, region or state as the word lists know it ("Ontario", "Deutschland")."""
    folded = vocab.fold(text)
    return folded in vocab.COUNTRIES or folded in vocab.REGIONS or text in vocab.US_STATES


def _phrase_flags(text: str) -> list[str]:
    flags = []
    if vocab.is_title(text):
        flags.append("title")
    if vocab.DEGREE.search(text):
        flags.append("degree")
    if vocab.INSTITUTION.search(text):
        flags.append("institution")
    if vocab.COMPANY_WORDS.search(text):
        flags.append("company")
    if PLACE.search(text) or _place_word(text):
        flags.append("place")
    return flags


def token_features(kind: str, lines: Sequence[Line], items: Sequence[Token]) -> list[Features]:
    """One feature dict per token of the header ``lines`` of an entry in a ``kind`` section."""
    if not items:
        return []
    dates: set[int] = set()
    places: set[int] = set()
    for line in lines:
        for found in find_dates(line.text):
            dates.update(range(line.start + found.span[0], line.start + found.span[1]))
        for cell in line.cells:
            for part in PHRASE.finditer(cell.text):
                place = PLACE.search(part.group())
                if place:
                    start = cell.start + part.start()
                    places.update(range(start + place.start(), start + place.end()))
    phrases: dict[tuple[int, int], list[Token]] = {}
    for token in items:
        phrases.setdefault((token.line, token.phrase), []).append(token)
    phrase_text = {
        key: " ".join(t.text for t in group if t.text not in BREAK)
        for key, group in phrases.items()
    }
    flags = {key: _phrase_flags(text) for key, text in phrase_text.items()}
    keys = sorted(phrases)
    out: list[Features] = []
    for index, token in enumerate(items):
        word = token.text
        lower = word.casefold()
        key = (token.line, token.phrase)
        group = phrases[key]
        f: Features = {
            "bias": 1.0,
            f"kind={kind}": 1.0,
            f"w={lower}": 1.0,
            f"shape={_shape(word)}": 1.0,
            f"suffix={lower[-3:]}": 1.0,
            f"prefix={lower[:3]}": 1.0,
            f"line={min(token.line, 3)}": 1.0,
            f"cell={min(token.cell, 2)}": 1.0,
            f"phrase={min(token.phrase, 3)}": 1.0,
        }
        if word in BREAK:
            f["break"] = 1.0
        elif not word[0].isalnum():
            f["punct"] = 1.0
        if word[:1].isupper():
            f["capital"] = 1.0
        if word.isupper() and len(word) > 1:
            f["upper"] = 1.0
        if any(c.isdigit() for c in word):
            f["digit"] = 1.0
        if token.start in dates:
            f["in_date"] = 1.0
        if token.start in places:
            f["in_place"] = 1.0
        if _place_word(word):
            f["place_word"] = 1.0
        if URL.fullmatch(word) or EMAIL.fullmatch(word):
            f["url"] = 1.0
        if token is group[0]:
            f["first_in_phrase"] = 1.0
        if token is group[-1]:
            f["last_in_phrase"] = 1.0
        if index == 0 or items[index - 1].line != token.line:
            f["first_in_line"] = 1.0
        if lines[token.line].bold:
            f["bold"] = 1.0
        position = keys.index(key)
        around = {
            "": key,
            "prev.": keys[position - 1] if position > 0 else None,
            "next.": keys[position + 1] if position + 1 < len(keys) else None,
        }
        for name, other in around.items():
            if other is None:
                f[f"{name}phrase=none"] = 1.0
                continue
            for flag in flags[other]:
                f[f"{name}phrase.{flag}"] = 1.0
        for offset in (-2, -1, 1, 2):
            other_index = index + offset
            if 0 <= other_index < len(items):
                neighbour = items[other_index]
                f[f"w[{offset}]={neighbour.text.casefold()}"] = 1.0
                if neighbour.line != token.line:
                    f[f"w[{offset}].other_line"] = 1.0
            else:
                f[f"w[{offset}]=none"] = 1.0
        out.append(f)
    return out


def without_position(features: list[Features]) -> list[Features]:
    return [
        {name: value for name, value in item.items() if not name.startswith(POSITION)}
        for item in features
    ]


def group(
    items: Sequence[Token],
    tags: Sequence[str],
    probabilities: Sequence[float],
    raw: str,
    wrapped: Collection[int] = (),
) -> dict[str, list[tuple[Piece, float]]]:
    """Runs of one tag within a line as fields: tag → [(piece, mean marginal)] in reading
    order. A run that ends its line carries on into the next when that line is ``wrapped``
    (it continues the one before, as the line labeller reads it) and opens with the same
    tag: "Universidad Politécnica de" / "Ávila" is one institution."""
    out: dict[str, list[tuple[Piece, float]]] = {}
    run: list[int] = []

    def close() -> None:
        if not run:
            return
        spans: list[tuple[int, int]] = []
        for index in run:
            token = items[index]
            if spans and items[index - 1].line == token.line:
                spans[-1] = (spans[-1][0], token.end)
            else:
                spans.append((token.start, token.end))
        confidence = sum(probabilities[i] for i in run) / len(run)
        text = " ".join(re.sub(r"\s+", " ", raw[a:b]) for a, b in spans)
        out.setdefault(tags[run[0]], []).append((Piece(text, spans), confidence))
        run.clear()

    for index, tag in enumerate(tags):
        if run and tag != tags[run[-1]]:
            close()
        elif run and items[index].line != items[run[-1]].line:
            # The run's last word ended the line before, and this one opens the next.
            carried = run[-1] == index - 1 and items[index].line in wrapped
            if not carried:
                close()
        if tag != Tag.O:
            run.append(index)
    close()
    return out


class FieldTagger:
    def __init__(self, path: Path) -> None:
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))

    @staticmethod
    @cache
    def default() -> FieldTagger | None:
        return FieldTagger(MODEL / FIELDS) if (MODEL / FIELDS).is_file() else None

    def tag(self, features: list[Features]) -> list[tuple[str, float]]:
        if not features:
            return []
        tags = self._tagger.tag(pycrfsuite.ItemSequence(features))
        return [(tag, self._tagger.marginal(tag, i)) for i, tag in enumerate(tags)]

    def fields(
        self, kind: str, lines: Sequence[Line], raw: str, wrapped: Collection[int] = ()
    ) -> dict[str, list[tuple[Piece, float]]]:
        """The header fields of ``lines``; ``wrapped``: the indices of the lines that
        continue the line before them."""
        items = tokens(lines)
        tagged = self.tag(token_features(kind, lines, items))
        return group(items, [t for t, _ in tagged], [p for _, p in tagged], raw, wrapped)

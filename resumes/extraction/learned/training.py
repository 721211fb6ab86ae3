"""Training and evaluating the line labeller on the synthetic corpus.

    examples = load(Path(".data/synth"))      # read, featurise and align every document
    train(examples, Path("model.crfsuite"))
    report = leave_family_out(examples)       # train without family k, test on k

The shared corpora are test data only: nothing here reads them.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycrfsuite

from resumes.extraction.labels import Role, Tag
from resumes.extraction.learned.align import align_owners, split_label
from resumes.extraction.learned.features import Features, line_features
from resumes.extraction.learned.fields import (
    FIELDS,
    KINDS,
    FieldTagger,
    token_features,
    tokens,
    without_position,
)
from resumes.extraction.learned.labeller import HEADINGS, ROLES, Labeller, states
from resumes.extraction.rules.engine import BASICS, Engine, contact_lines
from resumes.reading import UnreadableDocument, read_document
from resumes.reading.model import Line, ResumeText

SUFFIXES = ("pdf", "docx", "txt", "md")
PARAMS = {"c1": 0.05, "c2": 0.1, "max_iterations": 150, "feature.possible_transitions": True}


@dataclass(frozen=True)
class Example:
    path: Path
    doc_id: str
    family: str
    producer: str
    language: str
    features: list[Features]
    labels: list[str]
    # Every entry's header lines as the field tagger sees them: token features, gold tags.
    headers: list[tuple[list[Features], list[str]]]


def documents(folder: Path) -> list[Path]:
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix[1:] in SUFFIXES and path.with_name(f"{path.stem}.labels.json").is_file()
    )


def load(folder: Path) -> list[Example]:
    examples = []
    for path in documents(folder):
        meta = json.loads(path.with_name(f"{path.stem}.labels.json").read_text())
        try:
            document = read_document(path.read_bytes(), path.suffix)
        except UnreadableDocument:
            continue
        labels, owners = align_owners(document, meta["lines"])
        examples.append(
            Example(
                path=path,
                doc_id=path.stem,
                family=meta["family"],
                producer=meta["producer"],
                language=meta["language"],
                features=line_features(document),
                labels=labels,
                headers=headers(document, labels, owners, meta["lines"]),
            )
        )
    return examples


def _lower(text: str) -> str:
    """Lower case, one character for one, so that positions still index the printed tags
    ("İ" lowers to two)."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def headers(
    document: ResumeText,
    labels: Sequence[str],
    owners: Sequence[int | None],
    printed: list[dict[str, Any]],
) -> list[tuple[list[Features], list[str]]]:
    """The entries the engine forms from the gold labels, each header's tokens tagged with
    the tag of the printed characters they were read from: first in the printed line the
    reader line came from, then in the entry's other printed lines. Then the document's
    contact lines, as one more header (``BASICS``)."""
    owner_of = dict(zip((line.start for line in document.lines), owners, strict=True))
    texts = [_lower("".join(text for text, _ in line["spans"])) for line in printed]
    tags = [[tag for text, tag in line["spans"] for _ in text] for line in printed]

    def tagged(kind: str, lines: Sequence[Line]) -> tuple[list[Features], list[str]] | None:
        items = tokens(lines)
        if not items:
            return None
        owned = [owner_of[line.start] for line in lines]
        family = {
            n
            for o in owned
            if o is not None and printed[o]["entry"] is not None
            for n, line in enumerate(printed)
            if (line["section"], line["entry"]) == (printed[o]["section"], printed[o]["entry"])
        }
        cursor: dict[int, int] = {}
        gold = []
        for token in items:
            owner = owned[token.line]
            order = ([owner] if owner is not None else []) + sorted(family - {owner})
            tag = Tag.O.value
            for number in order:
                found = texts[number].find(_lower(token.text), cursor.get(number, 0))
                if found < 0:
                    continue
                cursor[number] = found + len(token.text)
                tag = tags[number][found]
                break
            gold.append(tag)
        return token_features(kind, lines, items), gold

    pairs = [split_label(label) for label in labels]
    engine = Engine(document, pairs)
    out = [
        header
        for section in engine.sections()
        if section.kind in KINDS
        for entry in engine.entries(section)
        if (header := tagged(section.kind, entry.header))
    ]
    if basics := tagged(BASICS, contact_lines(document, pairs)):
        out.append(basics)
    return out


# Feature groups a template may not show the way the corpus's do: each training document is
# also learned without them, so that the model does not lean on one kind of cue alone (a
# heading in body size and regular weight must still read as a heading from its words).
STYLE = (
    "size=",
    "bold",
    "style_share=",
    "prev.size=",
    "next.size=",
    "prev2.size=",
    "next2.size=",
    "prev.bold",
    "next.bold",
    "prev2.bold",
    "next2.bold",
    "same_style",
    "upper",
    "capitalised=",
)


# What the lines around a heading look like. Each heading is also learned without them, so
# that its own words name its section when they can: "Certificates" over dated lines is not
# the education its neighbours suggest.
NEIGHBOURS = ("prev.", "next.", "prev2.", "next2.", "prev=", "next=", "prev2=", "next2=")


def without(features: list[Features], prefixes: Sequence[str]) -> list[Features]:
    return [
        {name: value for name, value in item.items() if not any(p in name for p in prefixes)}
        for item in features
    ]


def train(
    examples: Iterable[Example], folder: Path, params: dict[str, object] | None = None
) -> None:
    """Write the role chain, the heading classifier (a one-item chain: a maximum-entropy
    classifier) and the field tagger into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    examples = list(examples)
    settings = {**PARAMS, **(params or {})}
    roles = pycrfsuite.Trainer(verbose=False)
    headings = pycrfsuite.Trainer(verbose=False)
    for example in examples:
        if not example.features:
            continue
        pairs = [label.split(":") for label in example.labels]
        for features in (example.features, without(example.features, STYLE)):
            roles.append(pycrfsuite.ItemSequence(features), states([role for _, role in pairs]))
            for item, (section, role) in zip(features, pairs, strict=True):
                if role == Role.HEADING:
                    alone = {k: v for k, v in item.items() if not k.startswith(NEIGHBOURS)}
                    for copy in (item, alone):
                        headings.append(pycrfsuite.ItemSequence([copy]), [section])
    fields = pycrfsuite.Trainer(verbose=False)
    for example in examples:
        for features, tags in example.headers:
            for sequence in (features, without_position(features)):
                fields.append(pycrfsuite.ItemSequence(sequence), tags)
    for trainer, name in ((roles, ROLES), (headings, HEADINGS), (fields, FIELDS)):
        trainer.set_params(settings)
        trainer.train(str(folder / name))


@dataclass
class LineScore:
    lines: int = 0
    label: int = 0  # section and role right
    section: int = 0
    role: int = 0

    def add(self, gold: Sequence[str], predicted: Sequence[str]) -> None:
        for g, p in zip(gold, predicted, strict=True):
            self.lines += 1
            self.label += g == p
            self.section += g.split(":")[0] == p.split(":")[0]
            self.role += g.split(":")[1] == p.split(":")[1]

    def rates(self) -> dict[str, float]:
        n = max(self.lines, 1)
        return {"label": self.label / n, "section": self.section / n, "role": self.role / n}


def evaluate(
    labeller: Labeller, examples: Iterable[Example]
) -> tuple[LineScore, list[tuple[float, bool]]]:
    """Line accuracy, and (probability, right) of every line for calibration."""
    score = LineScore()
    confidence: list[tuple[float, bool]] = []
    for example in examples:
        predicted = labeller.tag(example.features)
        score.add(example.labels, [label for label, _ in predicted])
        confidence.extend(
            (p, label == gold) for (label, p), gold in zip(predicted, example.labels, strict=True)
        )
    return score, confidence


def tag_accuracy(
    tagger: FieldTagger, examples: Iterable[Example]
) -> tuple[float, list[tuple[float, bool]]]:
    """The share of header tokens the field tagger tags right, and (probability, right) of
    every token for calibration."""
    pairs: list[tuple[float, bool]] = []
    for example in examples:
        for features, gold in example.headers:
            predicted = tagger.tag(features)
            pairs.extend((p, tag == g) for (tag, p), g in zip(predicted, gold, strict=True))
    return sum(right for _, right in pairs) / max(len(pairs), 1), pairs


def leave_family_out(
    examples: Sequence[Example], params: dict[str, object] | None = None
) -> dict[str, tuple[LineScore, list[tuple[float, bool]]]]:
    """For each family: trained on every other family, scored on it."""
    by_family: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_family[example.family].append(example)
    out = {}
    with tempfile.TemporaryDirectory() as folder:
        for family, held_out in sorted(by_family.items()):
            path = Path(folder) / family
            train((e for e in examples if e.family != family), path, params)
            out[family] = evaluate(Labeller(path), held_out)
    return out


def calibration(
    pairs: Sequence[tuple[float, bool]], bins: int = 10
) -> tuple[float, list[tuple[float, float, float, int]]]:
    """Expected calibration error and the reliability table: (low, mean confidence, accuracy,
    count) per probability bin."""
    grouped: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for p, right in pairs:
        grouped[min(int(p * bins), bins - 1)].append((p, right))
    table = []
    error = 0.0
    for b in sorted(grouped):
        items = grouped[b]
        mean = sum(p for p, _ in items) / len(items)
        accuracy = sum(r for _, r in items) / len(items)
        table.append((b / bins, mean, accuracy, len(items)))
        error += len(items) / max(len(pairs), 1) * abs(mean - accuracy)
    return error, table


def confusion(
    examples: Iterable[Example], labeller: Labeller, top: int = 15
) -> list[tuple[tuple[str, str], int]]:
    counts: Counter[tuple[str, str]] = Counter()
    for example in examples:
        for (label, _), gold in zip(labeller.tag(example.features), example.labels, strict=True):
            if label != gold:
                counts[(gold, label)] += 1
    return counts.most_common(top)

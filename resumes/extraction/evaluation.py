"""Scoring an extraction against ground truth, following the corpus conventions
(``../shared/corpus/README.md``, "Scoring").

Every annotated field is a unit: a correct prediction is a true positive; a wrong one is a
false positive and a false negative; a missing one a false negative; a prediction where the
ground truth has nothing a false positive. List items are aligned one-to-one first; skills are
compared as one flattened set of atomic terms.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from careeros.text import normalise as text_normalise

SECTIONS = ("basics", "work", "volunteer", "education", "skills", "projects", "certificates")
LONG_TEXT_THRESHOLD = 0.90
_BULLETS = re.compile(r"[•◦▪▫■□●○‣⁃∙·➢➤►▶✓✔❖]")
_MARKUP = re.compile(r"<[^>]+>|\*\*|__|`|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def normalise(value: object) -> str:
    """NFKC, soft hyphens removed, dashes/quotes unified, markup and bullets stripped,
    casefolded, whitespace collapsed, trailing ``.,;:`` stripped."""
    text = _LINK.sub(r"\1", text_normalise(value))
    text = _MARKUP.sub("", text)
    text = _BULLETS.sub(" ", text)
    return " ".join(text.split()).rstrip(".,;: ").strip()


def similar(a: object, b: object) -> float:
    return float(fuzz.token_set_ratio(normalise(a), normalise(b))) / 100.0


def same_url(a: object, b: object) -> bool:
    def clean(u: object) -> str:
        text = normalise(u).replace(" ", "")
        text = re.sub(r"^[a-z]+:/+", "", text)
        return re.sub(r"^www\.", "", text).rstrip("/")

    return clean(a) == clean(b)


def same_phone(a: object, b: object) -> bool:
    x, y = re.sub(r"\D", "", str(a)), re.sub(r"\D", "", str(b))
    if x == y:
        return bool(x)
    short, long = sorted((x, y), key=len)
    return len(short) >= 7 and long.endswith(short)


def same_text(a: object, b: object) -> bool:
    return normalise(a) == normalise(b)


def same_long_text(a: object, b: object) -> bool:
    return similar(a, b) >= LONG_TEXT_THRESHOLD


def same_date(predicted: object, gold: object) -> bool:
    p, g = str(predicted), str(gold)
    return p == g or (len(g) == 4 and p[:4] == g)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def field(self, gold: object, predicted: object, equal: Callable[[Any, Any], bool]) -> None:
        has_gold, has_predicted = _present(gold), _present(predicted)
        if has_gold and has_predicted:
            if equal(predicted, gold):
                self.tp += 1
            else:
                self.fp += 1
                self.fn += 1
        elif has_gold:
            self.fn += 1
        elif has_predicted:
            self.fp += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def counted(self) -> bool:
        return bool(self.tp + self.fp + self.fn)


def _present(value: object) -> bool:
    return value not in (None, "", [], {})


def _match_lists(
    gold: Sequence[Any],
    predicted: Sequence[Any],
    score: Callable[[Any, Any], float],
    threshold: float,
) -> tuple[list[tuple[Any, Any]], list[Any], list[Any]]:
    """Greedy one-to-one alignment by descending similarity."""
    pairs = sorted(
        ((score(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(predicted)),
        key=lambda t: -t[0],
    )
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    matched: list[tuple[Any, Any]] = []
    for value, gi, pi in pairs:
        if value < threshold or gi in used_gold or pi in used_predicted:
            continue
        used_gold.add(gi)
        used_predicted.add(pi)
        matched.append((gold[gi], predicted[pi]))
    return (
        matched,
        [g for i, g in enumerate(gold) if i not in used_gold],
        [p for i, p in enumerate(predicted) if i not in used_predicted],
    )


def _text_list(score: Score, gold: Iterable[str], predicted: Iterable[str], long: bool) -> None:
    equal = same_long_text if long else same_text
    matched, missing, extra = _match_lists(
        list(gold), list(predicted), lambda g, p: 1.0 if equal(p, g) else 0.0, 0.5
    )
    score.tp += len(matched)
    score.fn += len(missing)
    score.fp += len(extra)


def _dates(score: Score, gold: dict[str, Any], predicted: dict[str, Any]) -> None:
    g_start, g_end = gold.get("startDate"), gold.get("endDate")
    p_start, p_end = predicted.get("startDate"), predicted.get("endDate")
    if g_start and g_end and g_start == g_end:
        either = [v for v in (p_start, p_end) if v]
        for _ in range(2):
            if any(same_date(v, g_start) for v in either):
                score.tp += 1
            elif either:
                score.fp += 1
                score.fn += 1
            else:
                score.fn += 1
    else:
        score.field(g_start, p_start, same_date)
        score.field(g_end, p_end, same_date)
    gold_current = bool(g_start) and not g_end
    predicted_current = bool(p_start) and not p_end
    score.field(gold_current or None, predicted_current or None, lambda a, b: True)


def _degree(item: dict[str, Any]) -> str:
    return " ".join(str(item.get(k, "")) for k in ("studyType", "area")).strip()


# Per section: key used to align items, and the scored fields.
_FIELDS: dict[str, dict[str, Callable[[Any, Any], bool]]] = {
    "work": {
        "name": same_text,
        "position": same_text,
        "location": same_text,
        "summary": same_long_text,
    },
    "volunteer": {"organization": same_text, "position": same_text, "summary": same_long_text},
    "education": {"institution": same_text, "score": same_text},
    "projects": {"name": same_text, "description": same_long_text, "url": same_url},
    "certificates": {"name": same_text, "issuer": same_text, "date": same_date, "url": same_url},
}
_KEYS = {
    "work": ("name", "position"),
    "volunteer": ("organization", "position"),
    "education": ("institution",),
    "projects": ("name",),
    "certificates": ("name",),
}


def _similarity(section: str) -> Callable[[dict[str, Any], dict[str, Any]], float]:
    def score(gold: dict[str, Any], predicted: dict[str, Any]) -> float:
        values = [
            similar(gold.get(k, ""), predicted.get(k, ""))
            for k in _KEYS[section]
            if gold.get(k) or predicted.get(k)
        ]
        if section == "education" and (_degree(gold) or _degree(predicted)):
            values.append(similar(_degree(gold), _degree(predicted)))
        if gold.get("startDate") and predicted.get("startDate"):
            values.append(1.0 if same_date(predicted["startDate"], gold["startDate"]) else 0.5)
        return sum(values) / len(values) if values else 0.0

    return score


def _item(section: str, score: Score, gold: dict[str, Any], predicted: dict[str, Any]) -> None:
    for key, equal in _FIELDS[section].items():
        score.field(gold.get(key), predicted.get(key), equal)
    if section == "education":
        score.field(
            _degree(gold) or None, _degree(predicted) or None, lambda p, g: same_long_text(p, g)
        )
    if section != "certificates":
        _dates(score, gold, predicted)
    for key in ("highlights",):
        if section in ("work", "volunteer", "projects"):
            _text_list(score, gold.get(key, []), predicted.get(key, []), long=True)
    if section == "projects":
        _text_list(score, gold.get("roles", []), predicted.get("roles", []), long=False)
        _text_list(score, gold.get("keywords", []), predicted.get("keywords", []), long=False)


def _count_fields(section: str, item: dict[str, Any]) -> int:
    empty: dict[str, Any] = {}
    score = Score()
    _item(section, score, empty, item)
    return score.fp


def score_list(section: str, gold: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> Score:
    score = Score()
    matched, missing, extra = _match_lists(gold, predicted, _similarity(section), 0.5)
    for g, p in matched:
        _item(section, score, g, p)
    for g in missing:
        score.fn += _count_fields(section, g)
    for p in extra:
        score.fp += _count_fields(section, p)
    return score


def skill_terms(skills: list[dict[str, Any]]) -> list[str]:
    """All keywords, plus the names of entries without keywords."""
    terms: list[str] = []
    for skill in skills:
        keywords = skill.get("keywords") or []
        terms.extend(keywords if keywords else [skill.get("name", "")])
    return [t for t in terms if normalise(t)]


def _subsequence(a: str, b: str) -> bool:
    """Whether the words of ``a`` occur in order (whole words) within ``b``."""
    words_a, words_b = a.split(), b.split()
    position = 0
    for word in words_b:
        if position < len(words_a) and word == words_a[position]:
            position += 1
    return position == len(words_a) and bool(words_a)


def same_skill(a: str, b: str) -> bool:
    x, y = normalise(a), normalise(b)
    return x == y or _subsequence(x, y) or _subsequence(y, x)


def score_skills(gold: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> Score:
    matched, missing, extra = _match_lists(
        skill_terms(gold),
        skill_terms(predicted),
        lambda g, p: (2.0 if normalise(g) == normalise(p) else 1.0) if same_skill(g, p) else 0.0,
        0.5,
    )
    return Score(tp=len(matched), fp=len(extra), fn=len(missing))


def score_basics(gold: dict[str, Any], predicted: dict[str, Any]) -> Score:
    score = Score()
    score.field(gold.get("name"), predicted.get("name"), same_text)
    score.field(gold.get("email"), predicted.get("email"), same_text)
    score.field(gold.get("phone"), predicted.get("phone"), same_phone)
    score.field(gold.get("url"), predicted.get("url"), same_url)
    g_location, p_location = gold.get("location") or {}, predicted.get("location") or {}
    for key in ("city", "region", "countryCode"):
        score.field(g_location.get(key), p_location.get(key), same_text)

    def profile_similarity(g: dict[str, Any], p: dict[str, Any]) -> float:
        return 1.0 if same_text(g.get("network", ""), p.get("network", "")) else 0.0

    matched, missing, extra = _match_lists(
        gold.get("profiles") or [], predicted.get("profiles") or [], profile_similarity, 0.5
    )
    for g, p in matched:
        score.field(g.get("network"), p.get("network"), same_text)
        score.field(g.get("username"), p.get("username"), same_text)
        score.field(g.get("url"), p.get("url"), same_url)
    for g in missing:
        score.fn += sum(1 for k in ("network", "username", "url") if g.get(k))
    for p in extra:
        score.fp += sum(1 for k in ("network", "username", "url") if p.get(k))
    return score


def score_document(gold: dict[str, Any], predicted: dict[str, Any]) -> dict[str, Score]:
    """Scores per section for one document (JSON Resume dicts; ``_`` keys ignored)."""
    scores = {"basics": score_basics(gold.get("basics") or {}, predicted.get("basics") or {})}
    scores["skills"] = score_skills(gold.get("skills") or [], predicted.get("skills") or [])
    for section in ("work", "volunteer", "education", "projects", "certificates"):
        scores[section] = score_list(section, gold.get(section) or [], predicted.get(section) or [])
    return scores


def total(scores: Iterable[Score]) -> Score:
    result = Score()
    for score in scores:
        result.add(score)
    return result

"""The one answer to "is this the same entity?", and to "does this field say the same?".

Pure functions over plain field dicts (the profile columns), so every source uses them:
merge review, the version page's diffs, and later interviews and imports. Scores are 0..1;
``MATCH_THRESHOLD`` decides whether two entities are the same thing at all, ``fields_equal``
whether a field differs in substance or only in form. Each entity type's scorer is named in
its spec (``profiles.entities``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from careeros.text import fold

# At or above this score an extracted entity is taken to be the profile entity.
MATCH_THRESHOLD = 0.72

_LEGAL_SUFFIXES = re.compile(
    r"\b(inc|incorporated|llc|l\.l\.c|ltd|limited|gmbh|ag|sa|sas|sarl|bv|nv|plc|corp|"
    r"corporation|co|company|group|holdings?|pvt|private|pty|oy|ab|srl|spa|kg|se)\b\.?",
)
_TITLE_WORDS = {
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "jnr": "junior",
    "eng": "engineer",
    "engr": "engineer",
    "dev": "developer",
    "mgr": "manager",
    "mngr": "manager",
    "assoc": "associate",
    "asst": "assistant",
    "dir": "director",
    "vp": "vice president",
    "svp": "senior vice president",
    "swe": "software engineer",
    "sde": "software development engineer",
    "pm": "product manager",
    "cto": "chief technology officer",
    "ceo": "chief executive officer",
    "ii": "2",
    "iii": "3",
}
_DEGREE_WORDS = {
    "bs": "bachelor of science",
    "bsc": "bachelor of science",
    "ba": "bachelor of arts",
    "ms": "master of science",
    "msc": "master of science",
    "ma": "master of arts",
    "mba": "master of business administration",
    "phd": "doctor of philosophy",
    "beng": "bachelor of engineering",
    "meng": "master of engineering",
    "btech": "bachelor of technology",
    "mtech": "master of technology",
    "bachelors": "bachelor",
    "masters": "master",
}
_SKILL_SYNONYMS = {
    "js": "javascript",
    "ts": "typescript",
    "postgres": "postgresql",
    "psql": "postgresql",
    "k8s": "kubernetes",
    "golang": "go",
    "py": "python",
    "node": "nodejs",
    "node.js": "nodejs",
    "react.js": "react",
    "reactjs": "react",
    "vue.js": "vue",
    "vuejs": "vue",
    "c sharp": "c#",
    "csharp": "c#",
    "amazon web services": "aws",
    "google cloud platform": "gcp",
    "google cloud": "gcp",
    "ml": "machine learning",
    "ai": "artificial intelligence",
    "nlp": "natural language processing",
}


def _words(text: str, table: dict[str, str]) -> str:
    return " ".join(table.get(word.strip("."), word) for word in text.split())


def company_key(name: Any) -> str:
    value = fold(name).replace("&", " and ")
    value = _LEGAL_SUFFIXES.sub(" ", value)
    value = re.sub(r"^the\s+", "", value)
    return " ".join(value.replace(".", " ").split())


def title_key(title: Any) -> str:
    return _words(fold(title).replace(".", " "), _TITLE_WORDS)


def degree_key(degree: Any) -> str:
    value = fold(degree).replace("'s", "s").replace("’s", "s")
    value = re.sub(r"\b([bm])\.\s?(s|a|sc|eng|tech)\b\.?", r"\1\2", value)
    return _words(value.replace(".", ""), _DEGREE_WORDS)


def skill_key(name: Any) -> str:
    value = fold(name)
    return _SKILL_SYNONYMS.get(value, value)


def url_key(url: Any) -> str:
    value = fold(url)
    value = re.sub(r"^(https?\s*:?\s*)?(www\.)?", "", value)
    return value.rstrip("/ ")


def similarity(a: str, b: str) -> float:
    """Token-set similarity of two normalised strings, 0..1 (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return float(fuzz.token_set_ratio(a, b)) / 100.0


def strict_similarity(a: str, b: str) -> float:
    """Like ``similarity`` but a subset does not count as equal ("Google" vs "Google Cloud")."""
    if not a or not b:
        return 0.0
    return float(fuzz.token_sort_ratio(a, b)) / 100.0


# -- Dates -----------------------------------------------------------------------------------


def _months(value: Any, *, end: bool) -> int | None:
    match = re.match(r"^(\d{4})(?:-(\d{2}))?", str(value or ""))
    if match is None:
        return None
    year, month = int(match.group(1)), match.group(2)
    return year * 12 + (int(month) - 1 if month else (11 if end else 0))


def dates_overlap(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    """1.0 when the two date ranges overlap, 0.0 when they are disjoint, None if unknown.

    An empty end date means "until now".
    """
    start_a, start_b = (
        _months(a.get("start_date"), end=False),
        _months(b.get("start_date"), end=False),
    )
    if start_a is None or start_b is None:
        return None
    far = 10_000 * 12
    end_a = _months(a.get("end_date"), end=True) or far
    end_b = _months(b.get("end_date"), end=True) or far
    return 1.0 if start_a <= end_b and start_b <= end_a else 0.0


# -- Entity scores ----------------------------------------------------------------------------


def work_score(upload: dict[str, Any], profile: dict[str, Any]) -> float:
    company = max(
        strict_similarity(company_key(upload.get("company")), company_key(profile.get("company"))),
        similarity(company_key(upload.get("company")), company_key(profile.get("company"))) - 0.1,
    )
    title = similarity(title_key(upload.get("title")), title_key(profile.get("title")))
    overlap = dates_overlap(upload, profile)
    if company < 0.8:
        return min(company, title) * 0.6
    if overlap == 0.0:
        # The same employer at another time: a different job, unless the title is the same.
        return 0.5 * company + 0.3 * title
    score = 0.5 * company + 0.3 * title + 0.2 * (1.0 if overlap else 0.5)
    if title < 0.5 and overlap is None:
        score -= 0.15
    return score


def education_score(upload: dict[str, Any], profile: dict[str, Any]) -> float:
    institution = similarity(fold(upload.get("institution")), fold(profile.get("institution")))
    if institution < 0.8:
        return institution * 0.6
    up_degree, pro_degree = degree_key(upload.get("degree")), degree_key(profile.get("degree"))
    up_level, pro_level = _degree_level(up_degree), _degree_level(pro_degree)
    if up_level and pro_level and up_level != pro_level:
        # A bachelor's and a doctorate at one school are two degrees.
        return 0.5
    if up_degree and pro_degree:
        degree = similarity(
            f"{up_degree} {fold(upload.get('field_of_study'))}",
            f"{pro_degree} {fold(profile.get('field_of_study'))}",
        )
    else:
        degree = 0.7
    overlap = dates_overlap(upload, profile)
    score = 0.55 * institution + 0.35 * degree + 0.1 * (0.5 if overlap is None else overlap)
    return score


_DEGREE_LEVELS = ("associate", "bachelor", "master", "doctor", "diploma", "high school")


def _degree_level(degree: str) -> str | None:
    return next((level for level in _DEGREE_LEVELS if level in degree), None)


def skill_score(upload: dict[str, Any], profile: dict[str, Any]) -> float:
    a, b = skill_key(upload.get("name")), skill_key(profile.get("name"))
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return strict_similarity(a, b) * 0.9


def project_score(upload: dict[str, Any], profile: dict[str, Any]) -> float:
    if (
        upload.get("url")
        and profile.get("url")
        and url_key(upload["url"]) == url_key(profile["url"])
    ):
        return 1.0
    return strict_similarity(fold(upload.get("title")), fold(profile.get("title")))


def basics_score(upload: dict[str, Any], profile: dict[str, Any]) -> float:
    """A person has one set of basics: every upload's basics are theirs."""
    return 1.0


def certification_score(upload: dict[str, Any], profile: dict[str, Any]) -> float:
    credential_a, credential_b = (
        fold(upload.get("credential_id")),
        fold(profile.get("credential_id")),
    )
    if credential_a and credential_a == credential_b:
        return 1.0
    name_a, name_b = fold(upload.get("name")), fold(profile.get("name"))
    if min(len(name_a), len(name_b)) <= 6:
        # Short names are codes: CKA and CKAD are different certificates.
        name = 1.0 if name_a == name_b else 0.0
    else:
        name = max(strict_similarity(name_a, name_b), similarity(name_a, name_b) - 0.1)
    issuer_a = company_key(upload.get("issuing_organization"))
    issuer_b = company_key(profile.get("issuing_organization"))
    if issuer_a and issuer_b:
        same_issuer = max(similarity(issuer_a, issuer_b), _acronym_equal(issuer_a, issuer_b))
        return 0.75 * name + 0.25 * same_issuer
    return name * 0.95


def _acronym_equal(a: str, b: str) -> float:
    """1.0 when one name is the other's initials ("AWS", "Amazon Web Services")."""

    def initials(text: str) -> str:
        return "".join(word[0] for word in text.split())

    return (
        1.0 if a.replace(" ", "") in (initials(b),) or b.replace(" ", "") in (initials(a),) else 0.0
    )


Scorer = Callable[[dict[str, Any], dict[str, Any]], float]


@dataclass(frozen=True)
class Candidate:
    """A profile entity: its logical id, current version and fields."""

    logical_entity_id: Any
    version: int
    fields: dict[str, Any]
    # Fields whose current value the person typed in by hand.
    manual_fields: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    score: float


# Profiles larger than this are blocked first: an upload is scored only against the
# candidates whose key text shares enough with its own (rapidfuzz in C over all of them).
BLOCK_FROM = 50
# Token-set similarity (0-100) of key texts below which two entities cannot reach the
# scorers' MATCH_THRESHOLD: every scorer needs its key field (employer, school, name) at
# 0.8 or more, and a credential id or URL in common shares tokens too.
BLOCK_MIN = 50


def _shortlists(
    block: Callable[[dict[str, Any]], str] | None,
    uploads: list[dict[str, Any]],
    candidates: list[Candidate],
) -> list[list[int]]:
    """For each upload, the positions of the candidates worth scoring."""
    everyone = list(range(len(candidates)))
    if block is None or len(candidates) <= BLOCK_FROM or not uploads:
        return [everyone for _ in uploads]
    keys = [block(candidate.fields) for candidate in candidates]
    return [
        [
            position
            for _, _, position in process.extract(
                block(upload), keys, scorer=fuzz.token_set_ratio, score_cutoff=BLOCK_MIN, limit=None
            )
        ]
        for upload in uploads
    ]


def best_matches(
    scorer: Scorer,
    uploads: list[dict[str, Any]],
    candidates: list[Candidate],
    block: Callable[[dict[str, Any]], str] | None = None,
) -> list[Match | None]:
    """Each upload's counterpart among ``candidates``, one-to-one, best pairs first.

    With ``block`` (a spec's key text), a large profile is narrowed first to the
    candidates that share key words with each upload.
    """
    shortlists = _shortlists(block, uploads, candidates)
    pairs = sorted(
        (
            (scorer(upload, candidates[position].fields), index, position)
            for index, upload in enumerate(uploads)
            for position in shortlists[index]
        ),
        reverse=True,
    )
    matches: list[Match | None] = [None] * len(uploads)
    taken: set[int] = set()
    for score, index, position in pairs:
        if score < MATCH_THRESHOLD:
            break
        if matches[index] is None and position not in taken:
            matches[index] = Match(candidates[position], round(score, 2))
            taken.add(position)
    return matches


# -- Field comparison ---------------------------------------------------------------------


def fields_equal(field: str, upload: Any, profile: Any) -> bool:
    """Whether two values say the same thing (case, punctuation, bullets and order of list
    items aside; a year equals the same year with a month)."""
    if isinstance(upload, list) or isinstance(profile, list):
        return sorted(fold(item) for item in upload or []) == sorted(
            fold(item) for item in profile or []
        )
    if field.endswith("_date"):
        # "2020" says nothing a profile's "2020-03" does not; "2020-03" adds to "2020".
        a, b = str(upload or ""), str(profile or "")
        return a == b or (bool(a) and b.startswith(a))
    if field == "description":
        return _lines(upload) == _lines(profile)
    return fold(upload) == fold(profile)


def _lines(text: Any) -> list[str]:
    return [line for line in (fold(line) for line in str(text or "").splitlines()) if line]


def empty(value: Any) -> bool:
    return value is None or value == "" or value == []


# -- Identities ---------------------------------------------------------------------------
# A normalised key per entity: two entities with the same identity are the same entity
# written twice (in one upload, or added by hand beside the one that exists). Stricter than
# the scores above, which also pair entities that changed.


def _year(value: Any) -> str:
    return str(value or "")[:4]


def work_identity(fields: dict[str, Any]) -> str:
    return "|".join(
        (
            company_key(fields.get("company")),
            title_key(fields.get("title")),
            _year(fields.get("start_date")),
        )
    )


def education_identity(fields: dict[str, Any]) -> str:
    return "|".join((fold(fields.get("institution")), degree_key(fields.get("degree"))))


def skill_identity(fields: dict[str, Any]) -> str:
    return skill_key(fields.get("name"))


def project_identity(fields: dict[str, Any]) -> str:
    return fold(fields.get("title"))


def certification_identity(fields: dict[str, Any]) -> str:
    return fold(fields.get("name"))


def basics_identity(fields: dict[str, Any]) -> str:
    return "basics"  # one per person (also its block key: always scored against it)


Identity = Callable[[dict[str, Any]], str]


# -- Block keys: the text a candidate must share words with to be scored at all ------------


def work_block(fields: dict[str, Any]) -> str:
    return company_key(fields.get("company"))


def education_block(fields: dict[str, Any]) -> str:
    return fold(fields.get("institution"))


def skill_block(fields: dict[str, Any]) -> str:
    return skill_key(fields.get("name"))


def project_block(fields: dict[str, Any]) -> str:
    return f"{fold(fields.get('title'))} {url_key(fields.get('url'))}".strip()


def certification_block(fields: dict[str, Any]) -> str:
    return f"{fold(fields.get('name'))} {fold(fields.get('credential_id'))}".strip()

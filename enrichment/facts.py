"""Facts computed from a profile: what every enrichment, offline or AI, is allowed to say.

Pure functions over the profile's current entities (``Entry``), no database: the years of
each role and of the whole career from the dates, the employers in order, the seniority and
field each title names, promotions inside one employer, employer and field changes, gaps
between roles, the skills named most across entries, and every quantity (numbers,
percentages, money, durations) found in a bullet, with the bullet. Each fact keeps the
entities it was computed from, so whatever is said from it can cite them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from careeros.text import fold
from enrichment.schemas import EntityRef, QuantifiedAchievement, QuantityKind, SkillExtraction
from resumes.extraction.rules.vocabulary import skills_vocabulary

DATA = Path(__file__).resolve().parent / "data"

# A pause between two roles shorter than this many months is a notice period or a holiday,
# not a gap worth a narrative.
GAP_MIN_MONTHS = 4
# How many skills the summary names as the most used.
TOP_SKILLS = 5
# Vocabulary names this short count only when written with a capital ("Go", "SQL"): in
# lower case they are usually ordinary words.
SHORT_NAME = 3
# A title without a seniority word counts as this rank when deciding whether a change of
# title inside one employer was a promotion ("Engineer" → "Senior Engineer").
UNMARKED_RANK = 2

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# -- Word lists ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seniority:
    rank: int
    label: str


def _lines(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rows.append([part.strip() for part in line.split("|")])
    return rows


def _words_pattern(words: Iterable[str]) -> re.Pattern[str]:
    alternatives = sorted((re.escape(fold(w)) for w in words if w.strip()), key=len, reverse=True)
    return re.compile(rf"(?<![\w#+]){'|'.join(alternatives)}(?![\w#+])")


@cache
def _seniority_table() -> list[tuple[Seniority, re.Pattern[str]]]:
    return [
        (Seniority(int(rank), label), _words_pattern(words.split(",")))
        for rank, label, words in _lines("seniority.en.txt")
    ]


@cache
def _field_table() -> list[tuple[str, re.Pattern[str]]]:
    return [(label, _words_pattern(words.split(","))) for label, words in _lines("fields.en.txt")]


@cache
def _fillers() -> re.Pattern[str]:
    phrases = sorted((row[0] for row in _lines("filler.en.txt")), key=len, reverse=True)
    return re.compile(rf"^(?:{'|'.join(re.escape(p) for p in phrases)})\s+", re.IGNORECASE)


def seniority_of(title: str) -> Seniority | None:
    """The highest seniority a title names ("Senior Engineering Manager" → Manager)."""
    folded = fold(title)
    found = [level for level, pattern in _seniority_table() if pattern.search(folded)]
    return max(found, key=lambda level: level.rank) if found else None


def field_of(title: str) -> str | None:
    """The field of work a title names, if the word list knows it."""
    folded = fold(title)
    return next((label for label, pattern in _field_table() if pattern.search(folded)), None)


# -- Dates -----------------------------------------------------------------------------------

_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.month - 1]} {self.year}"

    @classmethod
    def of(cls, value: str | None, *, end: bool = False) -> Month | None:
        """``YYYY-MM`` or ``YYYY`` (a bare year starts in January and ends in December)."""
        match = _DATE.match(value or "")
        if not match:
            return None
        month = int(match.group(2)) if match.group(2) else (12 if end else 1)
        return cls(int(match.group(1)), month) if 1 <= month <= 12 else None


def years_text(months: int) -> str:
    """A duration as people say it: "7 years", "2.5 years", "8 months"."""
    if months < 12:
        return f"{months} month{'s' if months != 1 else ''}"
    years = round(months / 12, 1)
    shown = f"{years:g}"
    return f"{shown} year{'s' if shown != '1' else ''}"


# -- Entries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One current profile entity as enrichment reads it."""

    ref: EntityRef
    fields: dict[str, Any]

    @property
    def entity_type(self) -> str:
        return self.ref.entity_type

    def text(self) -> str:
        """The entry's prose: where skills and achievements are looked for."""
        parts = [self.fields.get("description") or ""]
        parts += self.fields.get("achievements") or []
        return "\n".join(part for part in parts if part)


@dataclass(frozen=True)
class Role:
    entry: Entry
    title: str
    company: str
    start: Month
    end: Month  # today's month while current
    current: bool
    seniority: Seniority | None
    field: str | None

    @property
    def months(self) -> int:
        return max(1, self.end.index - self.start.index + 1)

    @property
    def period(self) -> str:
        return f"{self.start.label} – {'present' if self.current else self.end.label}"

    @property
    def rank(self) -> int:
        return self.seniority.rank if self.seniority else UNMARKED_RANK


@dataclass(frozen=True)
class Event:
    """Something that happened in the career: a narrative's raw material."""

    kind: str  # employer_change, promotion, field_change, gap
    before: Role
    after: Role
    months: int = 0  # the gap's length


@dataclass(frozen=True)
class SkillUse:
    name: str
    entries: list[Entry]  # the work and project entries that name it
    skill: Entry | None  # the person's skill entity, when they have one
    years: int | None


@dataclass
class Facts:
    """Everything enrichment may say about a profile, each with its entities."""

    today: Month
    roles: list[Role]  # work experience with a readable start date, oldest first
    undated: list[Entry]  # work experience without one
    education: list[Entry]
    skills: list[SkillUse]  # most used first
    events: list[Event]
    achievements: list[QuantifiedAchievement]
    entries: list[Entry] = field(default_factory=list)

    @property
    def total_months(self) -> int:
        """Months covered by at least one role (overlapping roles count once)."""
        covered: set[int] = set()
        for role in self.roles:
            covered.update(range(role.start.index, role.end.index + 1))
        return len(covered)

    @property
    def employers(self) -> list[str]:
        """Employers in the order the person first worked for them."""
        seen: dict[str, str] = {}
        for role in self.roles:
            seen.setdefault(fold(role.company), role.company)
        for entry in self.undated:
            company = entry.fields.get("company") or ""
            seen.setdefault(fold(company), company)
        return [name for name in seen.values() if name]

    @property
    def seniority_path(self) -> list[Role]:
        """The roles at which the named seniority changed, oldest first."""
        path: list[Role] = []
        for role in self.roles:
            if role.seniority is None:
                continue
            if not path or path[-1].seniority != role.seniority:
                path.append(role)
        return path

    @property
    def seniority_span(self) -> int:
        """Months from the first to the last role of the seniority path."""
        path = self.seniority_path
        return path[-1].end.index - path[0].start.index + 1 if len(path) > 1 else 0

    @property
    def field_counts(self) -> dict[str, int]:
        """How many roles each field of work has, most first."""
        counts: dict[str, int] = {}
        for role in self.roles:
            if role.field:
                counts[role.field] = counts.get(role.field, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: -item[1]))

    def payload(self) -> dict[str, Any]:
        """The facts as data (JSON-ready): what an AI provider is sent, and what it may say."""
        return {
            "today": self.today.label,
            "total_experience": years_text(self.total_months) if self.roles else None,
            "employers": self.employers,
            "role_count": len(self.roles) + len(self.undated),
            "employer_count": len(self.employers),
            "fields": self.field_counts,
            "seniority_span": years_text(self.seniority_span) if self.seniority_span else None,
            "roles": [
                {
                    "id": str(role.entry.ref.version_id),
                    "title": role.title,
                    "company": role.company,
                    "period": role.period,
                    "duration": years_text(role.months),
                    "seniority": role.seniority.label if role.seniority else None,
                    "field": role.field,
                    "description": role.entry.fields.get("description"),
                }
                for role in self.roles
            ],
            "seniority_path": [
                role.seniority.label for role in self.seniority_path if role.seniority
            ],
            "events": [
                {
                    "kind": event.kind,
                    "before": str(event.before.entry.ref.version_id),
                    "after": str(event.after.entry.ref.version_id),
                    "gap": years_text(event.months) if event.kind == "gap" else None,
                }
                for event in self.events
            ],
            "skills": [
                {
                    "name": use.name,
                    "id": str(use.skill.ref.version_id) if use.skill else None,
                    "named_in_entries": len(use.entries),
                    "years_of_experience": use.years,
                }
                for use in self.skills
            ],
            "education": [
                {"id": str(entry.ref.version_id), "label": entry.ref.label, **_dated(entry)}
                for entry in self.education
            ],
            "other_entries": [
                {
                    "id": str(entry.ref.version_id),
                    "type": entry.entity_type,
                    "label": entry.ref.label,
                }
                for entry in self.entries
                if entry.entity_type in ("project", "certification")
            ],
            "quantified_achievements": [
                {
                    "quantity": a.quantity,
                    "kind": a.kind,
                    "bullet": a.bullet,
                    "id": str(a.entity.version_id),
                }
                for a in self.achievements
            ],
        }


def _dated(entry: Entry) -> dict[str, str]:
    out = {}
    for name in ("start_date", "end_date", "issue_date"):
        month = Month.of(entry.fields.get(name), end=name == "end_date")
        if month is not None:
            out[name] = month.label
    return out


def compute(entries: list[Entry], *, today: date) -> Facts:
    """The facts of a profile given its current entries."""
    now = Month(today.year, today.month)
    roles, undated = _roles([e for e in entries if e.entity_type == "work_experience"], now)
    return Facts(
        today=now,
        roles=roles,
        undated=undated,
        education=sorted(
            (e for e in entries if e.entity_type == "education"),
            key=lambda e: e.fields.get("end_date") or e.fields.get("start_date") or "",
        ),
        skills=skill_uses(entries),
        events=events(roles),
        achievements=[a for e in entries for a in quantities(e)],
        entries=entries,
    )


def _roles(work: list[Entry], now: Month) -> tuple[list[Role], list[Entry]]:
    roles, undated = [], []
    for entry in work:
        start = Month.of(entry.fields.get("start_date"))
        raw_end = entry.fields.get("end_date")
        end = Month.of(raw_end, end=True) if raw_end else now
        if start is None or end is None or end < start:
            undated.append(entry)
            continue
        title = entry.fields.get("title") or ""
        roles.append(
            Role(
                entry=entry,
                title=title,
                company=entry.fields.get("company") or "",
                start=start,
                end=min(end, now) if raw_end else now,
                current=not raw_end,
                seniority=seniority_of(title),
                field=field_of(title),
            )
        )
    roles.sort(key=lambda role: (role.start, role.end))
    return roles, undated


def events(roles: list[Role]) -> list[Event]:
    """Employer changes, promotions, field changes and gaps between consecutive roles."""
    found: list[Event] = []
    latest_end: Month | None = None
    for before, after in pairwise(roles):
        same_employer = fold(before.company) == fold(after.company)
        if same_employer and fold(before.title) != fold(after.title) and after.rank > before.rank:
            found.append(Event("promotion", before, after))
        elif not same_employer:
            found.append(Event("employer_change", before, after))
        if before.field and after.field and before.field != after.field:
            found.append(Event("field_change", before, after))
        latest_end = max(latest_end or before.end, before.end)
        gap = after.start.index - latest_end.index - 1
        if gap >= GAP_MIN_MONTHS:
            found.append(Event("gap", before, after, months=gap))
    return found


# -- Skills ----------------------------------------------------------------------------------


def _alternation(spellings: Iterable[str]) -> re.Pattern[str]:
    """One pattern for many names, longest first, each as a whole word (case ignored)."""
    names = sorted({s for s in spellings if s}, key=len, reverse=True)
    body = "|".join(re.escape(name) for name in names) or "(?!)"
    return re.compile(rf"(?<![\w#+.])(?:{body})(?![\w#+]|\.\w)", re.IGNORECASE)


@cache
def _vocabulary_pattern() -> re.Pattern[str]:
    return _alternation(skills_vocabulary())


def _own_skills(entries: list[Entry]) -> dict[str, tuple[str, Entry]]:
    """The person's skills: spelling (folded) → (canonical name, skill entity)."""
    own: dict[str, tuple[str, Entry]] = {}
    for entry in entries:
        name = entry.fields.get("name") if entry.entity_type == "skill" else None
        if name:
            own[fold(name)] = (skills_vocabulary().get(fold(name), name), entry)
    return own


def skills_in(text: str, entries: list[Entry]) -> list[SkillExtraction]:
    """The skills named in ``text``, each once (its first mention), linked to the vocabulary
    and to the person's skill entity when they have one."""
    own = _own_skills(entries)
    by_canonical = {canonical: entry for canonical, entry in own.values()}
    patterns = [_vocabulary_pattern()] + ([_alternation(own)] if own else [])
    found: dict[str, SkillExtraction] = {}
    for pattern in patterns:
        for match in pattern.finditer(text):
            written = match.group(0)
            key = fold(written)
            canonical = own[key][0] if key in own else skills_vocabulary().get(key)
            if canonical is None or (len(written) == 1 and written != canonical):
                continue  # one-letter names ("C", "R") only as their own capital letter
            if len(written) <= SHORT_NAME and written.islower() and key not in own:
                continue  # "go", "ts" in prose are words, not Go or TypeScript
            known = found.get(canonical)
            if known is None or match.start() < known.start:
                skill = by_canonical.get(canonical)
                found[canonical] = SkillExtraction(
                    name=written,
                    canonical=canonical,
                    start=match.start(),
                    end=match.end(),
                    skill=skill.ref if skill else None,
                )
    return sorted(found.values(), key=lambda s: s.start)


def skill_uses(entries: list[Entry]) -> list[SkillUse]:
    """Skills by how many work and project entries name them (then years of experience)."""
    prose = [e for e in entries if e.entity_type in ("work_experience", "project")]
    uses: dict[str, SkillUse] = {}
    skills = {
        skills_vocabulary().get(fold(e.fields["name"]), e.fields["name"]): e
        for e in entries
        if e.entity_type == "skill" and e.fields.get("name")
    }
    for entry in prose:
        named = {s.canonical for s in skills_in(entry.text(), entries)}
        named |= {
            skills_vocabulary().get(fold(t), t) for t in entry.fields.get("technologies") or []
        }
        for name in named:
            use = uses.get(name)
            if use is None:
                skill = skills.get(name)
                years = skill.fields.get("years_of_experience") if skill else None
                use = uses[name] = SkillUse(name, [], skill, years)
            use.entries.append(entry)
    for name, skill in skills.items():
        uses.setdefault(name, SkillUse(name, [], skill, skill.fields.get("years_of_experience")))
    return sorted(uses.values(), key=lambda u: (-len(u.entries), -(u.years or 0), u.name))


# -- Quantities ------------------------------------------------------------------------------

_NUMBER = r"\d+(?:[.,]\d+)*"
QUANTITIES: list[tuple[QuantityKind, re.Pattern[str]]] = [
    (
        QuantityKind.MONEY,
        re.compile(
            rf"[$€£¥]\s?{_NUMBER}(?:\s?(?:[kKmMbB]n?|million|billion|thousand)\b)?"
            rf"|{_NUMBER}\s?(?:[kKmM]\s?)?(?:USD|EUR|GBP|dollars|euros|pounds)\b"
        ),
    ),
    (QuantityKind.PERCENTAGE, re.compile(rf"{_NUMBER}\s?(?:%|percent\b|per cent\b)")),
    (
        QuantityKind.DURATION,
        re.compile(
            rf"{_NUMBER}\s?(?:seconds?|minutes?|hours?|hrs?|days?|weeks?|months?|years?|ms)\b"
        ),
    ),
    (QuantityKind.NUMBER, re.compile(rf"(?<![\w.]){_NUMBER}(?:\s?[xX]\b|\+|[kKmM]\b)?")),
]
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_BULLET = re.compile(r"^\s*(?:[-–—•*·▪●◦]|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def bullets(text: str | None) -> list[str]:
    """A description's bullets: its lines, or its sentences when it is one paragraph."""
    lines = [_BULLET.sub("", line).strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    if len(lines) == 1:
        lines = [part.strip() for part in _SENTENCE_END.split(lines[0]) if part.strip()]
    return lines


def quantities_in(bullet: str) -> list[tuple[QuantityKind, str]]:
    """The quantities a bullet states, each span once (money before percentages before
    durations before bare numbers; a bare year is a date, not a result)."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, QuantityKind, str]] = []
    for kind, pattern in QUANTITIES:
        for match in pattern.finditer(bullet):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            text = match.group(0).strip()
            if kind == QuantityKind.NUMBER and _YEAR.match(text):
                continue
            taken.append(span)
            found.append((span[0], kind, text))
    return [(kind, text) for _, kind, text in sorted(found)]


def quantities(entry: Entry) -> list[QuantifiedAchievement]:
    """Every quantity in an entry's bullets, with the bullet."""
    sources = bullets(entry.fields.get("description"))
    sources += [a for a in entry.fields.get("achievements") or [] if a and a not in sources]
    return [
        QuantifiedAchievement(quantity=text, kind=kind, bullet=bullet, entity=entry.ref)
        for bullet in sources
        for kind, text in quantities_in(bullet)
    ]


def tighten(text: str | None) -> str:
    """A description without its filler openings, bullets one a line, each said once.

    Only removes and reformats: every word left was the person's own.
    """
    seen: set[str] = set()
    out: list[str] = []
    listed = len([line for line in (text or "").splitlines() if line.strip()]) > 1
    for bullet in bullets(text):
        tightened = _fillers().sub("", " ".join(bullet.split()))
        if not tightened:
            continue
        tightened = tightened[0].upper() + tightened[1:]
        key = fold(tightened)
        if key in seen:
            continue
        seen.add(key)
        out.append(tightened)
    if not listed:
        return " ".join(out)
    return "\n".join(f"- {line}" for line in out)

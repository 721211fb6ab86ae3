"""Reading an answer: what it says about the topic asked, as profile entities whose every
value is a span of the answer.

Answer patterns ("I led a team of five", "about three years of Go", "from March 2019 to mid
2021", "issued by AWS") on top of the resume readers' date normaliser and skills
vocabulary. Nothing is guessed: a value is only ever a piece of what the person said (or
a number or date normalised from one), and an answer that declines ("no", "I don't
remember") yields nothing.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from careeros.text import fold
from interviews.schemas import Finding, Gap, Topic
from profiles.models import Certification, Education, Skill, WorkExperience
from resumes.extraction.rules.vocabulary import canonical_skill, is_title
from resumes.normalisers.dates import find_dates

Span = tuple[int, int]

# How sure a reading is, by how it was read: a date or a number said outright is nearly
# certain; a sentence kept as a description or context is the person's own words but its
# boundaries are the reader's.
DATE_CONFIDENCE = Decimal("0.90")
NUMBER_CONFIDENCE = Decimal("0.90")
PHRASE_CONFIDENCE = Decimal("0.80")
SENTENCE_CONFIDENCE = Decimal("0.75")

DECLINE = re.compile(
    r"^\s*(?:no|nope|none|nothing|skip|pass|n/?a|not sure|not really|no idea|next|"
    r"i (?:do not|don'?t|can'?t|cannot) (?:know|remember|recall|say)|"
    r"(?:i'?d )?rather not|don'?t (?:know|remember))\b[\s.!,]*(?:sorry|thanks)?[\s.!]*$",
    re.IGNORECASE,
)
# Words that soften a date without changing its year: "mid 2021" is 2021.
DATE_QUALIFIERS = re.compile(
    r"\b(?:mid|mid-|early|late|end of|the end of|beginning of|the beginning of|start of|"
    r"the start of|around|about|roughly|sometime in)\s+(?=(?:19|20)\d\d\b)",
    re.IGNORECASE,
)
CURRENT = re.compile(
    r"\b(?:still (?:there|work|working|am|do)|currently|to this day|until now|to date|"
    r"i(?:'m| am) still)\b",
    re.IGNORECASE,
)
NUMBER_WORDS = {
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "a couple of": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
}
_NUMBER = r"\d{1,2}|" + "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
YEARS = re.compile(
    rf"(?<![\w-])(?P<number>{_NUMBER})\s*\+?\s*(?:more\s+)?(?:years?|yrs?)\b"
    rf"(?:\s+(?:of|with|using|doing|in|writing)\s+(?P<skill>[\w#+.\-]+(?:\s[\w#+.\-]+)?))?",
    re.IGNORECASE,
)
LEVELS = {
    "beginner": "beginner",
    "basic": "beginner",
    "novice": "beginner",
    "intermediate": "intermediate",
    "competent": "intermediate",
    "decent": "intermediate",
    "advanced": "advanced",
    "proficient": "advanced",
    "strong": "advanced",
    "expert": "expert",
    "fluent": "expert",
}
LEVEL = re.compile(r"\b(" + "|".join(LEVELS) + r")\b", re.IGNORECASE)
STUDY = re.compile(
    r"\b(?:studied|majored in|major(?:ed)? (?:was|in)|degree (?:was )?in|field (?:was|is)|"
    r"(?:a |my )?(?:bachelor'?s|master'?s|phd|doctorate|degree|diploma)(?: degree)? in|"
    r"read)\s+(?P<field>[A-Za-z][\w&\-' ]*?)(?=\s*(?:[,.;!?]|\band\b|\bat\b|\bwith\b|$))",
    re.IGNORECASE,
)
ISSUER = re.compile(
    r"\b(?:issued by|from|by|through|with)\s+(?:the\s+)?"
    r"(?P<issuer>[A-Z][\w&.\-]*(?:\s+(?:[A-Z][\w&.\-]*|of|for|and))*)",
)
EXPIRY = re.compile(
    r"\b(?:expires?|expiring|expiry|valid (?:until|till|through|to)|good until|"
    r"runs out|renew(?:al)?(?: is)?(?: due)?)\b(?:\s+(?:in|on|at|by))?\s+",
    re.IGNORECASE,
)
ISSUED = re.compile(
    r"\b(?:got|earned|passed|obtained|received|took|was issued|issued|completed)\b"
    r"[\w\s]{0,12}?\b(?:in|on)\s+",
    re.IGNORECASE,
)
JOB = re.compile(
    r"\b(?:worked|work|freelanced|consulted|was|joined|served)\s+(?:there\s+)?as\s+(?:an?\s+)?"
    r"(?P<title>[\w\- ]+?)\s+(?:at|for|with)\s+"
    r"(?P<company>[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*)*)",
)
SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
# A sentence kept as a description says something: at least this many words ("Built the
# billing system." is three).
MIN_SENTENCE_WORDS = 3
# "How many years" answers above this are misreadings (a date, an age), not experience.
MAX_YEARS = 50


def declines(answer: str) -> bool:
    """True for an answer that says nothing ("no", "skip", "I don't remember")."""
    return bool(DECLINE.match(answer)) or not answer.strip()


def read_answer(topic: Topic, answer: str) -> list[Finding]:
    """Everything ``answer`` tells about ``topic``; spans index into ``answer``."""
    if declines(answer):
        return []
    reader = READERS.get(topic.gap, _read_open)
    return [finding for finding in reader(topic, answer) if finding.data]


# -- Pieces ---------------------------------------------------------------------------------


def _finding(
    model: Any,
    fields: dict[str, Any],
    evidence: dict[str, list[Span]],
    confidence: Decimal,
    note: str,
) -> Finding:
    return Finding(
        entity_type=model._meta.db_table,
        data={**fields, "evidence": evidence},
        confidence=confidence,
        note=note,
    )


def _stripped(answer: str, span: Span) -> Span:
    """``span`` without the whitespace and trailing punctuation at its ends."""
    start, end = span
    while start < end and answer[start].isspace():
        start += 1
    while end > start and (answer[end - 1].isspace() or answer[end - 1] in ",;:"):
        end -= 1
    return start, end


def dates_in(answer: str) -> list[Any]:
    """The date ranges of an answer, qualifiers ("mid", "early") read as their year.

    Qualifiers are blanked to spaces of the same length, so spans still index ``answer``.
    """
    blanked = DATE_QUALIFIERS.sub(lambda m: " " * len(m.group()), answer)
    blanked = re.sub(r"\bfrom\s+", lambda m: " " * len(m.group()), blanked, flags=re.I)
    return find_dates(blanked)


def sentences(answer: str) -> list[Span]:
    """The answer's sentences that say something (a few words at least)."""
    spans = []
    for match in SENTENCE.finditer(answer):
        span = _stripped(answer, match.span())
        if len(answer[span[0] : span[1]].split()) >= MIN_SENTENCE_WORDS and not declines(
            answer[span[0] : span[1]]
        ):
            spans.append(span)
    return spans


def years_in(answer: str) -> list[tuple[int, str | None, Span, Span]]:
    """("about three years of Go") → (3, "Go", span of the phrase, span of the skill
    words); the skill is None (and its span the phrase's) when the phrase names none."""
    found = []
    for match in YEARS.finditer(answer):
        word = fold(match.group("number"))
        number = int(word) if word.isdigit() else NUMBER_WORDS.get(word)
        if number is None or number > MAX_YEARS:
            continue
        skill = match.group("skill")
        phrase = _stripped(answer, match.span())
        found.append((number, skill, phrase, match.span("skill") if skill else phrase))
    return found


def _same_skill(said: str | None, name: str) -> bool:
    if not said:
        return False
    words = said.split()
    candidates = [" ".join(words[:n]) for n in range(len(words), 0, -1)]
    target = canonical_skill(name) or name
    return any(
        fold(candidate) == fold(name) or canonical_skill(candidate) == target
        for candidate in candidates
    )


def skills_named(answer: str) -> list[tuple[str, Span]]:
    """Known skills named in the answer (the resume readers' vocabulary), in order."""
    found: list[tuple[str, Span]] = []
    seen: set[str] = set()
    tokens = list(re.finditer(r"[\w#+.\-]+", answer))
    i = 0
    while i < len(tokens):
        for size in (3, 2, 1):
            group = tokens[i : i + size]
            if len(group) < size:
                continue
            start, end = group[0].start(), group[-1].end()
            text = answer[start:end].rstrip(".")
            name = canonical_skill(text)
            if name and len(text) > 1:
                if name not in seen:
                    seen.add(name)
                    found.append((name, (start, start + len(text))))
                i += size - 1
                break
        i += 1
    return found


# -- Readers by topic --------------------------------------------------------------------------


def _read_work_dates(topic: Topic, answer: str) -> list[Finding]:
    ranges = dates_in(answer)
    if not ranges:
        return []
    first = ranges[0]
    fields: dict[str, Any] = dict(topic.fields)
    evidence: dict[str, list[Span]] = {}
    if first.start:
        fields["start_date"], evidence["start_date"] = first.start, [first.span]
    if first.end and not first.single:
        fields["end_date"], evidence["end_date"] = first.end, [first.span]
    elif first.single and len(ranges) > 1 and ranges[1].start:
        fields["end_date"], evidence["end_date"] = ranges[1].start, [ranges[1].span]
    if "start_date" not in evidence:
        return []
    note = f"{topic.label}: {fields['start_date']} to {fields.get('end_date') or 'now'}"
    if first.current or (CURRENT.search(answer) and "end_date" not in evidence):
        note = f"{topic.label}: since {fields['start_date']}"
    return [_finding(WorkExperience, fields, evidence, DATE_CONFIDENCE, note)]


def _read_work_text(topic: Topic, answer: str) -> list[Finding]:
    spans = sentences(answer)
    if not spans:
        return []
    text = " ".join(answer[s:e] for s, e in spans)
    fields = {**topic.fields, "description": text}
    findings = [
        _finding(
            WorkExperience,
            fields,
            {"description": spans},
            SENTENCE_CONFIDENCE,
            f"{topic.label}: “{_short(text)}”",
        )
    ]
    return findings + _skills_with_years(topic, answer)


def _read_work_tools(topic: Topic, answer: str) -> list[Finding]:
    return _skills_with_years(topic, answer, every_skill=True)


def _skills_with_years(topic: Topic, answer: str, *, every_skill: bool = False) -> list[Finding]:
    """Skills the answer gives years for ("about three years of Go"); with ``every_skill``,
    every known skill it names, with where it was used as its context."""
    findings = []
    years = {}
    for number, said, span, skill_span in years_in(answer):
        for name, (start, end) in (
            skills_named(answer[skill_span[0] : skill_span[1]]) if said else []
        ):
            named = (skill_span[0] + start, skill_span[0] + end)
            years[name] = (number, (span[0], named[1]), named)
    where = job_context(topic)
    for name, span in skills_named(answer):
        if name not in years and not every_skill:
            continue
        fields: dict[str, Any] = {"name": name}
        evidence: dict[str, list[Span]] = {"name": [span]}
        note = f"{name}"
        if name in years:
            number, number_span, skill_span = years[name]
            fields["years_of_experience"] = number
            evidence["years_of_experience"] = [number_span]
            evidence["name"] = [skill_span]
            note += f": {number} year{'s' if number != 1 else ''}"
        if where:
            fields["context"] = where
            note += f", as {where}"
        findings.append(_finding(Skill, fields, evidence, NUMBER_CONFIDENCE, note))
    return findings


def job_context(topic: Topic) -> str:
    """Where a skill named while talking about a job was used: that job, as the profile
    names it (the person's own profile, not a guess)."""
    title, company = topic.fields.get("title"), topic.fields.get("company")
    if topic.gap in {Gap.WORK_TOOLS, Gap.WORK_ACHIEVEMENTS, Gap.WORK_SCOPE} and title:
        return f"{title} at {company}" if company else str(title)
    return ""


def _read_skill(topic: Topic, answer: str) -> list[Finding]:
    name = str(topic.fields.get("name") or "")
    fields: dict[str, Any] = {"name": name}
    evidence: dict[str, list[Span]] = {}
    notes = []
    found = years_in(answer)
    chosen = [f for f in found if _same_skill(f[1], name)] or [f for f in found if not f[1]]
    if not chosen and len(found) == 1 and not skills_named(answer[found[0][3][0] : found[0][3][1]]):
        chosen = found
    if chosen:
        number, _, span, _ = chosen[0]
        fields["years_of_experience"], evidence["years_of_experience"] = number, [span]
        notes.append(f"{number} year{'s' if number != 1 else ''}")
    level = LEVEL.search(answer)
    if level:
        fields["proficiency_level"] = LEVELS[level.group(1).lower()]
        evidence["proficiency_level"] = [level.span()]
        notes.append(fields["proficiency_level"])
    context = _context_of(answer, topic, [span for spans in evidence.values() for span in spans])
    if context:
        fields["context"], evidence["context"] = answer[context[0] : context[1]], [context]
        notes.append(f"used: “{_short(fields['context'])}”")
    if not evidence:
        return []
    return [_finding(Skill, fields, evidence, NUMBER_CONFIDENCE, f"{name}: {', '.join(notes)}")]


CONTEXT_START = re.compile(
    r"\b(?:at|for|in|on|while|when|building|writing|to build|to write|mostly|mainly|using it)\s",
    re.IGNORECASE,
)


def _context_of(answer: str, topic: Topic, taken: list[Span]) -> Span | None:
    """Where and how a skill was used: the longest clause part that starts with a place or
    purpose word ("at Acme", "mostly building billing services") after anything already
    read (the years, the level)."""
    best: Span | None = None
    for clause in re.finditer(r"[^,.;!?\n]+", answer):
        start, end = _stripped(answer, clause.span())
        after = max([e for s, e in taken if start <= s < end] or [start])
        lead = CONTEXT_START.search(answer, after, end)
        if lead is None:
            continue
        span = _stripped(answer, (lead.start(), end))
        if len(answer[span[0] : span[1]].split()) < 2:
            continue
        if best is None or (span[1] - span[0]) > (best[1] - best[0]):
            best = span
    if best is None and topic.gap == Gap.SKILL_CONTEXT:
        spans = sentences(answer)
        best = spans[0] if spans else None
    return best


def _read_degree(topic: Topic, answer: str) -> list[Finding]:
    match = STUDY.search(answer)
    if match:
        span = _stripped(answer, match.span("field"))
    elif len(answer.split()) <= 5 and not any(ch.isdigit() for ch in answer):
        span = _stripped(answer, (0, len(answer.rstrip(".!"))))
    else:
        return []
    value = answer[span[0] : span[1]]
    if not value:
        return []
    fields = {**topic.fields, "field_of_study": value}
    return [
        _finding(
            Education,
            fields,
            {"field_of_study": [span]},
            PHRASE_CONFIDENCE,
            f"{topic.label}: {value}",
        )
    ]


def _read_certification(topic: Topic, answer: str) -> list[Finding]:
    fields: dict[str, Any] = dict(topic.fields)
    evidence: dict[str, list[Span]] = {}
    notes = []
    issuer = ISSUER.search(answer)
    if issuer and "issuing_organization" not in topic.fields:
        start, end = _stripped(answer, issuer.span("issuer"))
        while (tail := re.search(r"\s+(?:of|for|and)$", answer[start:end])) is not None:
            end = start + tail.start()
        span = (start, end)
        fields["issuing_organization"] = answer[span[0] : span[1]]
        evidence["issuing_organization"] = [span]
        notes.append(f"issued by {fields['issuing_organization']}")
    ranges = dates_in(answer)
    for marker, name in ((EXPIRY, "expiration_date"), (ISSUED, "issue_date")):
        for match in marker.finditer(answer):
            date = next((d for d in ranges if d.span[0] == match.end() and d.start), None)
            if date is not None and name not in evidence:
                fields[name], evidence[name] = date.start, [date.span]
                notes.append(f"{name.replace('_', ' ')} {date.start}")
    if not evidence:
        return []
    return [
        _finding(
            Certification, fields, evidence, PHRASE_CONFIDENCE, f"{topic.label}: {', '.join(notes)}"
        )
    ]


def _read_job_gap(topic: Topic, answer: str) -> list[Finding]:
    findings = []
    for match in JOB.finditer(answer):
        title = match.group("title").strip()
        if not is_title(title):
            continue
        fields: dict[str, Any] = {"title": title, "company": match.group("company")}
        evidence: dict[str, list[Span]] = {
            "title": [match.span("title")],
            "company": [match.span("company")],
        }
        ranges = [d for d in dates_in(answer) if d.start]
        if ranges:
            fields["start_date"], evidence["start_date"] = ranges[0].start, [ranges[0].span]
            if ranges[0].end and not ranges[0].single:
                fields["end_date"], evidence["end_date"] = ranges[0].end, [ranges[0].span]
        findings.append(
            _finding(
                WorkExperience,
                fields,
                evidence,
                PHRASE_CONFIDENCE,
                f"{title} at {fields['company']}",
            )
        )
    return findings


def _read_open(topic: Topic, answer: str) -> list[Finding]:
    return _read_job_gap(topic, answer) + _skills_with_years(topic, answer)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


READERS = {
    Gap.WORK_DATES: _read_work_dates,
    Gap.WORK_ACHIEVEMENTS: _read_work_text,
    Gap.WORK_SCOPE: _read_work_text,
    Gap.WORK_TOOLS: _read_work_tools,
    Gap.JOB_GAP: _read_job_gap,
    Gap.SKILL_YEARS: _read_skill,
    Gap.SKILL_CONTEXT: _read_skill,
    Gap.DEGREE_FIELD: _read_degree,
    Gap.CERT_DETAILS: _read_certification,
    Gap.OPEN: _read_open,
}

"""Extraction from a JSON Resume document (read by ``resumes.reading.jsonresume``).

The document says what each value is, so nothing is guessed: every value becomes the
field its pointer names, with confidence 1, and its evidence is the span of its line's
value. Fields the profile keeps and JSON Resume lacks (a skill's category, years and
context; an education's or certificate's description; a certificate's credential id and
expiry) are read from the same-named camelCase properties CareerOS's export writes, which
the JSON Resume schema allows on every item.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from resumes.extraction import schema
from resumes.reading.jsonresume import unpointer
from resumes.reading.model import ResumeText

MODEL_LABEL = "jsonresume-1"
# JSON Resume allows a day; the profile keeps months.
_DAY = re.compile(r"^(\d{4}-\d{2})-\d{2}$")

Span = tuple[int, int]


class PointerItem:
    """The values of one item (``/work/3``): its fields' texts and spans, by sub-path."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}
        self.spans: dict[str, Span] = {}
        self.lines: list[Span] = []

    def add(self, key: str, value: str, span: Span, line: Span) -> None:
        self.values[key] = value
        self.spans[key] = span
        self.lines.append(line)

    def text(self, key: str) -> str | None:
        return self.values.get(key)

    def texts(self, key: str) -> list[tuple[str, str]]:
        """A list field's items in order, with their evidence keys (``highlights.0``)."""
        found = [(k, v) for k, v in self.values.items() if k.startswith(key + ".")]
        found.sort(key=lambda kv: int(kv[0].split(".")[1]) if kv[0].split(".")[1].isdigit() else 0)
        return found

    def block(self) -> list[Span]:
        return (
            [(min(s for s, _ in self.lines), max(e for _, e in self.lines))] if self.lines else []
        )


def group_pointers(document: ResumeText) -> tuple[PointerItem, dict[str, dict[int, PointerItem]]]:
    basics = PointerItem()
    sections: dict[str, dict[int, PointerItem]] = defaultdict(dict)
    for line in document.lines:
        if len(line.cells) < 2:
            continue
        path, value = line.cells[0], line.cells[1]
        parts = unpointer(path.text)
        span = (value.start, value.end)
        extent = (line.start, line.end)
        if not parts:
            continue
        if parts[0] == "basics" and len(parts) >= 2:
            basics.add(".".join(parts[1:]), value.text, span, extent)
        elif len(parts) >= 3 and parts[1].isdigit():
            item = sections[parts[0]].setdefault(int(parts[1]), PointerItem())
            item.add(".".join(parts[2:]), value.text, span, extent)
    return basics, sections


def _date(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    day = _DAY.match(value)
    if day:
        value = day.group(1)
    return value if schema.DATE.match(value) else None


def _fill(model: schema.Evidenced, item: PointerItem, fields: dict[str, str]) -> None:
    """Set ``model``'s attributes from the item's keys (``{"position": "position"}``) and
    record their evidence under the JSON Resume key."""
    for attr, key in fields.items():
        kind = type(model).model_fields[attr].annotation
        if "list" in str(kind):
            values = item.texts(key)
            setattr(model, attr, [v for _, v in values])
            for index, (full, _) in enumerate(values):
                model.evidence[f"{key}.{index}"] = [item.spans[full]]
            continue
        raw = item.text(key)
        if raw is None:
            continue
        value: Any = raw
        if attr in ("start_date", "end_date", "date", "expiration_date"):
            value = _date(raw)
        elif attr == "years_of_experience":
            value = int(raw) if raw.isdigit() else None
        if value is None:
            continue
        setattr(model, attr, value)
        model.evidence[key] = [item.spans[key]]
    model.block = item.block()
    model.confidence = 1.0


def extract(document: ResumeText) -> schema.Extraction:
    """The document's sections as an ``Extraction`` (``document.kind == "json"``)."""
    basics_item, sections = group_pointers(document)
    out = schema.Extraction(ai_model_used=MODEL_LABEL)
    basics = out.basics
    for attr in ("name", "label", "email", "phone", "url", "summary"):
        value = basics_item.text(attr)
        if value:
            setattr(basics, attr, value)
            basics.evidence[attr] = [basics_item.spans[attr]]
    for attr, key in (
        ("address", "address"),
        ("city", "city"),
        ("region", "region"),
        ("country_code", "countryCode"),
    ):
        value = basics_item.text(f"location.{key}")
        if value and (attr != "country_code" or re.fullmatch(r"[A-Z]{2}", value)):
            setattr(basics.location, attr, value)
            basics.evidence[f"location.{key}"] = [basics_item.spans[f"location.{key}"]]
    index = 0
    while any(
        basics_item.text(f"profiles.{index}.{key}") for key in ("network", "url", "username")
    ):
        profile = schema.Profile(confidence=1.0)
        for key in ("network", "url", "username"):
            value = basics_item.text(f"profiles.{index}.{key}")
            if value:
                setattr(profile, key, value)
                profile.evidence[key] = [basics_item.spans[f"profiles.{index}.{key}"]]
        basics.profiles.append(profile)
        index += 1
    basics.confidence = 1.0

    def items(section: str) -> list[PointerItem]:
        return [sections[section][i] for i in sorted(sections.get(section, {}))]

    for item in items("work"):
        work = schema.Work()
        _fill(
            work,
            item,
            {
                "name": "name",
                "position": "position",
                "location": "location",
                "summary": "summary",
                "highlights": "highlights",
                "start_date": "startDate",
                "end_date": "endDate",
            },
        )
        out.work.append(work)
    for item in items("education"):
        school = schema.Education()
        _fill(
            school,
            item,
            {
                "institution": "institution",
                "area": "area",
                "study_type": "studyType",
                "score": "score",
                "description": "description",
                "start_date": "startDate",
                "end_date": "endDate",
            },
        )
        out.education.append(school)
    for item in items("skills"):
        skill = schema.Skill()
        _fill(
            skill,
            item,
            {
                "name": "name",
                "level": "level",
                "keywords": "keywords",
                "category": "category",
                "years_of_experience": "yearsOfExperience",
                "context": "context",
            },
        )
        out.skills.append(skill)
    for item in items("projects"):
        project = schema.Project()
        _fill(
            project,
            item,
            {
                "name": "name",
                "description": "description",
                "url": "url",
                "roles": "roles",
                "highlights": "highlights",
                "keywords": "keywords",
                "start_date": "startDate",
                "end_date": "endDate",
            },
        )
        out.projects.append(project)
    for item in items("certificates"):
        certificate = schema.Certificate()
        _fill(
            certificate,
            item,
            {
                "name": "name",
                "issuer": "issuer",
                "date": "date",
                "url": "url",
                "credential_id": "credentialId",
                "expiration_date": "expirationDate",
                "description": "description",
            },
        )
        out.certificates.append(certificate)
    return out

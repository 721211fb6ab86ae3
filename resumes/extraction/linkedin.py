"""Extraction from a LinkedIn data export (read by ``resumes.reading.linkedin``).

The columns are LinkedIn's own (``Positions.csv``: Company Name, Title, Description,
Location, Started On, Finished On; ``Education.csv``: School Name, Start Date, End Date,
Notes, Degree Name, Activities; ``Skills.csv``: Name; ``Certifications.csv``: Name, Url,
Authority, Started On, Finished On, License Number; ``Projects.csv``: Title, Description,
Url, Started On, Finished On; ``Profile.csv``: First Name, Last Name, Headline, Summary…),
so each value becomes its field with confidence 1 and its line's span as evidence.
Dates are LinkedIn's "Jan 2020", "2020" or "1/2020" forms, kept as ``YYYY-MM`` / ``YYYY``.
"""

from __future__ import annotations

import re

from resumes.extraction import schema
from resumes.extraction.jsonresume import PointerItem, group_pointers
from resumes.normalisers.dates import MONTHS
from resumes.reading.model import ResumeText

MODEL_LABEL = "linkedin-export-1"
_MONTH_YEAR = re.compile(r"^([A-Za-zéûä]+)\.?\s+(\d{4})$")
_NUMERIC = re.compile(r"^(\d{1,2})/(?:\d{1,2}/)?(\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-\d{2})?$")


def linkedin_date(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if match := _MONTH_YEAR.match(value):
        month = MONTHS.get(match.group(1).lower())
        return f"{match.group(2)}-{month:02d}" if month else match.group(2)
    if match := _NUMERIC.match(value):
        month = int(match.group(1))
        return f"{match.group(2)}-{month:02d}" if 1 <= month <= 12 else match.group(2)
    if match := _ISO.match(value):
        return f"{match.group(1)}-{match.group(2)}" if match.group(2) else match.group(1)
    return None


def _set(model: schema.Evidenced, item: PointerItem, attr: str, column: str) -> None:
    value = item.text(column)
    if not value:
        return
    if attr in ("start_date", "end_date", "date", "expiration_date"):
        value = linkedin_date(value)
        if value is None:
            return
    setattr(model, attr, value)
    model.evidence[attr] = [item.spans[column]]


def _finish(model: schema.Evidenced, item: PointerItem) -> None:
    model.block = item.block()
    model.confidence = 1.0


def extract(document: ResumeText) -> schema.Extraction:
    """The export's career files as an ``Extraction`` (``document.kind == "linkedin"``)."""
    _, sections = group_pointers(document)
    out = schema.Extraction(ai_model_used=MODEL_LABEL)

    def rows(section: str) -> list[PointerItem]:
        return [sections[section][i] for i in sorted(sections.get(section, {}))]

    for item in rows("profile")[:1]:
        first, last = item.text("First Name"), item.text("Last Name")
        name = " ".join(part for part in (first, last) if part)
        if name:
            out.basics.name = name
            spans = [item.spans[c] for c in ("First Name", "Last Name") if item.text(c)]
            out.basics.evidence["name"] = spans
    for item in rows("emails"):
        if item.text("Email Address") and (
            out.basics.email is None or item.text("Primary") == "Yes"
        ):
            out.basics.email = item.text("Email Address")
            out.basics.evidence["email"] = [item.spans["Email Address"]]
    for item in rows("positions"):
        work = schema.Work()
        for attr, column in (
            ("name", "Company Name"),
            ("position", "Title"),
            ("summary", "Description"),
            ("location", "Location"),
            ("start_date", "Started On"),
            ("end_date", "Finished On"),
        ):
            _set(work, item, attr, column)
        work.current = not item.text("Finished On")
        _finish(work, item)
        out.work.append(work)
    for item in rows("education"):
        school = schema.Education()
        for attr, column in (
            ("institution", "School Name"),
            ("study_type", "Degree Name"),
            ("start_date", "Start Date"),
            ("end_date", "End Date"),
            ("description", "Notes"),
        ):
            _set(school, item, attr, column)
        activities = item.text("Activities")
        if activities:
            school.description = "\n".join(p for p in (school.description, activities) if p)
            school.evidence.setdefault("description", []).append(item.spans["Activities"])
        _finish(school, item)
        out.education.append(school)
    for item in rows("skills"):
        skill = schema.Skill()
        _set(skill, item, "name", "Name")
        _finish(skill, item)
        out.skills.append(skill)
    for item in rows("certifications"):
        certificate = schema.Certificate()
        for attr, column in (
            ("name", "Name"),
            ("issuer", "Authority"),
            ("url", "Url"),
            ("date", "Started On"),
            ("expiration_date", "Finished On"),
            ("credential_id", "License Number"),
        ):
            _set(certificate, item, attr, column)
        _finish(certificate, item)
        out.certificates.append(certificate)
    for item in rows("projects"):
        project = schema.Project()
        for attr, column in (
            ("name", "Title"),
            ("description", "Description"),
            ("url", "Url"),
            ("start_date", "Started On"),
            ("end_date", "Finished On"),
        ):
            _set(project, item, attr, column)
        _finish(project, item)
        out.projects.append(project)
    return out

"""A profile as a JSON Resume document (https://jsonresume.org/schema).

Every profile field has a place: JSON Resume's own where it has one (a job's title is its
``position``, a project's technologies its ``keywords``), otherwise a camelCase property
beside them (a skill's ``category``, ``yearsOfExperience`` and ``context``; an education's
``description``; a certificate's ``credentialId``, ``expirationDate`` and ``description``),
which the schema allows on every item and CareerOS's own import reads back. A date the
schema cannot express (not ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) is kept as text under
``<field>Text`` so it is not lost, and left out of the standard field.
"""

from __future__ import annotations

import re
from typing import Any

from profiles.models import Link
from profiles.snapshots import ProfileSnapshot, SnapshotEntity

_ISO_DATE = re.compile(r"^[1-2]\d{3}(-[0-1]\d(-[0-3]\d)?)?$")


def _put(item: dict[str, Any], key: str, value: Any) -> None:
    if value is None or value == "" or value == []:
        return
    item[key] = value


def _date(item: dict[str, Any], key: str, value: str | None) -> None:
    if not value:
        return
    if _ISO_DATE.match(value.strip()):
        item[key] = value.strip()
    else:
        item[f"{key}Text"] = value


def _summary_and_highlights(text: str | None) -> tuple[str | None, list[str]]:
    """A description's prose and its trailing "• " bullets (how CareerOS writes a job's
    highlights), as JSON Resume's ``summary`` and ``highlights``; any other text whole."""
    if not text:
        return None, []
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.startswith("• ")), len(lines))
    bullets = lines[first:]
    if not bullets or not all(line.startswith("• ") and line[2:].strip() for line in bullets):
        return text, []
    return "\n".join(lines[:first]) or None, [line[2:] for line in bullets]


def _work(fields: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    _put(item, "name", fields.get("company"))
    _put(item, "position", fields.get("title"))
    _put(item, "location", fields.get("location"))
    _date(item, "startDate", fields.get("start_date"))
    _date(item, "endDate", fields.get("end_date"))
    summary, highlights = _summary_and_highlights(fields.get("description"))
    _put(item, "summary", summary)
    _put(item, "highlights", highlights)
    return item


def _education(fields: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    _put(item, "institution", fields.get("institution"))
    _put(item, "studyType", fields.get("degree"))
    _put(item, "area", fields.get("field_of_study"))
    _date(item, "startDate", fields.get("start_date"))
    _date(item, "endDate", fields.get("end_date"))
    _put(item, "score", fields.get("gpa"))
    _put(item, "description", fields.get("description"))
    return item


def _skill(fields: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    _put(item, "name", fields.get("name"))
    _put(item, "level", fields.get("proficiency_level"))
    _put(item, "category", fields.get("category"))
    _put(item, "yearsOfExperience", fields.get("years_of_experience"))
    _put(item, "context", fields.get("context"))
    return item


def _project(fields: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    _put(item, "name", fields.get("title"))
    _put(item, "description", fields.get("description"))
    _put(item, "keywords", list(fields.get("technologies") or []))
    _date(item, "startDate", fields.get("start_date"))
    _date(item, "endDate", fields.get("end_date"))
    _put(item, "url", fields.get("url"))
    _put(item, "roles", [fields["role"]] if fields.get("role") else [])
    _put(item, "highlights", list(fields.get("achievements") or []))
    return item


def _certificate(fields: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    _put(item, "name", fields.get("name"))
    _put(item, "issuer", fields.get("issuing_organization"))
    _date(item, "date", fields.get("issue_date"))
    _put(item, "url", fields.get("credential_url"))
    _put(item, "credentialId", fields.get("credential_id"))
    _date(item, "expirationDate", fields.get("expiration_date"))
    _put(item, "description", fields.get("description"))
    return item


# entity type -> (JSON Resume section, item builder)
SECTIONS = {
    "work_experience": ("work", _work),
    "education": ("education", _education),
    "skill": ("skills", _skill),
    "project": ("projects", _project),
    "certification": ("certificates", _certificate),
}


def _newest_first(entities: list[SnapshotEntity]) -> list[SnapshotEntity]:
    """Dated entries newest first (as resumes list them), undated ones after, stably."""

    def key(entity: SnapshotEntity) -> str:
        fields = entity.fields
        return str(fields.get("start_date") or fields.get("issue_date") or "")

    return sorted(entities, key=key, reverse=True)


def _basics(basics: dict[str, Any], fields: dict[str, Any]) -> None:
    """The profile's basics entity onto JSON Resume's basics: the e-mail printed on the
    person's resume, when they keep one, over the account's."""
    _put(basics, "label", fields.get("headline"))
    _put(basics, "email", fields.get("email"))
    _put(basics, "phone", fields.get("phone"))
    _put(basics, "summary", fields.get("summary"))
    if fields.get("location"):
        basics["location"] = {"address": fields["location"]}
    profiles = []
    for link in (Link.parse(item) for item in fields.get("links") or []):
        if link.label.lower() == "website" and "url" not in basics:
            basics["url"] = link.url
        elif link.url:
            profiles.append(
                {"network": link.label, "url": link.url} if link.label else {"url": link.url}
            )
    if profiles:
        basics["profiles"] = profiles


def json_resume(snapshot: ProfileSnapshot) -> dict[str, Any]:
    """The snapshot as a JSON Resume document (a dict ready for ``json.dumps``)."""
    basics: dict[str, Any] = {}
    _put(basics, "name", snapshot.full_name)
    _put(basics, "email", snapshot.email)
    if snapshot.avatar_url and re.match(r"^https?://", snapshot.avatar_url):
        basics["image"] = snapshot.avatar_url
    for entity in snapshot.of_type("basics")[:1]:
        _basics(basics, entity.fields)
    document: dict[str, Any] = {"basics": basics}
    for entity_type, (section, build) in SECTIONS.items():
        entities = snapshot.of_type(entity_type)
        if entity_type != "skill":
            entities = _newest_first(entities)
        items = [build(entity.fields) for entity in entities]
        items = [item for item in items if item]
        if items:
            document[section] = items
    meta: dict[str, Any] = {"version": "v1.0.0"}
    if snapshot.taken_at is not None:
        meta["lastModified"] = snapshot.taken_at.isoformat(timespec="seconds")
    document["meta"] = meta
    return document

"""Typed results of resume extraction, shared by every provider.

Field names follow JSON Resume (https://jsonresume.org/schema) in snake_case; dates are
``YYYY-MM`` or ``YYYY``; ``current`` marks an open range ("– Present"). Every item carries a
``confidence`` (0..1, the mean of its fields' confidences) and ``evidence``: for each field
(``"name"``, ``"highlights.0"``, ``"location.city"``), the ``[start, end)`` character spans of
the document's raw text it came from.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

Span = tuple[int, int]
DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")


class Evidenced(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    evidence: dict[str, list[Span]] = Field(default_factory=dict)
    # The ``[start, end)`` ranges of raw text that make up the item (an entry's lines),
    # when the provider knows them: evidence outside them is not this item's.
    block: list[Span] = Field(default_factory=list)


class Dated(Evidenced):
    start_date: str | None = None
    end_date: str | None = None
    current: bool = False

    @field_validator("start_date", "end_date")
    @classmethod
    def _date_format(cls, value: str | None) -> str | None:
        if value is not None and not DATE.match(value):
            raise ValueError("dates are YYYY-MM or YYYY")
        return value


class Location(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # JSON Resume's free-text address ("London, GB"), as CareerOS's own export writes it.
    address: str | None = None
    city: str | None = None
    region: str | None = None
    country_code: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")


class Profile(Evidenced):
    network: str | None = None
    username: str | None = None
    url: str | None = None


class Basics(Evidenced):
    name: str | None = None
    label: str | None = None  # the headline ("Data engineer")
    summary: str | None = None
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    location: Location = Field(default_factory=Location)
    profiles: list[Profile] = Field(default_factory=list)


class Work(Dated):
    name: str | None = None  # employer
    position: str | None = None
    location: str | None = None
    summary: str | None = None
    highlights: list[str] = Field(default_factory=list)


class Volunteer(Dated):
    organization: str | None = None
    position: str | None = None
    location: str | None = None
    summary: str | None = None
    highlights: list[str] = Field(default_factory=list)


class Education(Dated):
    institution: str | None = None
    area: str | None = None
    study_type: str | None = None
    score: str | None = None
    # CareerOS's own addition to JSON Resume (which has no free text for a school).
    description: str | None = None


class Skill(Evidenced):
    name: str | None = None
    level: str | None = None
    keywords: list[str] = Field(default_factory=list)
    # CareerOS's additions to JSON Resume: one skill's category, years and context.
    category: str | None = None
    years_of_experience: int | None = Field(default=None, ge=0)
    context: str | None = None


class Project(Dated):
    name: str | None = None
    description: str | None = None
    url: str | None = None
    roles: list[str] = Field(default_factory=list)
    highlights: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)


class Certificate(Evidenced):
    name: str | None = None
    issuer: str | None = None
    date: str | None = None
    url: str | None = None
    credential_id: str | None = None
    # CareerOS's additions to JSON Resume.
    expiration_date: str | None = None
    description: str | None = None

    @field_validator("date", "expiration_date")
    @classmethod
    def _date_format(cls, value: str | None) -> str | None:
        if value is not None and not DATE.match(value):
            raise ValueError("dates are YYYY-MM or YYYY")
        return value


SECTIONS = ("work", "volunteer", "education", "skills", "projects", "certificates")
_JSON_NAMES = {
    "start_date": "startDate",
    "end_date": "endDate",
    "study_type": "studyType",
    "country_code": "countryCode",
    "credential_id": "credentialId",
    "years_of_experience": "yearsOfExperience",
    "expiration_date": "expirationDate",
}


def _clean(value: Any) -> Any:
    """Drop empty values and our own bookkeeping; rename to JSON Resume's camelCase."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in ("confidence", "evidence", "current", "block"):
                continue
            cleaned = _clean(item)
            if cleaned in (None, "", [], {}):
                continue
            out[_JSON_NAMES.get(str(key), str(key))] = cleaned
        return out
    if isinstance(value, list):
        return [c for c in (_clean(v) for v in value) if c not in (None, "", [], {})]
    return value


class Extraction(BaseModel):
    """Everything extracted from one resume."""

    model_config = ConfigDict(extra="forbid")

    basics: Basics = Field(default_factory=Basics)
    work: list[Work] = Field(default_factory=list)
    volunteer: list[Volunteer] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    certificates: list[Certificate] = Field(default_factory=list)
    # Which provider and model produced this result (stored as ai_model_used).
    ai_model_used: str = ""
    # What was read but not kept, for the person ("a certificate with no name").
    dropped: list[str] = Field(default_factory=list)

    def to_json_resume(self) -> dict[str, Any]:
        """JSON Resume form: camelCase keys, no empty values, an open range has no endDate."""
        data = self.model_dump(exclude={"ai_model_used", "dropped"})
        for section in ("work", "volunteer", "education", "projects"):
            for item, model in zip(data[section], getattr(self, section), strict=True):
                if model.current:
                    item["end_date"] = None
        result: dict[str, Any] = _clean(data)
        return result

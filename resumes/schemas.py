"""Typed models of the resume tables' JSONB columns.

- ``processing_stages``: ``ProcessingStages`` (the seed's shape: per stage status,
  started_at, completed_at, error).
- ``structured_content``: ``resumes.extraction.schema.Extraction`` (with confidence and evidence).
- ``parsed_resume_entities.entity_data``: the ``profiles.entities.EntityData`` of its type:
  the columns of the matching profile table, plus the evidence spans they were read from.
- ``resume_diffs.differences``: ``Differences``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from profiles.entities import (
    BasicsData,
    CertificationData,
    EducationData,
    EntityData,
    ProjectData,
    SkillData,
    Span,
    WorkExperienceData,
    spec_for_model,
)
from profiles.matching import empty
from resumes.extraction import schema as ai


class Stage(StrEnum):
    """The pipeline's stages, in order (the values are the seed's stage names)."""

    UPLOAD = "upload"
    PARSE = "parse"
    ENRICH = "enrich"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        """What the stage does, in words for the person whose file it is."""
        return {
            Stage.UPLOAD: "Checking the file",
            Stage.PARSE: "Reading it",
            Stage.ENRICH: "Comparing with your profile",
            Stage.COMPLETE: "Preparing suggestions",
        }[self]

    @property
    def progress(self) -> tuple[int, int]:
        """The version's progress (0-100) when the stage starts and when it completes."""
        return {
            Stage.UPLOAD: (5, 20),
            Stage.PARSE: (25, 60),
            Stage.ENRICH: (65, 90),
            Stage.COMPLETE: (95, 100),
        }[self]

    @property
    def earlier(self) -> tuple[Stage, ...]:
        return STAGES[: STAGES.index(self)]

    @property
    def following(self) -> tuple[Stage, ...]:
        return STAGES[STAGES.index(self) + 1 :]


STAGES: tuple[Stage, ...] = tuple(Stage)
TERMINAL_STATUSES = ("completed", "failed")


class StageStatus(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"


class Failure(StrEnum):
    """Why a stage failed: each kind has its own words and advice on the version page."""

    # Retrying will not help this file as it is (refused, damaged, unreadable).
    PERMANENT = "permanent"
    # The AI service kept answering 429/5xx or timing out until the attempt budget ran out.
    AI_UNAVAILABLE = "ai_unavailable"
    # Reading the file itself hit its time or CPU limit.
    TOO_LONG = "too_long"
    # Its worker died on it repeatedly, or on its last attempt of the budget.
    INTERRUPTED = "interrupted"
    # Another transient failure (storage, the database, the broker) outlasted the budget.
    UNAVAILABLE = "unavailable"

    @property
    def headline(self) -> str:
        """What the version page says first about a version that failed so."""
        return {
            Failure.PERMANENT: "This file could not be read",
            Failure.AI_UNAVAILABLE: "The AI service is unavailable — retry later",
            Failure.TOO_LONG: "This file took too long to read",
            Failure.INTERRUPTED: "Reading this file was interrupted",
            Failure.UNAVAILABLE: "A service this file needs is unavailable — retry later",
        }[self]


class StageState(BaseModel):
    model_config = ConfigDict(extra="ignore")

    status: StageStatus = StageStatus.PENDING
    started_at: datetime | None = None
    completed_at: datetime | None = None
    error: str | None = None
    # How many times the stage was claimed (CareerOS's addition to the seed's shape).
    attempts: int = 0
    # How many of those claims took it over from a worker found dead (its lease ran out):
    # the "interrupted repeatedly" rule counts these alone, never transient failures.
    interruptions: int = 0
    # Why it failed or, pending again after a transient failure, why its last attempt did;
    # and when that retry is due (CareerOS's additions).
    failure: Failure | None = None
    retry_at: datetime | None = None

    @property
    def label(self) -> str:
        return {
            StageStatus.PENDING: "Waiting",
            StageStatus.IN_PROGRESS: "In progress",
            StageStatus.COMPLETED: "Done",
            StageStatus.FAILED: "Failed",
        }[self.status]


class ProcessingStages(BaseModel):
    """``resume_versions.processing_stages``: every stage's state, keyed by stage name."""

    model_config = ConfigDict(extra="ignore")

    upload: StageState = Field(default_factory=StageState)
    parse: StageState = Field(default_factory=StageState)
    enrich: StageState = Field(default_factory=StageState)
    complete: StageState = Field(default_factory=StageState)

    def get(self, stage: Stage | str) -> StageState:
        state: StageState = getattr(self, Stage(stage).value)
        return state


def initial_stages() -> dict[str, Any]:
    """The processing_stages of a new version: every stage pending."""
    return ProcessingStages().model_dump(mode="json", exclude_none=True)


# -- parsed_resume_entities.entity_data: profiles.entities.EntityData of its type --------


@dataclass(frozen=True)
class ParsedEntity:
    """One row to store in parsed_resume_entities."""

    data: EntityData
    confidence: Decimal

    @property
    def entity_type(self) -> str:
        return spec_for_model(self.data.model).entity_type


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.title() for part in rest)


def _spans(item: ai.Evidenced, *keys: str) -> list[Span]:
    """The spans recorded for ``keys`` (and their sub-keys such as ``highlights.0``);
    providers name evidence in snake_case or JSON Resume's camelCase."""
    spans: list[Span] = []
    for key in keys:
        for name in {key, _camel(key)}:
            for evidence_key, found in item.evidence.items():
                if evidence_key == name or evidence_key.startswith(name + "."):
                    spans.extend(found)
    return spans


def _evidence(item: ai.Evidenced, mapping: dict[str, tuple[str, ...]]) -> dict[str, list[Span]]:
    result = {field: _spans(item, *keys) for field, keys in mapping.items()}
    return {field: spans for field, spans in result.items() if spans}


def _end(item: ai.Dated) -> str | None:
    return None if item.current else item.end_date


def _paragraph(summary: str | None, highlights: list[str]) -> str | None:
    lines = [summary] if summary else []
    lines += [f"• {highlight}" for highlight in highlights]
    return "\n".join(lines) or None


def _confidence(value: float) -> Decimal:
    return Decimal(str(round(min(max(value, 0.0), 1.0), 2)))


def _within(span: Span, block: list[Span]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end in block)


def _snake(key: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)


def confine(item: ai.Evidenced, label: str, raw: str) -> list[str]:
    """Drop the values of ``item`` whose evidence lies outside its own block of text
    (never move them onto a neighbour); returns what was dropped, for the person.

    Items without a block (a provider that does not know its entries' extent) are left
    as they are.
    """
    if not item.block:
        return []
    dropped: list[str] = []
    removed: dict[str, set[int]] = {}
    for key, spans in list(item.evidence.items()):
        if all(_within(span, item.block) for span in spans):
            continue
        name, _, index = key.partition(".")
        attr = _snake(name)
        value = getattr(item, attr, None)
        if isinstance(value, list) and index.isdigit():
            removed.setdefault(attr, set()).add(int(index))
        elif isinstance(value, str) and not index:
            setattr(item, attr, None)
        else:
            continue
        del item.evidence[key]
        text = " ".join(raw[spans[0][0] : spans[0][1]].split())[:80]
        dropped.append(f"{label}: “{text}” was read outside this entry, so it was left out.")
    # List fields (highlights, keywords, roles) are one word: their evidence keys are
    # "<attr>.<index>", renumbered for the items that stay.
    for attr, indexes in removed.items():
        values: list[Any] = getattr(item, attr)
        kept = [i for i in range(len(values)) if i not in indexes]
        evidence = {i: item.evidence.pop(f"{attr}.{i}", None) for i in range(len(values))}
        setattr(item, attr, [values[i] for i in kept])
        for new, old in enumerate(kept):
            found = evidence[old]
            if found is not None:
                item.evidence[f"{attr}.{new}"] = found
    return dropped


_SECTION_NAMES = {
    "work": "Job",
    "volunteer": "Volunteering",
    "education": "Education",
    "skills": "Skills",
    "projects": "Project",
    "certificates": "Certificate",
}


def _label(item: ai.Evidenced) -> str:
    for attr in ("position", "name", "institution", "organization"):
        value = getattr(item, attr, None)
        if value:
            return f"“{value}”"
    return "an entry"


def confine_all(extraction: ai.Extraction, raw: str) -> list[str]:
    """``confine`` every item of the extraction; what was dropped."""
    dropped: list[str] = []
    for section, noun in _SECTION_NAMES.items():
        for item in getattr(extraction, section):
            dropped += confine(item, f"{noun} {_label(item)}", raw)
    return dropped


def basics_data(basics: ai.Basics) -> BasicsData | None:
    """The profile's basics as a resume's top reads them (None when it reads none); the
    name stays the account's own display name."""
    place = basics.location
    parts = (place.city, place.region, place.country_code)
    location = place.address or ", ".join(part for part in parts if part)
    links = [f"Website: {basics.url}"] if basics.url else []
    for profile in basics.profiles:
        address = profile.url or profile.username
        if address:
            links.append(f"{profile.network}: {address}" if profile.network else address)
    data = BasicsData(
        headline=basics.label,
        summary=basics.summary,
        email=basics.email,
        phone=basics.phone,
        location=location or None,
        links=links or None,
        evidence=_evidence(
            basics,
            {
                "headline": ("label",),
                "summary": ("summary",),
                "email": ("email",),
                "phone": ("phone",),
                "location": ("location",),
                "links": ("url",),
            },
        ),
    )
    # Each link of a profile (GitHub, LinkedIn) carries its own evidence.
    spans = [span for p in basics.profiles for found in p.evidence.values() for span in found]
    if spans:
        data.evidence["links"] = [*data.evidence.get("links", []), *spans]
    return data if any(not empty(value) for value in data.fields().values()) else None


def entities_from_extraction(extraction: ai.Extraction) -> list[ParsedEntity]:
    """Map an extraction onto the profile's entity types, keeping evidence and confidence.

    A skill group ("Languages: Python, Go") becomes one skill per keyword, categorised by
    the group's name, because the profile keeps one row per skill. Items read without what
    the profile needs to name them are dropped, and said so in ``extraction.dropped``.
    """
    entities: list[ParsedEntity] = []

    def add(data: EntityData, confidence: float) -> None:
        entities.append(ParsedEntity(data=data, confidence=_confidence(confidence)))

    def drop(what: str) -> None:
        extraction.dropped.append(f"{what}, so it was left out.")

    basics = basics_data(extraction.basics)
    if basics is not None:
        add(basics, extraction.basics.confidence)
    for work in extraction.work:
        if not (work.position or work.name):
            drop("A job with neither a title nor an employer")
            continue
        add(
            WorkExperienceData(
                title=work.position,
                company=work.name,
                location=work.location,
                start_date=work.start_date,
                end_date=_end(work),
                description=_paragraph(work.summary, work.highlights),
                evidence=_evidence(
                    work,
                    {
                        "title": ("position",),
                        "company": ("name",),
                        "location": ("location",),
                        "start_date": ("start_date",),
                        "end_date": ("end_date",),
                        "description": ("summary", "highlights"),
                    },
                ),
            ),
            work.confidence,
        )
    for school in extraction.education:
        if not school.institution:
            drop(f"Education {_label(school)} without a school")
            continue
        add(
            EducationData(
                institution=school.institution,
                degree=school.study_type,
                field_of_study=school.area,
                start_date=school.start_date,
                end_date=_end(school),
                gpa=school.score,
                description=school.description,
                evidence=_evidence(
                    school,
                    {
                        "institution": ("institution",),
                        "degree": ("study_type",),
                        "field_of_study": ("area",),
                        "start_date": ("start_date",),
                        "end_date": ("end_date",),
                        "gpa": ("score",),
                        "description": ("description",),
                    },
                ),
            ),
            school.confidence,
        )
    for skill in extraction.skills:
        if skill.keywords:
            for index, keyword in enumerate(skill.keywords):
                add(
                    SkillData(
                        name=keyword,
                        category=skill.name,
                        proficiency_level=skill.level,
                        evidence=_evidence(
                            skill,
                            {
                                "name": (f"keywords.{index}",),
                                "category": ("name",),
                                "proficiency_level": ("level",),
                            },
                        ),
                    ),
                    skill.confidence,
                )
        elif skill.name:
            add(
                SkillData(
                    name=skill.name,
                    category=skill.category,
                    proficiency_level=skill.level,
                    years_of_experience=skill.years_of_experience,
                    context=skill.context,
                    evidence=_evidence(
                        skill,
                        {
                            "name": ("name",),
                            "category": ("category",),
                            "proficiency_level": ("level",),
                            "years_of_experience": ("years_of_experience",),
                            "context": ("context",),
                        },
                    ),
                ),
                skill.confidence,
            )
    for project in extraction.projects:
        if not project.name:
            drop("A project without a name")
            continue
        add(
            ProjectData(
                title=project.name,
                description=project.description,
                technologies=project.keywords or None,
                start_date=project.start_date,
                end_date=_end(project),
                url=project.url,
                role=", ".join(project.roles) or None,
                achievements=project.highlights or None,
                evidence=_evidence(
                    project,
                    {
                        "title": ("name",),
                        "description": ("description",),
                        "technologies": ("keywords",),
                        "start_date": ("start_date",),
                        "end_date": ("end_date",),
                        "url": ("url",),
                        "role": ("roles",),
                        "achievements": ("highlights",),
                    },
                ),
            ),
            project.confidence,
        )
    for certificate in extraction.certificates:
        if not certificate.name:
            drop("A certificate without a name")
            continue
        add(
            CertificationData(
                name=certificate.name,
                issuing_organization=certificate.issuer,
                credential_id=certificate.credential_id,
                issue_date=certificate.date,
                expiration_date=certificate.expiration_date,
                credential_url=certificate.url,
                description=certificate.description,
                evidence=_evidence(
                    certificate,
                    {
                        "name": ("name",),
                        "issuing_organization": ("issuer",),
                        "credential_id": ("credential_id",),
                        "issue_date": ("date",),
                        "credential_url": ("url",),
                        "expiration_date": ("expiration_date",),
                        "description": ("description",),
                    },
                ),
            ),
            certificate.confidence,
        )
    return entities


# -- resume_diffs.differences ----------------------------------------------------------------


class FieldChange(BaseModel):
    field: str
    before: Any = None
    after: Any = None


class EntityRef(BaseModel):
    entity_type: str
    label: str


class EntityChange(EntityRef):
    fields: list[FieldChange]


class Differences(BaseModel):
    """Entities added, removed and changed (field by field) from ``before`` to this version."""

    model_config = ConfigDict(extra="forbid")

    added: list[EntityRef] = Field(default_factory=list)
    removed: list[EntityRef] = Field(default_factory=list)
    changed: list[EntityChange] = Field(default_factory=list)
    unchanged: int = 0
    # Set for version_to_version when the version's text changed but no entity did.
    text_changed: bool = False

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

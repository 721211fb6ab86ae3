"""Typed models of the resume tables' JSONB columns.

- ``processing_stages``: ``ProcessingStages`` (the seed's shape: per stage status,
  started_at, completed_at, error).
- ``structured_content``: ``resumes.extraction.schema.Extraction`` (with confidence and evidence).
- ``parsed_resume_entities.entity_data``: one model per entity type, whose fields are the
  columns of the matching profile table, plus the evidence spans they were read from.
- ``resume_diffs.differences``: ``Differences``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from resumes.extraction import schema as ai

# The pipeline, in order. Progress (0-100) when a stage starts and when it completes.
STAGES = ("upload", "parse", "enrich", "complete")
PROGRESS = {"upload": (5, 20), "parse": (25, 60), "enrich": (65, 90), "complete": (95, 100)}
TERMINAL_STATUSES = ("completed", "failed")


class StageStatus(StrEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"


class StageState(BaseModel):
    model_config = ConfigDict(extra="ignore")

    status: StageStatus = StageStatus.PENDING
    started_at: datetime | None = None
    completed_at: datetime | None = None
    error: str | None = None
    # How many times the stage was claimed (CareerOS's addition to the seed's shape).
    attempts: int = 0

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

    def get(self, stage: str) -> StageState:
        if stage not in STAGES:
            raise ValueError(f"{stage!r} is not a processing stage.")
        state: StageState = getattr(self, stage)
        return state


def initial_stages() -> dict[str, Any]:
    """The processing_stages of a new version: every stage pending."""
    return ProcessingStages().model_dump(mode="json", exclude_none=True)


# -- parsed_resume_entities.entity_data ---------------------------------------------------

Span = tuple[int, int]


class EntityData(BaseModel):
    """Fields named after the profile table's columns; ``evidence`` maps a field to the
    ``[start, end)`` spans of the version's raw_content it was read from."""

    model_config = ConfigDict(extra="forbid")

    entity_type: ClassVar[str]
    label_field: ClassVar[str]
    # The fields that identify the same entity across versions and against the profile.
    key_fields: ClassVar[tuple[str, ...]]

    evidence: dict[str, list[Span]] = Field(default_factory=dict)

    def fields(self) -> dict[str, Any]:
        """The profile columns with their values (evidence left out)."""
        return self.model_dump(exclude={"evidence"})

    def label(self) -> str:
        return str(getattr(self, self.label_field) or "(unnamed)")


class WorkExperienceData(EntityData):
    entity_type = "work_experience"
    label_field = "title"
    key_fields = ("company", "title")

    title: str | None = None
    company: str | None = None
    location: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    description: str | None = None

    def label(self) -> str:
        parts = [part for part in (self.title, self.company) if part]
        return " at ".join(parts) or "(unnamed)"


class EducationData(EntityData):
    entity_type = "education"
    label_field = "institution"
    key_fields = ("institution", "degree")

    institution: str | None = None
    degree: str | None = None
    field_of_study: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    gpa: str | None = None
    description: str | None = None


class SkillData(EntityData):
    entity_type = "skill"
    label_field = "name"
    key_fields = ("name",)

    name: str | None = None
    category: str | None = None
    proficiency_level: str | None = None
    years_of_experience: int | None = None
    context: str | None = None


class ProjectData(EntityData):
    entity_type = "project"
    label_field = "title"
    key_fields = ("title",)

    title: str | None = None
    description: str | None = None
    technologies: list[str] | None = None
    start_date: str | None = None
    end_date: str | None = None
    url: str | None = None
    role: str | None = None
    achievements: list[str] | None = None


class CertificationData(EntityData):
    entity_type = "certification"
    label_field = "name"
    key_fields = ("name", "issuing_organization")

    name: str | None = None
    issuing_organization: str | None = None
    credential_id: str | None = None
    issue_date: str | None = None
    expiration_date: str | None = None
    credential_url: str | None = None
    description: str | None = None


ENTITY_DATA_MODELS: dict[str, type[EntityData]] = {
    model.entity_type: model
    for model in (WorkExperienceData, EducationData, SkillData, ProjectData, CertificationData)
}


def entity_data_model(entity_type: str) -> type[EntityData]:
    return ENTITY_DATA_MODELS[entity_type]


@dataclass(frozen=True)
class ParsedEntity:
    """One row to store in parsed_resume_entities."""

    entity_type: str
    data: EntityData
    confidence: Decimal


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


def entities_from_extraction(extraction: ai.Extraction) -> list[ParsedEntity]:
    """Map an extraction onto the profile's entity types, keeping evidence and confidence.

    A skill group ("Languages: Python, Go") becomes one skill per keyword, categorised by
    the group's name, because the profile keeps one row per skill.
    """
    entities: list[ParsedEntity] = []

    def add(data: EntityData, confidence: float) -> None:
        entities.append(
            ParsedEntity(
                entity_type=data.entity_type, data=data, confidence=_confidence(confidence)
            )
        )

    for work in extraction.work:
        if not (work.position or work.name):
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
            continue
        add(
            EducationData(
                institution=school.institution,
                degree=school.study_type,
                field_of_study=school.area,
                start_date=school.start_date,
                end_date=_end(school),
                gpa=school.score,
                evidence=_evidence(
                    school,
                    {
                        "institution": ("institution",),
                        "degree": ("study_type",),
                        "field_of_study": ("area",),
                        "start_date": ("start_date",),
                        "end_date": ("end_date",),
                        "gpa": ("score",),
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
                    proficiency_level=skill.level,
                    evidence=_evidence(skill, {"name": ("name",), "proficiency_level": ("level",)}),
                ),
                skill.confidence,
            )
    for project in extraction.projects:
        if not project.name:
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
            continue
        add(
            CertificationData(
                name=certificate.name,
                issuing_organization=certificate.issuer,
                credential_id=certificate.credential_id,
                issue_date=certificate.date,
                credential_url=certificate.url,
                evidence=_evidence(
                    certificate,
                    {
                        "name": ("name",),
                        "issuing_organization": ("issuer",),
                        "credential_id": ("credential_id",),
                        "issue_date": ("date",),
                        "credential_url": ("url",),
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

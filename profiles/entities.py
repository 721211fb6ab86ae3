"""The six entity types of a career profile, each described once.

An ``EntitySpec`` names everything the rest of CareerOS needs to know about a type: its
pages' slug and title, its versioned model, the typed shape of its fields as every source
proposes them (``EntityData``: the model's columns plus the evidence they were read from),
and its scorer for "is this the same entity?" (``profiles.matching``). Every other lookup
(by slug, by table) derives from ``ENTITY_SPECS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, ClassVar, cast

from pydantic import BaseModel, ConfigDict, Field

from careeros.db.versioning import VersionedEntity
from profiles import matching, validity
from profiles.models import Basics, Certification, Education, Project, Skill, WorkExperience

Span = tuple[int, int]


class EntityData(BaseModel):
    """An entity's fields, named after its profile table's columns; ``evidence`` maps a
    field to the ``[start, end)`` spans of the source text it was read from."""

    model_config = ConfigDict(extra="forbid")

    model: ClassVar[type[VersionedEntity]]

    evidence: dict[str, list[Span]] = Field(default_factory=dict)

    def fields(self) -> dict[str, Any]:
        """The profile columns with their values (evidence left out)."""
        return self.model_dump(exclude={"evidence"})

    def label(self) -> str:
        """How the profile names the entity ("Data Engineer at Acme"): the model's own
        ``__str__``, read from these fields (a model instance is far costlier to make)."""
        values = {name: "" if value is None else value for name, value in self.fields().items()}
        view = SimpleNamespace(**values, label_field=self.model.label_field, logical_entity_id="")
        return str(self.model.__str__(cast(Any, view))).strip() or "(unnamed)"


class BasicsData(EntityData):
    model = Basics

    headline: str | None = None
    summary: str | None = None
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    links: list[str] | None = None


class WorkExperienceData(EntityData):
    model = WorkExperience

    title: str | None = None
    company: str | None = None
    location: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    description: str | None = None


class EducationData(EntityData):
    model = Education

    institution: str | None = None
    degree: str | None = None
    field_of_study: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    gpa: str | None = None
    description: str | None = None


class SkillData(EntityData):
    model = Skill

    name: str | None = None
    category: str | None = None
    proficiency_level: str | None = None
    years_of_experience: int | None = None
    context: str | None = None


class ProjectData(EntityData):
    model = Project

    title: str | None = None
    description: str | None = None
    technologies: list[str] | None = None
    start_date: str | None = None
    end_date: str | None = None
    url: str | None = None
    role: str | None = None
    achievements: list[str] | None = None


class CertificationData(EntityData):
    model = Certification

    name: str | None = None
    issuing_organization: str | None = None
    credential_id: str | None = None
    issue_date: str | None = None
    expiration_date: str | None = None
    credential_url: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class EntitySpec:
    slug: str  # its pages: /profile/<slug>/
    title: str  # the section's heading
    description: str  # what belongs in it, shown while it is empty
    model: type[VersionedEntity]
    data: type[EntityData]
    score: matching.Scorer  # 0..1: how likely two field dicts are the same entity
    # The normalised key of "the same entity written twice" (profiles.matching).
    identity: matching.Identity
    # The key text a profile entity must share words with to be scored against a proposal.
    block: matching.Identity
    # What makes a read entity implausible (profiles.validity): it then waits for review.
    problems: Callable[[dict[str, Any]], list[str]]
    # One logical entity per person (the basics): never added beside the one that exists.
    single: bool = False

    @property
    def entity_type(self) -> str:
        """The table name: ``entity_type`` of parsed entities and merge decisions."""
        return str(self.model._meta.db_table)

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    def load(self, data: dict[str, Any] | None) -> EntityData:
        """Typed entity data from its JSON form (a JSONB column)."""
        return self.data.model_validate(data or {})

    def missing_required(self, fields: dict[str, Any]) -> list[str]:
        """The profile's required fields (NOT NULL columns) that ``fields`` leaves empty."""
        return [
            name
            for name in self.model.content_fields
            if not self.model._meta.get_field(name).null and matching.empty(fields.get(name))
        ]


# In the order the profile shows them.
ENTITY_SPECS: tuple[EntitySpec, ...] = (
    EntitySpec(
        "basics",
        "Basics",
        "Your headline, summary, phone, location and links.",
        Basics,
        BasicsData,
        matching.basics_score,
        matching.basics_identity,
        matching.basics_identity,
        validity.basics_problems,
        single=True,
    ),
    EntitySpec(
        "work",
        "Work experience",
        "Jobs and roles.",
        WorkExperience,
        WorkExperienceData,
        matching.work_score,
        matching.work_identity,
        matching.work_block,
        validity.work_problems,
    ),
    EntitySpec(
        "education",
        "Education",
        "Schools, degrees and fields of study.",
        Education,
        EducationData,
        matching.education_score,
        matching.education_identity,
        matching.education_block,
        validity.education_problems,
    ),
    EntitySpec(
        "skills",
        "Skills",
        "What you can do, how well, and where.",
        Skill,
        SkillData,
        matching.skill_score,
        matching.skill_identity,
        matching.skill_block,
        validity.skill_problems,
    ),
    EntitySpec(
        "projects",
        "Projects",
        "Things you built and what came of them.",
        Project,
        ProjectData,
        matching.project_score,
        matching.project_identity,
        matching.project_block,
        validity.project_problems,
    ),
    EntitySpec(
        "certifications",
        "Certifications",
        "Credentials, issuers and dates.",
        Certification,
        CertificationData,
        matching.certification_score,
        matching.certification_identity,
        matching.certification_block,
        validity.certification_problems,
    ),
)
_BY_SLUG = {spec.slug: spec for spec in ENTITY_SPECS}
_BY_TYPE = {spec.entity_type: spec for spec in ENTITY_SPECS}
_BY_MODEL = {spec.model: spec for spec in ENTITY_SPECS}
ENTITY_TYPE_CHOICES = [(spec.entity_type, spec.title) for spec in ENTITY_SPECS]


def spec_for_slug(slug: str) -> EntitySpec:
    """Raises KeyError for an unknown slug."""
    return _BY_SLUG[slug]


def spec_for_type(entity_type: str) -> EntitySpec:
    """Raises KeyError for an unknown entity type (table name)."""
    return _BY_TYPE[entity_type]


def spec_for_model(model: type[VersionedEntity]) -> EntitySpec:
    return _BY_MODEL[model]


def specs() -> Iterator[EntitySpec]:
    return iter(ENTITY_SPECS)

"""Typed forms of the enrichment tables' JSONB columns, and of what a provider answers.

Every statement an enrichment makes carries the entities it rests on (``EntityRef``): the
career page links each sentence to them, and the grounding check refuses a statement
that cites anything outside the person's own profile.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, RootModel


class EntityRef(BaseModel):
    """One profile entity a statement rests on: the exact version it was read from."""

    model_config = ConfigDict(frozen=True)

    entity_type: str  # the table: work_experience, skill…
    logical_entity_id: UUID
    version_id: UUID
    label: str  # "Senior Engineer at Acme", as the profile names it


class Statement(BaseModel):
    """One sentence and the entities it cites."""

    text: str
    cites: list[EntityRef] = Field(default_factory=list)


class RelatedEntities(RootModel[list[EntityRef]]):
    """``career_narratives.related_entities``."""

    root: list[EntityRef] = Field(default_factory=list)


class QuantityKind(StrEnum):
    MONEY = "money"
    PERCENTAGE = "percentage"
    DURATION = "duration"
    NUMBER = "number"


class QuantifiedAchievement(BaseModel):
    """A quantity found in a bullet, with the bullet it came from."""

    quantity: str  # as written: "40%", "$1.2M", "3 months", "12,000"
    kind: QuantityKind
    bullet: str
    entity: EntityRef


class QuantifiedAchievements(RootModel[list[QuantifiedAchievement]]):
    """``career_enrichment.quantified_achievements``."""

    root: list[QuantifiedAchievement] = Field(default_factory=list)


class Statements(RootModel[dict[str, list[Statement]]]):
    """CareerOS's ``statements`` column: per text column (career_summary, growth_trajectory…)
    the sentences it is made of, with their citations."""

    root: dict[str, list[Statement]] = Field(default_factory=dict)

    def of(self, column: str) -> list[Statement]:
        return self.root.get(column, [])


class SkillExtraction(BaseModel):
    """A skill named in an entry's text, linked to the skill vocabulary."""

    name: str  # as written in the text
    canonical: str  # the vocabulary's name for it
    start: int
    end: int
    skill: EntityRef | None = None  # the person's skill entity, when they have one


class SkillExtractions(RootModel[list[SkillExtraction]]):
    """``entry_enrichment.skill_extractions``."""

    root: list[SkillExtraction] = Field(default_factory=list)


class JobType(StrEnum):
    RESUME_ENRICHMENT = "resume_enrichment"
    BULK_ENHANCEMENT = "bulk_enhancement"
    PROFILE_ANALYSIS = "profile_analysis"


class JobInput(BaseModel):
    """``enrichment_jobs.input_data``: what the job works on."""

    model_config = ConfigDict(extra="forbid")

    provider: Literal["offline", "openai"] | None = None  # None: the configured default
    section: str | None = None  # bulk_enhancement: the entity type (work_experience…)
    resume_version_id: UUID | None = None  # resume_enrichment


class JobOutput(BaseModel):
    """``enrichment_jobs.output_data``: what the job produced."""

    career_enrichment_id: UUID | None = None
    narrative_ids: list[UUID] = Field(default_factory=list)
    entry_enrichment_ids: list[UUID] = Field(default_factory=list)
    statements: int = 0  # sentences written
    rejected: list[str] = Field(default_factory=list)  # statements the grounding check refused
    ai_model_used: str = ""

"""Typed forms of the interview tables' JSONB columns.

``interview_sessions.session_config`` is a ``SessionConfig``: the planned topics, where the
interview is, and how it runs. ``interview_transcripts.ai_extracted_entities`` is the list
of ``Finding`` read from a user's turn, each with the merge decision it became.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Gap(StrEnum):
    """What a topic asks about."""

    WORK_DATES = "work_dates"
    WORK_ACHIEVEMENTS = "work_achievements"
    WORK_SCOPE = "work_scope"  # team, responsibilities (a deep dive asks it of any job)
    WORK_TOOLS = "work_tools"  # the skills used in one job
    JOB_GAP = "job_gap"  # an unexplained stretch between two jobs
    SKILL_YEARS = "skill_years"
    SKILL_CONTEXT = "skill_context"
    DEGREE_FIELD = "degree_field"
    CERT_DETAILS = "cert_details"
    OPEN = "open"  # nothing missing: anything not in the profile yet?


class TopicStatus(StrEnum):
    PENDING = "pending"
    OPEN = "open"
    DONE = "done"


class Topic(_Model):
    """One thing the interviewer wants to know, with the questions that ask it."""

    gap: Gap
    entity_type: str | None = None
    logical_entity_id: UUID | None = None
    # The entity as the profile holds it (the identity the answer's findings attach to).
    fields: dict[str, Any] = Field(default_factory=dict)
    label: str  # what the person sees in the plan ("Dates at Acme")
    questions: list[str]  # the question, then its follow-ups
    # The fields the profile lacks that this topic asks for, and those answers gave so far.
    wanted: list[str] = Field(default_factory=list)
    found: list[str] = Field(default_factory=list)
    asked: int = 0  # questions asked so far
    status: TopicStatus = TopicStatus.PENDING

    @property
    def next_question(self) -> str | None:
        return self.questions[self.asked] if self.asked < len(self.questions) else None


class SessionConfig(_Model):
    plan: list[Topic] = Field(default_factory=list)
    current: int = 0  # index of the open topic in ``plan``
    job_id: UUID | None = None  # the job a role deep dive is about
    paused: bool = False
    engine: str = "rules"  # "rules" (offline) or "openai"
    voice: bool = False
    voice_items: list[str] = Field(default_factory=list)  # Realtime items already stored
    learned: int = 0  # findings so far

    @property
    def topic(self) -> Topic | None:
        return self.plan[self.current] if self.current < len(self.plan) else None

    @property
    def done(self) -> int:
        return sum(1 for topic in self.plan if topic.status == TopicStatus.DONE)


class Finding(_Model):
    """One fact read from an answer, as a profile entity with its evidence in the answer."""

    id: UUID = Field(default_factory=uuid4)  # the merge decision's source entity
    entity_type: str
    data: dict[str, Any]  # the entity type's EntityData (evidence spans into the answer)
    confidence: Decimal
    note: str  # what was learned, for the summary ("years of Go: 3")
    topic: int = 0  # the plan's topic it answers


class TurnFindings(_Model):
    items: list[Finding] = Field(default_factory=list)

    def dump(self) -> list[dict[str, Any]]:
        return [item.model_dump(mode="json") for item in self.items]

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
    # Profile values the questions name beyond ``fields`` (the jobs around a gap).
    about: dict[str, str] = Field(default_factory=dict)
    # The fields the profile lacks that this topic asks for, and those answers gave so far.
    wanted: list[str] = Field(default_factory=list)
    found: list[str] = Field(default_factory=list)
    asked: int = 0  # questions asked so far
    status: TopicStatus = TopicStatus.PENDING

    @property
    def questions(self) -> list[str]:
        """The question, then its follow-ups: worded from the profile when asked, never
        stored (the session's config holds no transcript text)."""
        return topic_questions(self)

    @property
    def next_question(self) -> str | None:
        questions = self.questions
        return questions[self.asked] if self.asked < len(questions) else None


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


class FindingSummary(_Model):
    """What ``ai_extracted_entities`` keeps of a finding: its kind, never its values (those
    are the person's words, sealed in the vault with the turn)."""

    entity_type: str
    fields: list[str]
    confidence: Decimal
    topic: int = 0


class TurnFindings(_Model):
    items: list[Finding] = Field(default_factory=list)

    def dump(self) -> list[dict[str, Any]]:
        return [item.model_dump(mode="json") for item in self.items]

    def summary(self) -> list[dict[str, Any]]:
        return [
            FindingSummary(
                entity_type=item.entity_type,
                fields=sorted(
                    name
                    for name, value in item.data.items()
                    if name != "evidence" and value not in (None, "", [])
                ),
                confidence=item.confidence,
                topic=item.topic,
            ).model_dump(mode="json")
            for item in self.items
        ]


class UserTurn(_Model):
    """A user's turn as sealed in the vault: what was said and what was read from it."""

    text: str
    findings: list[Finding] = Field(default_factory=list)


# -- The questions --------------------------------------------------------------------------


def job_label(fields: dict[str, Any]) -> str:
    return f"{fields.get('title') or 'your role'} at {fields.get('company') or 'that company'}"


def topic_questions(topic: Topic) -> list[str]:
    """What the offline interviewer asks about ``topic``, follow-ups after the first."""
    fields, about = topic.fields, topic.about
    match topic.gap:
        case Gap.WORK_DATES:
            return [
                f"When did you start and finish as {job_label(fields)}?",
                "Roughly which month and year was that? For example “from March 2019 to mid "
                "2021”, or “since May 2022” if you are still there.",
            ]
        case Gap.WORK_ACHIEVEMENTS:
            return [
                f"What are you proudest of from your time as {job_label(fields)}?",
                "Can you put a number on it: people you led, money or time saved, users, growth?",
            ]
        case Gap.WORK_SCOPE:
            return [
                f"As {job_label(fields)}, what were you responsible for, and how big was the "
                "team you worked in or led?"
            ]
        case Gap.WORK_TOOLS:
            return [
                f"Which languages, tools or methods did you use most as {job_label(fields)}, "
                "and for how long?"
            ]
        case Gap.JOB_GAP:
            return [
                f"Between leaving {about.get('before')} ({about.get('ended')}) and starting "
                f"{about.get('after')} ({about.get('started')}) your profile has nothing. What "
                "did you do then? If you worked, say as what, where, and when."
            ]
        case Gap.SKILL_YEARS | Gap.SKILL_CONTEXT:
            name = fields.get("name") or "it"
            questions = []
            if "years_of_experience" in topic.wanted or about.get("level") == "missing":
                questions.append(
                    f"How many years have you worked with {name}, and how would you rate "
                    "yourself: beginner, intermediate, advanced or expert?"
                )
            if "context" in topic.wanted:
                questions.append(
                    f"Where did you use {name}: in which job or project, and for what?"
                )
            return questions
        case Gap.DEGREE_FIELD:
            where = fields.get("institution") or "there"
            degree = fields.get("degree")
            return [
                f"What did you study for your {degree} at {where}?"
                if degree
                else f"What did you study at {where}?"
            ]
        case Gap.CERT_DETAILS:
            asks = []
            if "issuing_organization" in topic.wanted:
                asks.append("who issued it")
            if "expiration_date" in topic.wanted:
                asks.append("when it expires (or whether it does)")
            return [f"About your {fields.get('name') or 'certification'}: {' and '.join(asks)}?"]
    return [
        "Your profile has no obvious gaps. Is there a skill, a result or a role you would "
        "like to add or tell more about?"
    ]

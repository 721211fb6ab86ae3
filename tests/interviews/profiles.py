"""A profile with known gaps, and a scripted interviewee."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from careeros.db.rls import user_context
from careeros.db.versioning import VersionedEntity
from merges.models import MergeDecision
from profiles.models import Certification, Education, Skill, User, WorkExperience
from profiles.services import entity_create


@dataclass
class GappyProfile:
    intern: WorkExperience  # no dates, no achievements
    backend: WorkExperience  # dated, no achievements; a year's gap before the next job
    data: WorkExperience  # current (no end), no achievements
    go: Skill  # no years, level or context
    python: Skill  # years, no context or level
    degree: Education  # no field of study
    cert: Certification  # no expiry (an issuer is required)
    entities: list[VersionedEntity] = field(default_factory=list)


def gappy_profile(user: User) -> GappyProfile:
    def add(model: type[Any], **fields: Any) -> Any:
        return entity_create(model=model, user=user, fields=fields)

    with user_context(user.pk):
        profile = GappyProfile(
            intern=add(WorkExperience, title="Software Intern", company="Initech"),
            backend=add(
                WorkExperience,
                title="Backend Engineer",
                company="Acme",
                start_date="2016-01",
                end_date="2018-12",
            ),
            data=add(WorkExperience, title="Data Engineer", company="Globex", start_date="2020-01"),
            go=add(Skill, name="Go"),
            python=add(Skill, name="Python", years_of_experience=5),
            degree=add(Education, institution="University of Leeds", degree="BSc"),
            cert=add(Certification, name="Solutions Architect", issuing_organization="AWS"),
        )
    return profile


@dataclass
class Interviewee:
    """Answers by what a question is about; every answer given is kept."""

    script: list[tuple[tuple[str, ...], str]]
    given: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)

    def answer(self, question: str) -> str:
        self.questions.append(question)
        for needles, reply in self.script:
            if all(needle.lower() in question.lower() for needle in needles):
                self.given.append(reply)
                return reply
        self.given.append("skip")
        return "skip"


def decisions_of(user: User) -> list[MergeDecision]:
    with user_context(user.pk):
        return list(MergeDecision.objects.filter(user_id=user.pk).order_by("created_at"))


def about(decisions: list[MergeDecision], entity: VersionedEntity) -> list[MergeDecision]:
    return [d for d in decisions if d.target_entity_id == entity.logical_entity_id]

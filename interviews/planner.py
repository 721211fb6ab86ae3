"""The interview plan: what the profile lacks, as topics to ask about, one at a time.

``profile_snapshot`` reads the user's current profile; ``plan`` (pure) finds its gaps and
orders them by session type:

- career overview: the whole path, oldest job first: missing dates, unexplained gaps
  between jobs, jobs without achievements; then degrees without a field, certifications
  without an issuer or expiry, and a few skills without years;
- role deep dive: one chosen job in depth (dates, achievements, team and scope, tools);
- skills assessment: level, years and where each skill was used.

A profile with nothing missing gets one open question, so an interview never starts empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from careeros.db.rls import user_context
from interviews.models import SessionType
from interviews.schemas import Gap, Topic, job_label
from profiles.matching import empty
from profiles.models import Certification, Education, Skill, WorkExperience

# A stretch between two jobs longer than this many months is worth a question.
GAP_MONTHS = 6
# The longest plans: an interview is a conversation, not a form.
MAX_TOPICS = {
    SessionType.CAREER_OVERVIEW: 10,
    SessionType.ROLE_DEEP_DIVE: 6,
    SessionType.SKILLS_ASSESSMENT: 10,
}
# Skills a career overview asks about, at most (a skills assessment asks about all).
OVERVIEW_SKILLS = 3


@dataclass(frozen=True)
class Entry:
    logical_entity_id: UUID
    fields: dict[str, Any]


@dataclass(frozen=True)
class Snapshot:
    """The user's current profile, as the planner reads it."""

    jobs: list[Entry] = field(default_factory=list)
    degrees: list[Entry] = field(default_factory=list)
    skills: list[Entry] = field(default_factory=list)
    certifications: list[Entry] = field(default_factory=list)


def profile_snapshot(user_id: Any) -> Snapshot:
    """The user's current entities (in their row level security context)."""

    def entries(model: Any) -> list[Entry]:
        rows = model.objects.for_user(user_id).current().order_by("created_at")
        return [Entry(row.logical_entity_id, row.content()) for row in rows]

    with user_context(user_id):
        return Snapshot(
            jobs=entries(WorkExperience),
            degrees=entries(Education),
            skills=entries(Skill),
            certifications=entries(Certification),
        )


def _identity(entry: Entry, *names: str) -> dict[str, Any]:
    return {name: entry.fields.get(name) for name in names if not empty(entry.fields.get(name))}


def _missing(entry: Entry, *names: str) -> list[str]:
    return [name for name in names if empty(entry.fields.get(name))]


def month_index(value: Any, *, end: bool) -> int | None:
    """``2019-03`` → a month count; a bare year counts as its last (end) or first month,
    so only a gap that is certain counts as one."""
    text = str(value or "")
    try:
        if len(text) >= 7 and text[4] == "-":
            return int(text[:4]) * 12 + int(text[5:7]) - 1
        if len(text) == 4:
            return int(text) * 12 + (11 if end else 0)
    except ValueError:
        return None
    return None


def _work_dates(entry: Entry) -> Topic:
    label = job_label(entry.fields)
    return Topic(
        gap=Gap.WORK_DATES,
        entity_type=WorkExperience._meta.db_table,
        logical_entity_id=entry.logical_entity_id,
        fields=_identity(entry, "title", "company"),
        label=f"Dates as {label}",
        wanted=_missing(entry, "start_date", "end_date"),
    )


def _work_achievements(entry: Entry) -> Topic:
    label = job_label(entry.fields)
    return Topic(
        gap=Gap.WORK_ACHIEVEMENTS,
        entity_type=WorkExperience._meta.db_table,
        logical_entity_id=entry.logical_entity_id,
        fields=_identity(entry, "title", "company"),
        label=f"Achievements as {label}",
    )


def _work_scope(entry: Entry) -> Topic:
    label = job_label(entry.fields)
    return Topic(
        gap=Gap.WORK_SCOPE,
        entity_type=WorkExperience._meta.db_table,
        logical_entity_id=entry.logical_entity_id,
        fields=_identity(entry, "title", "company"),
        label=f"Team and scope as {label}",
    )


def _work_tools(entry: Entry) -> Topic:
    label = job_label(entry.fields)
    return Topic(
        gap=Gap.WORK_TOOLS,
        entity_type=Skill._meta.db_table,
        logical_entity_id=entry.logical_entity_id,
        fields=_identity(entry, "title", "company"),
        label=f"Tools as {label}",
    )


def _job_gap(before: Entry, after: Entry) -> Topic:
    return Topic(
        gap=Gap.JOB_GAP,
        entity_type=WorkExperience._meta.db_table,
        label=f"Between {job_label(before.fields)} and {job_label(after.fields)}",
        about={
            "before": job_label(before.fields),
            "ended": str(before.fields.get("end_date")),
            "after": job_label(after.fields),
            "started": str(after.fields.get("start_date")),
        },
    )


def _skill(entry: Entry) -> Topic:
    wanted = _missing(entry, "years_of_experience", "context")  # the level is a bonus
    return Topic(
        gap=Gap.SKILL_YEARS if "years_of_experience" in wanted else Gap.SKILL_CONTEXT,
        entity_type=Skill._meta.db_table,
        logical_entity_id=entry.logical_entity_id,
        fields=_identity(entry, "name"),
        label=str(entry.fields.get("name") or "A skill"),
        wanted=wanted,
        about={"level": "missing"} if empty(entry.fields.get("proficiency_level")) else {},
    )


def _degree(entry: Entry) -> Topic:
    return Topic(
        gap=Gap.DEGREE_FIELD,
        entity_type=Education._meta.db_table,
        logical_entity_id=entry.logical_entity_id,
        fields=_identity(entry, "institution", "degree"),
        label=f"Field of study at {entry.fields.get('institution') or 'your school'}",
        wanted=["field_of_study"],
    )


def _certification(entry: Entry) -> Topic:
    return Topic(
        gap=Gap.CERT_DETAILS,
        entity_type=Certification._meta.db_table,
        logical_entity_id=entry.logical_entity_id,
        fields=_identity(entry, "name", "issuing_organization"),
        label=str(entry.fields.get("name") or "A certification"),
        wanted=_missing(entry, "issuing_organization", "expiration_date"),
    )


def _open() -> Topic:
    return Topic(
        gap=Gap.OPEN,
        label="Anything else",
    )


def skill_needs(entry: Entry) -> bool:
    return any(
        empty(entry.fields.get(name))
        for name in ("years_of_experience", "proficiency_level", "context")
    )


def _chronological(jobs: list[Entry]) -> list[Entry]:
    return sorted(jobs, key=lambda job: month_index(job.fields.get("start_date"), end=False) or 0)


def job_gaps(jobs: list[Entry]) -> list[tuple[Entry, Entry]]:
    """Consecutive jobs with more than ``GAP_MONTHS`` between one's end and the next's start,
    where both dates are known and no other job covers the stretch."""
    dated = [
        job
        for job in _chronological(jobs)
        if month_index(job.fields.get("start_date"), end=False) is not None
    ]
    gaps = []
    covered_until: int | None = None
    previous: Entry | None = None
    for job in dated:
        start = month_index(job.fields.get("start_date"), end=False)
        assert start is not None
        if (
            previous is not None
            and covered_until is not None
            and start - covered_until > GAP_MONTHS
        ):
            gaps.append((previous, job))
        end = month_index(job.fields.get("end_date"), end=True)
        if end is None:
            # Current, or an end nobody wrote down: no gap can be claimed after it.
            covered_until = None
            previous = None
            continue
        if covered_until is None or end >= covered_until or previous is None:
            covered_until, previous = max(end, covered_until or end), job
    return gaps


def plan(
    snapshot: Snapshot, session_type: SessionType, *, job_id: UUID | None = None
) -> list[Topic]:
    """The topics of an interview of ``session_type`` over ``snapshot``."""
    topics: list[Topic] = []
    if session_type == SessionType.ROLE_DEEP_DIVE:
        job = next((j for j in snapshot.jobs if j.logical_entity_id == job_id), None)
        if job is None:
            raise ValueError("Choose one of your jobs for a role deep dive.")
        if needs_dates(job, snapshot.jobs):
            topics.append(_work_dates(job))
        topics += [_work_achievements(job), _work_scope(job), _work_tools(job)]
    elif session_type == SessionType.SKILLS_ASSESSMENT:
        topics += [_skill(s) for s in snapshot.skills if skill_needs(s)]
        if not topics and snapshot.jobs:
            topics.append(_work_tools(_chronological(snapshot.jobs)[-1]))
    else:
        gaps = {id(after): before for before, after in job_gaps(snapshot.jobs)}
        for job in _chronological(snapshot.jobs):
            if id(job) in gaps:
                topics.append(_job_gap(gaps[id(job)], job))
            if needs_dates(job, snapshot.jobs):
                topics.append(_work_dates(job))
            if empty(job.fields.get("description")):
                topics.append(_work_achievements(job))
        topics += [_degree(d) for d in snapshot.degrees if empty(d.fields.get("field_of_study"))]
        topics += [
            _certification(c)
            for c in snapshot.certifications
            if empty(c.fields.get("issuing_organization")) or empty(c.fields.get("expiration_date"))
        ]
        topics += [_skill(s) for s in snapshot.skills if skill_needs(s)][:OVERVIEW_SKILLS]
    topics = topics[: MAX_TOPICS[session_type]]
    return topics or [_open()]


def needs_dates(job: Entry, jobs: list[Entry]) -> bool:
    """No start date, or no end date on a job that is not the latest (whose empty end
    means it is current)."""
    if empty(job.fields.get("start_date")):
        return True
    latest = _chronological(jobs)[-1]
    return empty(job.fields.get("end_date")) and job is not latest

"""The answer reader and the planner, as pure functions: each pattern, each gap."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from interviews.models import SessionType
from interviews.planner import Entry, Snapshot, job_gaps, plan
from interviews.reading import declines, read_answer, skills_named, years_in
from interviews.schemas import Gap, Topic


def topic(gap: Gap, **fields: Any) -> Topic:
    return Topic(gap=gap, fields=fields, label="the topic", wanted=[])


def read(gap: Gap, answer: str, **fields: Any) -> list[dict[str, Any]]:
    """Each finding's fields, with its evidence as the answer's text."""
    out = []
    for finding in read_answer(topic(gap, **fields), answer):
        data = dict(finding.data)
        evidence = data.pop("evidence")
        data["said"] = {name: [answer[s:e] for s, e in spans] for name, spans in evidence.items()}
        out.append(data)
    return out


@pytest.mark.parametrize(
    ("answer", "start", "end", "said"),
    [
        ("From March 2019 to mid 2021.", "2019-03", "2021", "March 2019 to mid 2021"),
        ("Since May 2022, I'm still there.", "2022-05", None, "Since May 2022"),
        ("Jan 2020 - present", "2020-01", None, "Jan 2020 - present"),
        ("I started in 2017 and left in 2019.", "2017", "2019", "2017"),
        ("03/2015 – 11/2016", "2015-03", "2016-11", "03/2015 – 11/2016"),
    ],
)
def test_dates_are_read_with_the_resume_normaliser(
    answer: str, start: str, end: str | None, said: str
) -> None:
    (found,) = read(Gap.WORK_DATES, answer, title="Engineer", company="Acme")
    assert (found["start_date"], found.get("end_date")) == (start, end)
    assert found["said"]["start_date"] == [said]
    assert (found["title"], found["company"]) == ("Engineer", "Acme")


@pytest.mark.parametrize(
    ("answer", "years"),
    [
        ("about three years of Go", [(3, "Go")]),
        ("5+ years", [(5, None)]),
        ("a couple of years with Rust and a year of Go", [(2, "Rust and"), (1, "Go")]),
        ("twelve yrs", [(12, None)]),
        ("a few years", []),  # vague: nothing
        ("in 2019 years ago", []),  # a year, not a count
    ],
)
def test_years_of_experience(answer: str, years: list[tuple[int, str | None]]) -> None:
    assert [(n, skill) for n, skill, _, _ in years_in(answer)] == years


def test_a_skill_answer_gives_years_level_and_where() -> None:
    (found,) = read(
        Gap.SKILL_YEARS,
        "About three years of Go, mostly building billing services at Acme. I'd say advanced.",
        name="Go",
    )
    assert found["years_of_experience"] == 3
    assert found["proficiency_level"] == "advanced"
    assert found["context"] == "mostly building billing services at Acme"
    assert found["said"]["years_of_experience"] == ["three years of Go"]


def test_years_of_another_skill_are_not_this_skills() -> None:
    assert read(Gap.SKILL_YEARS, "Ten years of Java, none of Go.", name="Go") == []


def test_a_job_answer_keeps_the_persons_sentences_and_skills_with_years() -> None:
    found = read(
        Gap.WORK_ACHIEVEMENTS,
        "I led a team of five. We shipped it in two years of Kubernetes work. ok",
        title="Engineer",
        company="Acme",
    )
    job, skill = found
    assert job["description"] == (
        "I led a team of five. We shipped it in two years of Kubernetes work."
    )
    assert job["said"]["description"] == [
        "I led a team of five.",
        "We shipped it in two years of Kubernetes work.",
    ]
    assert (skill["name"], skill["years_of_experience"], skill["context"]) == (
        "Kubernetes",
        2,
        "Engineer at Acme",
    )


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("I studied Computer Science, with a minor in maths.", "Computer Science"),
        ("Physics", "Physics"),
        ("My degree was in Applied Mathematics and I loved it", "Applied Mathematics"),
        ("It was a long time ago and I barely remember the lectures.", None),
    ],
)
def test_field_of_study(answer: str, value: str | None) -> None:
    found = read(Gap.DEGREE_FIELD, answer, institution="Leeds")
    assert [f["field_of_study"] for f in found] == ([value] if value else [])


def test_certification_issuer_issue_and_expiry() -> None:
    (found,) = read(
        Gap.CERT_DETAILS,
        "It was issued by Amazon Web Services in May 2024 and it expires in June 2027.",
        name="Solutions Architect",
    )
    assert found["issuing_organization"] == "Amazon Web Services"
    assert found["expiration_date"] == "2027-06"
    assert found["said"]["expiration_date"] == ["June 2027"]


def test_a_job_in_a_gap_needs_a_title_and_an_employer() -> None:
    (found,) = read(
        Gap.JOB_GAP, "I worked as a consultant for Bluebird Labs from April 2019 to December 2019."
    )
    assert (found["title"], found["company"]) == ("consultant", "Bluebird Labs")
    assert (found["start_date"], found["end_date"]) == ("2019-04", "2019-12")
    assert read(Gap.JOB_GAP, "I travelled around South America and looked after my dad.") == []


@pytest.mark.parametrize(
    "answer", ["no", "Skip", "I don't remember", "not sure.", "Not really, sorry.", "  "]
)
def test_declining_answers_yield_nothing(answer: str) -> None:
    assert declines(answer)
    assert read(Gap.WORK_ACHIEVEMENTS, answer, title="Engineer", company="Acme") == []


def test_known_skills_are_found_by_the_resume_vocabulary() -> None:
    assert [name for name, _ in skills_named("Mostly golang, k8s and apache airflow.")] == [
        "Go",
        "Kubernetes",
        "Airflow",
    ]


def entry(**fields: Any) -> Entry:
    return Entry(uuid.uuid4(), fields)


def test_job_gaps_are_certain_stretches_of_more_than_six_months() -> None:
    first = entry(title="A", company="X", start_date="2015-01", end_date="2016-12")
    second = entry(title="B", company="Y", start_date="2017-03", end_date="2018")
    third = entry(title="C", company="Z", start_date="2019-09")
    overlapping = entry(title="D", company="W", start_date="2018-06", end_date="2019-08")
    assert job_gaps([first, second, third]) == [(second, third)]
    assert job_gaps([first, second, third, overlapping]) == []
    # A bare year counts as its last month for an end: 2018 → 2019-09 is a gap of 8 months.
    assert job_gaps([second, third]) == [(second, third)]


def test_the_plan_follows_the_session_type() -> None:
    current = entry(title="Lead", company="Acme", start_date="2020-01", description="x")
    undated = entry(title="Intern", company="Initech")
    snapshot = Snapshot(
        jobs=[current, undated],
        skills=[entry(name="Go"), entry(name="SQL", years_of_experience=4, context="x")],
        degrees=[entry(institution="Leeds", field_of_study="Physics")],
    )
    overview = plan(snapshot, SessionType.CAREER_OVERVIEW)
    assert [t.gap for t in overview] == [
        Gap.WORK_DATES,  # the intern job, undated (the current one's empty end is fine)
        Gap.WORK_ACHIEVEMENTS,
        Gap.SKILL_YEARS,  # Go: everything
        Gap.SKILL_CONTEXT,  # SQL: only its level is missing, asked once
    ]
    assert overview[0].fields == {"title": "Intern", "company": "Initech"}
    deep = plan(snapshot, SessionType.ROLE_DEEP_DIVE, job_id=current.logical_entity_id)
    assert [t.gap for t in deep] == [Gap.WORK_ACHIEVEMENTS, Gap.WORK_SCOPE, Gap.WORK_TOOLS]
    assert all(t.logical_entity_id == current.logical_entity_id for t in deep)
    skills = plan(snapshot, SessionType.SKILLS_ASSESSMENT)
    assert [t.label for t in skills] == ["Go", "SQL"]
    assert skills[0].questions[1] == "Where did you use Go: in which job or project, and for what?"
    assert len(skills[1].questions) == 1  # SQL: only its level is missing
    assert plan(Snapshot(), SessionType.CAREER_OVERVIEW)[0].gap == Gap.OPEN

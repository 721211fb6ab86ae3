"""Scripted offline interviews of each type, from a profile with known gaps to the merge
decisions they produce: the gap is filled, nothing is invented, evidence is the answer's."""

from __future__ import annotations

from typing import Any

import pytest

from careeros.db.rls import user_context
from careeros.db.versioning import Source
from interviews import services
from interviews.models import InterviewSession, SessionStatus, SessionType
from interviews.transcripts import transcript_turns
from merges.models import DecisionType, MergeDecision
from merges.services import merge_decision_apply
from profiles.models import Skill, User, WorkExperience
from profiles.services import entity_create
from tests.interviews.profiles import GappyProfile, Interviewee, about, decisions_of, gappy_profile

pytestmark = pytest.mark.django_db


def run(
    user: User, session_type: SessionType, interviewee: Interviewee, **kw: Any
) -> InterviewSession:
    """The whole interview through the services the web and the terminal use."""
    session = services.interview_session_start(user=user, session_type=session_type, **kw)
    question = transcript_turns(session=session)[-1].text
    while question is not None:
        step = services.interview_answer(
            user=user, session_id=session.pk, text=interviewee.answer(question)
        )
        question = step.question
    with user_context(user.pk):
        return InterviewSession.objects.get(pk=session.pk)


def cards(user: User) -> list[MergeDecision]:
    """The suggestions the review screen shows (what folded into another card left out)."""
    with user_context(user.pk):
        return list(MergeDecision.objects.for_user(user).pending().order_by("created_at"))


def value(decision: MergeDecision, name: str) -> Any:
    return decision.proposed.fields()[name]


def assert_nothing_invented(
    decisions: list[MergeDecision], profile: GappyProfile, interviewee: Interviewee
) -> None:
    """Every value a decision proposes is the profile's own or has evidence, and every piece
    of evidence is text of an answer the person gave."""
    known = {
        e.logical_entity_id: e.content()
        for e in (profile.intern, profile.backend, profile.data, profile.go, profile.python)
    } | {e.logical_entity_id: e.content() for e in (profile.degree, profile.cert)}
    for decision in decisions:
        assert decision.source_type == Source.INTERVIEW
        own = known.get(decision.target_entity_id, {}) if decision.target_entity_id else {}
        for name, said in decision.proposed.fields().items():
            if said in (None, "", []) or own.get(name) == said:
                continue
            if name == "context" and said in {str(profile.data), str(profile.backend)}:
                # A skill named while talking about a job: that job, as the profile names it.
                continue
            snippets = decision.evidence.get(name)
            assert snippets, f"{name}={said!r} of {decision.proposed.label()} has no evidence"
            for snip in snippets:
                assert any(snip["text"] in answer for answer in interviewee.given), snip


def test_career_overview_fills_dates_gaps_fields_and_expiry(user: User) -> None:
    profile = gappy_profile(user)
    interviewee = Interviewee(
        [
            (("start and finish", "Software Intern"), "From June 2014 to August 2015."),
            (("proudest", "Software Intern"), "I'd rather not"),
            (
                ("proudest", "Backend Engineer"),
                "I led a team of five and cut the release time from two days to an hour.",
            ),
            (("put a number",), "no"),
            (
                ("between leaving",),
                "I worked as a consultant for Bluebird Labs from March 2019 to mid 2019.",
            ),
            (("proudest", "Data Engineer"), "skip"),
            (("what did you study",), "I studied Computer Science."),
            (
                ("Solutions Architect",),
                "I passed it in May 2024 and it expires in June 2027.",
            ),
            (("years", "Go"), "About three years of Go, mostly building billing services."),
            (("where did you use Go",), "At Acme"),
            (("Python",), "Intermediate, at Globex for the data pipelines."),
        ]
    )
    session = run(user, SessionType.CAREER_OVERVIEW, interviewee)
    assert session.status == SessionStatus.COMPLETED
    decisions = decisions_of(user)
    assert_nothing_invented(decisions, profile, interviewee)

    (intern,) = about(decisions, profile.intern)
    assert intern.decision_type == DecisionType.MERGE
    assert (value(intern, "start_date"), value(intern, "end_date")) == ("2014-06", "2015-08")
    assert intern.evidence["start_date"][0]["text"] == "June 2014 to August 2015"
    (backend,) = about(decisions, profile.backend)
    assert value(backend, "description") == (
        "I led a team of five and cut the release time from two days to an hour."
    )
    assert about(decisions, profile.data) == []  # skipped: nothing proposed
    (degree,) = about(decisions, profile.degree)
    assert value(degree, "field_of_study") == "Computer Science"
    (cert,) = about(decisions, profile.cert)
    assert value(cert, "expiration_date") == "2027-06"
    assert value(cert, "issue_date") == "2024-05"
    assert cert.evidence["expiration_date"][0]["text"] == "June 2027"
    (go,) = about(decisions, profile.go)
    assert value(go, "years_of_experience") == 3
    assert value(go, "context") == "mostly building billing services"
    (python,) = about(decisions, profile.python)
    assert value(python, "proficiency_level") == "intermediate"
    assert value(python, "years_of_experience") is None  # not asked, not said
    (gap_job,) = [d for d in decisions if d.decision_type == DecisionType.KEEP_SEPARATE]
    assert value(gap_job, "company") == "Bluebird Labs"
    assert value(gap_job, "title") == "consultant"
    assert (value(gap_job, "start_date"), value(gap_job, "end_date")) == ("2019-03", "2019")

    # Applied, the gap is filled in the profile, with the interview as its source.
    with user_context(user.pk):
        merge_decision_apply(user=user, decision_id=intern.pk)
        job = (
            WorkExperience.objects.for_user(user)
            .current()
            .get(logical_entity_id=profile.intern.logical_entity_id)
        )
    assert (job.start_date, job.end_date, job.source) == ("2014-06", "2015-08", Source.INTERVIEW)


def test_role_deep_dive_asks_about_one_job_in_depth(user: User) -> None:
    profile = gappy_profile(user)
    interviewee = Interviewee(
        [
            (("proudest",), "I led a team of five engineers and moved billing off the mainframe."),
            (("put a number",), "It saved about 200k a year in licences."),
            (("responsible for",), "I owned the ingestion platform end to end."),
            (
                ("languages, tools",),
                "Mostly Python and Airflow, and about two years of Kubernetes.",
            ),
        ]
    )
    session = run(
        user,
        SessionType.ROLE_DEEP_DIVE,
        interviewee,
        job_id=profile.data.logical_entity_id,
    )
    assert all("Data Engineer at Globex" in q for q in interviewee.questions[:1])
    assert not any("Acme" in q or "Initech" in q for q in interviewee.questions)
    assert session.status == SessionStatus.COMPLETED
    decisions = decisions_of(user)
    assert_nothing_invented(decisions, profile, interviewee)
    # The achievement, its follow-up and the scope are one card for the job, not one a topic.
    (job,) = about(cards(user), profile.data)
    assert value(job, "description") == (
        "I led a team of five engineers and moved billing off the mainframe. "
        "It saved about 200k a year in licences. I owned the ingestion platform end to end."
    )
    assert {s["text"] for s in job.evidence["description"]} >= {
        "I owned the ingestion platform end to end."
    }
    skills = {value(d, "name"): d for d in decisions if d.entity_type == "skill"}
    assert set(skills) == {"Python", "Airflow", "Kubernetes"}
    assert value(skills["Kubernetes"], "years_of_experience") == 2
    assert skills["Kubernetes"].evidence["years_of_experience"][0]["text"] == (
        "two years of Kubernetes"
    )
    assert value(skills["Airflow"], "years_of_experience") is None
    assert skills["Python"].target_entity_id == profile.python.logical_entity_id


def test_a_second_interview_about_a_job_joins_its_waiting_card(user: User) -> None:
    """A job with a suggestion still waiting for review: a later interview about it adds to
    that card (with the interview among its sources) instead of raising a second one."""
    profile = gappy_profile(user)
    first = Interviewee([(("proudest",), "I moved billing off the mainframe.")])
    earlier = run(user, SessionType.ROLE_DEEP_DIVE, first, job_id=profile.data.logical_entity_id)
    second = Interviewee([(("responsible for",), "I owned the ingestion platform.")])
    later = run(user, SessionType.ROLE_DEEP_DIVE, second, job_id=profile.data.logical_entity_id)

    (job,) = about(cards(user), profile.data)
    assert job.source_group_id == earlier.pk
    assert value(job, "description") == (
        "I moved billing off the mainframe. I owned the ingestion platform."
    )
    assert [source["url"] for source in job.also_in] == [f"/interviews/{later.pk}/"]
    with user_context(user.pk):
        merge_decision_apply(user=user, decision_id=job.pk)
        current = (
            WorkExperience.objects.for_user(user)
            .current()
            .get(logical_entity_id=profile.data.logical_entity_id)
        )
    assert current.description == job.proposed.fields()["description"]
    # The later interview's own suggestion settled with the card it joined.
    folded = [d for d in decisions_of(user) if d.folded_into_id == job.pk]
    assert [d.status for d in folded] == ["applied"]


def test_role_deep_dive_needs_one_of_the_users_jobs(user: User, other_user: User) -> None:
    theirs = gappy_profile(other_user)
    with pytest.raises(services.InterviewError, match="Choose one of your jobs"):
        services.interview_session_start(
            user=user,
            session_type=SessionType.ROLE_DEEP_DIVE,
            job_id=theirs.data.logical_entity_id,
        )


def test_skills_assessment_asks_level_years_and_where(user: User) -> None:
    profile = gappy_profile(user)
    interviewee = Interviewee(
        [
            (
                ("years", "Go"),
                "About three years of Go, mostly building billing services at Acme. "
                "I'd say advanced.",
            ),
            (("years", "Python"), "I don't know"),
        ]
    )
    run(user, SessionType.SKILLS_ASSESSMENT, interviewee)
    # Go answered everything in one go: no follow-up about where.
    assert not any("where did you use go" in q.lower() for q in interviewee.questions)
    decisions = decisions_of(user)
    assert_nothing_invented(decisions, profile, interviewee)
    (go,) = about(decisions, profile.go)
    assert go.proposed.fields() == {
        "name": "Go",
        "category": None,
        "proficiency_level": "advanced",
        "years_of_experience": 3,
        "context": "mostly building billing services at Acme",
    }
    assert about(decisions, profile.python) == []  # declined: nothing


def test_an_answer_that_says_nothing_new_proposes_nothing(user: User) -> None:
    gappy_profile(user)
    session = services.interview_session_start(
        user=user, session_type=SessionType.SKILLS_ASSESSMENT
    )
    step = services.interview_answer(
        user=user, session_id=session.pk, text="Honestly it has been a while, hard to say."
    )
    assert step.findings == []
    assert step.question is not None  # the follow-up about where
    services.interview_session_end(user=user, session_id=session.pk)
    assert decisions_of(user) == []


def test_done_ends_the_interview_and_keeps_what_was_learned(user: User) -> None:
    profile = gappy_profile(user)
    session = services.interview_session_start(
        user=user, session_type=SessionType.SKILLS_ASSESSMENT
    )
    services.interview_answer(user=user, session_id=session.pk, text="Four years of Go.")
    step = services.interview_answer(user=user, session_id=session.pk, text="done")
    assert step.question is None
    assert step.session.status == SessionStatus.COMPLETED
    (go,) = about(decisions_of(user), profile.go)
    assert value(go, "years_of_experience") == 4
    with pytest.raises(services.InterviewError, match="has ended"):
        services.interview_answer(user=user, session_id=session.pk, text="More")


def test_a_profile_without_gaps_gets_an_open_question(user: User) -> None:
    with user_context(user.pk):
        entity_create(
            model=Skill,
            user=user,
            fields={
                "name": "Go",
                "years_of_experience": 3,
                "proficiency_level": "expert",
                "context": "x",
            },
        )
    session = services.interview_session_start(
        user=user, session_type=SessionType.SKILLS_ASSESSMENT
    )
    assert [t.label for t in session.config.plan] == ["Anything else"]

"""manage.py interview: questions on stdout, one answer a line on stdin, the decisions at
the end; the same sessions, transcripts and merge review as the web."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from careeros.db.rls import user_context
from interviews.models import InterviewSession, SessionStatus
from interviews.transcripts import transcript_turns
from profiles.models import User
from tests.interviews.profiles import about, decisions_of, gappy_profile

# The commands look the address up through the system login (committed rows only).
pytestmark = pytest.mark.django_db(transaction=True)


def interview(user: User, stdin: str, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("interview", "--user", user.email, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_skills_assessment_from_stdin_to_merge_decisions(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = gappy_profile(user)
    answers = (
        "About three years of Go, mostly building billing services at Acme. I'd say advanced.\n"
        "Intermediate, and I used it at Globex for the data pipelines.\n"
    )
    out = interview(user, answers, monkeypatch, "--type", "skills_assessment")
    lines = out.splitlines()
    assert lines[0].startswith("How many years have you worked with Go")
    assert "  learned: Go: 3 years, advanced, used: “mostly building billing services at Acme”" in (
        lines
    )
    assert "merge decision(s)." in out
    (go,) = about(decisions_of(user), profile.go)
    assert f"“{go.proposed.label()}”" in out
    with user_context(user.pk):
        session = InterviewSession.objects.get()
    assert session.status == SessionStatus.COMPLETED
    turns = transcript_turns(session=session)
    assert [t.speaker for t in turns[:2]] == ["assistant", "user"]
    assert turns[1].text == answers.splitlines()[0]


def test_done_stops_and_end_of_input_stops(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    gappy_profile(user)
    out = interview(
        user, "Four years of Go.\ndone\nnever read\n", monkeypatch, "--type", "skills_assessment"
    )
    assert "never read" not in out
    assert "Go: 4 years" in out
    out = interview(user, "", monkeypatch, "--type", "career_overview")
    assert "0 merge decision(s)." in out


def test_a_role_deep_dive_picks_the_job_by_its_words(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    gappy_profile(user)
    out = interview(user, "", monkeypatch, "--type", "role_deep_dive", "--job", "globex")
    assert "Data Engineer at Globex" in out.splitlines()[0]
    # Without --job, the latest job by start date (a job without dates is not "latest").
    out = interview(user, "", monkeypatch, "--type", "role_deep_dive")
    assert "Data Engineer at Globex" in out.splitlines()[0]
    with pytest.raises(CommandError, match="No job of theirs matches"):
        interview(user, "", monkeypatch, "--type", "role_deep_dive", "--job", "nasa")


def test_an_unknown_user_is_an_error(monkeypatch: pytest.MonkeyPatch, db: None) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="No user"):
        call_command("interview", "--user", "nobody@example.com", "--type", "career_overview")

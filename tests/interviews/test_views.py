"""The interview pages: start from the dashboard, the HTMX chat, pause, resume, end and the
summary, delete; a second user gets 404 for all of it and sees none of it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from careeros.db.rls import user_context
from careeros.vault.models import EncryptedData
from interviews.models import InterviewSession, InterviewTranscript, SessionStatus
from profiles.models import User
from tests.interviews.profiles import decisions_of, gappy_profile

pytestmark = pytest.mark.django_db

SECRET_ANSWER = "About three years of Go, mostly building billing services at Acme."


@pytest.fixture
def other_client(other_user: User) -> Client:
    client = Client()
    client.force_login(other_user)
    return client


def session_of(user: User) -> InterviewSession:
    with user_context(user.pk):
        return InterviewSession.objects.get()


def test_the_dashboard_card_starts_an_interview_and_the_chat_runs_over_htmx(
    signed_in: Client, user: User
) -> None:
    gappy_profile(user)
    dashboard = signed_in.get(reverse("dashboard"))
    assert reverse("interview_dashboard_card_hx") in dashboard.content.decode()
    card = signed_in.get(reverse("interview_dashboard_card_hx"), headers={"HX-Request": "true"})
    assert card.status_code == 200
    assert reverse("interview_start") in card.content.decode()
    assert "Role deep dive" in card.content.decode()

    response = signed_in.post(reverse("interview_start"), {"session_type": "skills_assessment"})
    assert response.status_code == 302
    session = session_of(user)
    page = signed_in.get(response["Location"])
    assert "How many years have you worked with Go" in page.content.decode()
    assert "0 of 2 done" in page.content.decode()

    chat = signed_in.post(
        reverse("interview_answer_hx", args=[session.pk]),
        {"answer": SECRET_ANSWER},
        headers={"HX-Request": "true"},
    )
    body = chat.content.decode()
    assert chat.status_code == 200
    assert 'id="chat"' in body
    assert "<html" not in body
    assert SECRET_ANSWER in body  # read back by its owner
    assert "Learned: Go: 3 years" in body
    assert "1 of 2 done" in body
    assert "How many years have you worked with Python" in body

    empty = signed_in.post(
        reverse("interview_answer_hx", args=[session.pk]),
        {"answer": "  "},
        headers={"HX-Request": "true"},
    )
    assert empty.status_code == 422
    assert "Type an answer" in empty.content.decode()


def test_without_javascript_the_answer_form_posts_and_comes_back(
    signed_in: Client, user: User
) -> None:
    gappy_profile(user)
    signed_in.post(reverse("interview_start"), {"session_type": "skills_assessment"})
    session = session_of(user)
    url = reverse("interview_answer_hx", args=[session.pk])
    page = signed_in.get(reverse("interview_session", args=[session.pk])).content.decode()
    assert f'action="{url}"' in page
    response = signed_in.post(url, {"answer": SECRET_ANSWER})
    assert response.status_code == 302
    assert response["Location"] == reverse("interview_session", args=[session.pk])
    assert SECRET_ANSWER in signed_in.get(response["Location"]).content.decode()
    page = signed_in.post(url, {"answer": ""}, follow=True).content.decode()
    assert "Type an answer" in page


def test_pause_resume_end_shows_what_was_learned_and_links_to_review(
    signed_in: Client, user: User
) -> None:
    gappy_profile(user)
    signed_in.post(reverse("interview_start"), {"session_type": "skills_assessment"})
    session = session_of(user)
    signed_in.post(
        reverse("interview_answer_hx", args=[session.pk]), {"answer": "Four years of Go."}
    )
    page = signed_in.post(reverse("interview_pause", args=[session.pk]), follow=True)
    assert "Paused" in page.content.decode()
    assert session_of(user).config.paused
    assert ">Resume<" in page.content.decode()
    signed_in.post(reverse("interview_resume", args=[session.pk]))
    assert not session_of(user).config.paused
    summary = signed_in.post(reverse("interview_end", args=[session.pk]), follow=True)
    text = summary.content.decode()
    assert session_of(user).status == SessionStatus.COMPLETED
    assert "What was learned" in text
    assert "Go: 4 years" in text
    assert reverse("merge_review") in text
    (decision,) = decisions_of(user)
    review = signed_in.get(reverse("merge_review")).content.decode()
    assert "Skills assessment interview" in review
    assert decision.proposed.label() in review


def test_a_role_deep_dive_needs_a_job_and_says_so(signed_in: Client, user: User) -> None:
    gappy_profile(user)
    page = signed_in.post(
        reverse("interview_start"), {"session_type": "role_deep_dive"}, follow=True
    )
    assert "Choose the job the deep dive is about." in page.content.decode()
    page = signed_in.post(
        reverse("interview_start"), {"session_type": "job_interview"}, follow=True
    )
    assert "Choose a career overview" in page.content.decode()


def test_a_second_user_gets_404_everywhere_and_sees_nothing(
    signed_in: Client, other_client: Client, user: User, other_user: User
) -> None:
    gappy_profile(user)
    signed_in.post(reverse("interview_start"), {"session_type": "skills_assessment"})
    session = session_of(user)
    signed_in.post(reverse("interview_answer_hx", args=[session.pk]), {"answer": SECRET_ANSWER})
    turns_before = _turn_count(user)
    for name, method in [
        ("interview_session", "get"),
        ("interview_chat_hx", "get"),
        ("interview_answer_hx", "post"),
        ("interview_pause", "post"),
        ("interview_resume", "post"),
        ("interview_end", "post"),
        ("interview_delete", "post"),
        ("interview_voice_secret", "post"),
        ("interview_voice_transcript", "post"),
    ]:
        url = reverse(name, args=[session.pk])
        response = getattr(other_client, method)(
            url, {"answer": "hijack"} if method == "post" else None, headers={"HX-Request": "true"}
        )
        assert response.status_code == 404, name
        assert SECRET_ANSWER not in response.content.decode()
    for name in ["interview_index", "interview_dashboard_card_hx"]:
        body = other_client.get(reverse(name)).content.decode()
        assert str(session.pk) not in body
        assert "No interviews yet" in body
    # Nothing changed for the owner.
    after = session_of(user)
    assert after.status == SessionStatus.ACTIVE
    assert not after.config.paused
    assert _turn_count(user) == turns_before
    with user_context(other_user.pk):
        assert InterviewSession.objects.count() == 0
        assert InterviewTranscript.objects.count() == 0


def _turn_count(user: User) -> int:
    with user_context(user.pk):
        return InterviewTranscript.objects.count()


def test_delete_removes_the_session_its_turns_and_their_ciphertexts(
    signed_in: Client, user: User
) -> None:
    gappy_profile(user)
    signed_in.post(reverse("interview_start"), {"session_type": "skills_assessment"})
    session = session_of(user)
    signed_in.post(reverse("interview_answer_hx", args=[session.pk]), {"answer": SECRET_ANSWER})
    with user_context(user.pk):
        assert EncryptedData.objects.count() == 3  # question, answer, next question
    response = signed_in.post(reverse("interview_delete", args=[session.pk]))
    assert response.status_code == 302
    with user_context(user.pk):
        assert InterviewSession.objects.count() == 0
        assert InterviewTranscript.objects.count() == 0
        assert EncryptedData.objects.count() == 0
    assert signed_in.get(reverse("interview_session", args=[session.pk])).status_code == 404


def test_voice_is_not_offered_without_a_key(signed_in: Client, user: User, settings) -> None:
    settings.OPENAI_API_KEY = ""
    gappy_profile(user)
    signed_in.post(reverse("interview_start"), {"session_type": "skills_assessment"})
    session = session_of(user)
    page = signed_in.get(reverse("interview_session", args=[session.pk])).content.decode()
    assert "Talk instead" not in page
    assert "interview-voice.js" not in page
    response = signed_in.post(reverse("interview_voice_secret", args=[session.pk]))
    assert response.status_code == 404
    assert "needs an OpenAI API key" in response.json()["error"]

"""With an OpenAI key, against a local OpenAI-compatible server: the Realtime client secret
minted server-side, the browser's transcript events stored and read like typed answers;
the model's questions and its grounded reading of answers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from careeros.db.rls import user_context
from interviews import services
from interviews.models import InterviewSession, SessionType, Speaker
from interviews.transcripts import transcript_turns
from profiles.models import User
from tests.interviews.conftest import FakeOpenAI, completion
from tests.interviews.profiles import about, decisions_of, gappy_profile
from tests.interviews.test_partitions import assert_nowhere_in_database

pytestmark = pytest.mark.django_db

SECRET_PATH = "/v1/realtime/client_secrets"
CHAT_PATH = "/v1/chat/completions"


def started(client: Client, user: User) -> InterviewSession:
    client.post(reverse("interview_start"), {"session_type": "skills_assessment"})
    with user_context(user.pk):
        return InterviewSession.objects.get()


def post_event(client: Client, session: InterviewSession, event: dict[str, Any]) -> Any:
    return client.post(
        reverse("interview_voice_transcript", args=[session.pk]),
        data=json.dumps(event),
        content_type="application/json",
    )


def test_the_server_mints_an_ephemeral_secret_and_keeps_the_key(
    signed_in: Client, user: User, openai_server: FakeOpenAI
) -> None:
    gappy_profile(user)
    session = started(signed_in, user)
    page = signed_in.get(reverse("interview_session", args=[session.pk])).content.decode()
    assert "Talk instead" in page
    openai_server.reply(
        SECRET_PATH,
        {
            "value": "ek_test_123",
            "expires_at": 1_900_000_000,
            "session": {"type": "realtime", "id": "sess_abc", "object": "realtime.session"},
        },
    )
    response = signed_in.post(reverse("interview_voice_secret", args=[session.pk]))
    assert response.status_code == 200
    assert response.json() == {
        "client_secret": "ek_test_123",
        "expires_at": 1_900_000_000,
        "calls_url": f"{openai_server.url}/realtime/calls",
        "model": django_settings.OPENAI_REALTIME_MODEL,
    }
    assert "sk-test-server-side-only" not in response.content.decode()
    (request,) = openai_server.requests
    assert request["path"] == SECRET_PATH
    assert request["authorization"] == "Bearer sk-test-server-side-only"
    body = request["body"]
    assert body["expires_after"] == {"anchor": "created_at", "seconds": 120}
    assert body["session"]["type"] == "realtime"
    assert body["session"]["model"] == django_settings.OPENAI_REALTIME_MODEL
    assert "How many years have you worked with Go" in body["session"]["instructions"]
    assert body["session"]["audio"]["input"]["transcription"]["model"]
    with user_context(user.pk):
        session.refresh_from_db()
    assert session.openai_session_id == "sess_abc"
    assert session.config.voice


def test_a_refused_secret_is_a_clear_error(
    signed_in: Client, user: User, openai_server: FakeOpenAI
) -> None:
    gappy_profile(user)
    session = started(signed_in, user)
    response = signed_in.post(reverse("interview_voice_secret", args=[session.pk]))
    assert response.status_code == 502
    assert "Voice could not start" in response.json()["error"]
    assert "Type your answers instead" in response.json()["error"]


@pytest.mark.django_db(transaction=True)
def test_transcript_events_are_stored_encrypted_and_read_like_answers(
    signed_in: Client, user: User, openai_server: FakeOpenAI
) -> None:
    profile = gappy_profile(user)
    session = started(signed_in, user)
    spoken = "About three years of Go, mostly building billing services at Acme."
    heard = "Thanks! And how long have you been using Python, would you say?"
    result = post_event(
        signed_in,
        session,
        {
            "type": "conversation.item.input_audio_transcription.completed",
            "item_id": "item_1",
            "transcript": spoken,
        },
    )
    assert result.status_code == 200
    data = result.json()
    assert data["learned"] == ["Go: 3 years, used: “mostly building billing services at Acme”"]
    assert data["next_question"].startswith("How many years have you worked with Python")
    again = post_event(
        signed_in,
        session,
        {
            "type": "conversation.item.input_audio_transcription.completed",
            "item_id": "item_1",
            "transcript": spoken,
        },
    )
    assert again.json() == {"stored": False, "duplicate": True}
    model = post_event(
        signed_in,
        session,
        {
            "type": "response.output_audio_transcript.done",
            "response_id": "resp_1",
            "transcript": heard,
        },
    )
    assert model.json() == {"stored": True, "speaker": "assistant"}
    turns = transcript_turns(session=session)
    # The typed first question, the spoken answer, the model's spoken question: the planned
    # follow-up was handed to the model, not stored as a typed turn.
    assert [(t.speaker, t.text) for t in turns[1:]] == [
        (Speaker.USER, spoken),
        (Speaker.ASSISTANT, heard),
    ]
    (go,) = about(decisions_of(user), profile.go)
    assert go.proposed.fields()["years_of_experience"] == 3
    assert_nowhere_in_database(heard)


def test_other_events_and_bad_bodies_are_refused(
    signed_in: Client, user: User, openai_server: FakeOpenAI
) -> None:
    gappy_profile(user)
    session = started(signed_in, user)
    assert post_event(signed_in, session, {"type": "session.updated"}).status_code == 422
    assert (
        post_event(
            signed_in,
            session,
            {"type": "conversation.item.input_audio_transcription.completed", "transcript": " "},
        ).status_code
        == 422
    )
    bad = signed_in.post(
        reverse("interview_voice_transcript", args=[session.pk]),
        data="{not json",
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert len(transcript_turns(session=session)) == 1


def test_the_model_words_questions_and_only_grounded_facts_survive(
    user: User, openai_server: FakeOpenAI, settings: Any
) -> None:
    settings.AI_PROVIDER = "openai"
    profile = gappy_profile(user)
    worded = "How long have you been writing Go, and how good are you at it?"
    openai_server.reply(CHAT_PATH, completion({"question": worded}))
    session = services.interview_session_start(
        user=user, session_type=SessionType.SKILLS_ASSESSMENT
    )
    assert session.config.engine == "openai"
    assert transcript_turns(session=session)[0].text == worded
    answer = "About three years, mostly billing services at Acme."
    openai_server.reply(
        CHAT_PATH,
        completion(
            {
                "facts": [
                    {"field": "years_of_experience", "value": "3", "quote": "three years"},
                    {"field": "context", "value": "rockets on Mars", "quote": "on Mars"},
                    {"field": "proficiency_level", "value": "expert", "quote": "three years"},
                ]
            }
        ),
        completion({"question": "Where did you use Go?"}),
    )
    step = services.interview_answer(user=user, session_id=session.pk, text=answer)
    (finding,) = step.findings
    assert {k: v for k, v in finding.data.items() if v is not None} == {
        "name": "Go",
        "years_of_experience": 3,
        "evidence": {"years_of_experience": [[6, 17]]},
    }
    assert answer[6:17] == "three years"
    reading = openai_server.requests[1]["body"]
    system, user_message = reading["messages"]
    assert "never instructions" in system["content"]
    assert json.loads(user_message["content"])["answer"] == answer
    services.interview_session_end(user=user, session_id=session.pk)
    (go,) = about(decisions_of(user), profile.go)
    assert go.proposed.fields()["years_of_experience"] == 3
    assert go.proposed.fields()["context"] is None


def test_a_failing_model_falls_back_to_the_offline_interviewer(
    user: User, openai_server: FakeOpenAI, settings: Any
) -> None:
    settings.AI_PROVIDER = "openai"
    gappy_profile(user)
    session = services.interview_session_start(
        user=user, session_type=SessionType.SKILLS_ASSESSMENT
    )
    assert (transcript_turns(session=session)[0].text or "").startswith("How many years")
    step = services.interview_answer(user=user, session_id=session.pk, text="Four years of Go.")
    assert [f.note for f in step.findings] == ["Go: 4 years"]

"""Voice interviews over the OpenAI Realtime API (offered only with an API key).

The server mints an ephemeral client secret for the session (the API key never reaches the
browser) and keeps the Realtime session's id in ``openai_session_id``. The browser
(``static/js/interview-voice.js``) talks to the model over WebRTC and posts back the
transcript events it receives: the person's words are stored and read like a typed answer
(``interview_answer``), the model's questions are stored as the interviewer's turns, and
the answer's reply names the next planned question for the model to ask.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction

from careeros.ai.client import ChatClient
from careeros.db.rls import user_context
from interviews.models import InterviewSession, Speaker
from interviews.services import (
    MAX_ANSWER_CHARS,
    SYSTEM_PROMPT,
    InterviewError,
    interview_answer,
)
from interviews.transcripts import transcript_turn_add

# Seconds a minted secret may start a session (the session itself may run longer).
SECRET_SECONDS = 120
USER_TRANSCRIPT = "conversation.item.input_audio_transcription.completed"
MODEL_TRANSCRIPTS = frozenset(
    {"response.output_audio_transcript.done", "response.audio_transcript.done"}
)
# Item ids remembered per session, so a re-posted event is stored once.
SEEN_ITEMS = 500
DEFAULT_BASE_URL = "https://api.openai.com/v1"


def voice_available() -> bool:
    """Voice is offered only when the server holds an OpenAI API key."""
    return bool(settings.OPENAI_API_KEY)


def realtime_calls_url() -> str:
    """Where the browser sends its WebRTC offer (with the ephemeral secret)."""
    return (settings.OPENAI_BASE_URL or DEFAULT_BASE_URL).rstrip("/") + "/realtime/calls"


def instructions(session: InterviewSession) -> str:
    config = session.config
    topic = config.topic
    first = topic.questions[max(topic.asked - 1, 0)] if topic else ""
    return (
        f"{SYSTEM_PROMPT} Speak English, briefly and warmly. Ask exactly the question you "
        f"are given, then wait for the answer. Start with: “{first}” After each answer you "
        "will be told the next question; when told the interview is over, thank the person "
        "and stop."
    )


def voice_session_mint(*, user: Any, session_id: UUID | str) -> dict[str, Any]:
    """An ephemeral Realtime client secret for this interview, with where to connect."""
    with user_context(user.pk):
        session = InterviewSession.objects.for_user(user).get(pk=session_id)
    if not session.is_active:
        raise InterviewError("This interview has ended.")
    client = ChatClient.from_settings()
    try:
        secret = client.realtime_client_secret(
            session={
                "type": "realtime",
                "model": settings.OPENAI_REALTIME_MODEL,
                "instructions": instructions(session),
                "audio": {"input": {"transcription": {"model": settings.OPENAI_TRANSCRIBE_MODEL}}},
            },
            expires_seconds=SECRET_SECONDS,
        )
    finally:
        client.close()
    with transaction.atomic(), user_context(user.pk):
        locked = InterviewSession.objects.for_user(user).select_for_update().get(pk=session_id)
        locked.openai_session_id = secret.session_id
        config = locked.config
        config.voice = True
        locked.config = config
        locked.save(update_fields=["openai_session_id", "session_config", "updated_at"])
    return {
        "client_secret": secret.value,
        "expires_at": secret.expires_at,
        "calls_url": realtime_calls_url(),
        "model": settings.OPENAI_REALTIME_MODEL,
    }


def voice_event_ingest(
    *, user: Any, session_id: UUID | str, event: dict[str, Any]
) -> dict[str, Any]:
    """Store one transcript event of the browser's Realtime session.

    The person's transcribed words go through ``interview_answer`` (stored encrypted, read,
    proposed like typed answers) without a typed question turn: the model speaks it, and
    its own transcript arrives as the interviewer's turn.
    """
    kind = event.get("type") if isinstance(event, dict) else None
    text = event.get("transcript") if isinstance(event, dict) else None
    if kind != USER_TRANSCRIPT and kind not in MODEL_TRANSCRIPTS:
        raise InterviewError("Only transcript events are taken.")
    if not isinstance(text, str) or not text.strip():
        raise InterviewError("The event has no transcript.")
    if len(text) > MAX_ANSWER_CHARS:
        raise InterviewError("The transcript is too long.")
    item = str(event.get("item_id") or event.get("response_id") or event.get("event_id") or "")
    with transaction.atomic(), user_context(user.pk):
        session = InterviewSession.objects.for_user(user).select_for_update().get(pk=session_id)
        if not session.is_active:
            raise InterviewError("This interview has ended.")
        config = session.config
        key = f"{kind}:{item}"
        if item and key in config.voice_items:
            return {"stored": False, "duplicate": True}
        if item:
            config.voice_items = [*config.voice_items, key][-SEEN_ITEMS:]
            session.config = config
            session.save(update_fields=["session_config"])
        if kind in MODEL_TRANSCRIPTS:
            transcript_turn_add(session=session, speaker=Speaker.ASSISTANT, text=text.strip())
            return {"stored": True, "speaker": Speaker.ASSISTANT}
        step = interview_answer(user=user, session_id=session.pk, text=text, ask=False)
    return {
        "stored": True,
        "speaker": Speaker.USER,
        "learned": [finding.note for finding in step.findings],
        "next_question": step.question,
        "done": not step.session.is_active,
    }

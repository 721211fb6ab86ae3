"""Interview pages: start one, the chat, pause and resume, end and its summary, delete;
the dashboard card; the voice endpoints.

Every view reads sessions through ``InterviewSession.objects.for_user`` (and row level
security), so another user's session is a 404.
"""

from __future__ import annotations

import json
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careeros.ai.errors import ProviderError
from interviews import services, voice
from interviews.models import InterviewSession, SessionType
from interviews.transcripts import transcript_turns
from profiles.http import AuthenticatedRequest
from profiles.models import WorkExperience


def _session(request: AuthenticatedRequest, session_id: UUID) -> InterviewSession:
    session = InterviewSession.objects.for_user(request.user).filter(pk=session_id).first()
    if session is None:
        raise Http404("No such interview.")
    return session


def _jobs(request: AuthenticatedRequest) -> list[WorkExperience]:
    return list(
        WorkExperience.objects.for_user(request.user)
        .current()
        .order_by(F("start_date").desc(nulls_last=True), "-created_at")
    )


def _chat_context(session: InterviewSession) -> dict[str, object]:
    config = session.config
    return {
        "session": session,
        "config": config,
        "turns": transcript_turns(session=session),
        "voice_offered": voice.voice_available() and session.is_active,
    }


@login_required
@require_GET
def interview_index(request: AuthenticatedRequest) -> HttpResponse:
    """The user's interviews, and the form that starts one."""
    sessions = InterviewSession.objects.for_user(request.user).order_by("-started_at")[:50]
    return render(
        request,
        "interviews/index.html",
        {"sessions": sessions, "types": SessionType.choices, "jobs": _jobs(request)},
    )


@login_required
@require_POST
def interview_start(request: AuthenticatedRequest) -> HttpResponse:
    try:
        session = services.interview_session_start(
            user=request.user,
            session_type=request.POST.get("session_type", ""),
            job_id=request.POST.get("job_id") or None,
        )
    except services.InterviewError as error:
        messages.error(request, str(error))
        return redirect("interview_index")
    return redirect("interview_session", session_id=session.pk)


@login_required
@require_GET
def interview_session(request: AuthenticatedRequest, session_id: UUID) -> HttpResponse:
    """The chat while active; the summary of what was learned once ended."""
    session = _session(request, session_id)
    context = _chat_context(session)
    if not session.is_active:
        context |= {
            "findings": services.interview_findings(session),
            "decisions": services.interview_decisions(session),
        }
    return render(request, "interviews/session.html", context)


@login_required
@require_GET
def interview_chat_hx(request: AuthenticatedRequest, session_id: UUID) -> HttpResponse:
    """The chat alone: turns, plan and progress, the answer form."""
    session = _session(request, session_id)
    return render(request, "interviews/session.html#chat", _chat_context(session))


@login_required
@require_POST
def interview_answer_hx(request: AuthenticatedRequest, session_id: UUID) -> HttpResponse:
    """Take an answer; the chat comes back with the next question (or the summary link)."""
    session = _session(request, session_id)
    error = ""
    try:
        step = services.interview_answer(
            user=request.user, session_id=session.pk, text=request.POST.get("answer", "")
        )
        session = step.session
    except services.InterviewError as problem:
        error = str(problem)
        session = _session(request, session_id)
    if not request.htmx:  # a plain form post (no JavaScript): back to the page
        if error:
            messages.error(request, error)
        return redirect("interview_session", session_id=session.pk)
    context = _chat_context(session) | {"error": error}
    return render(request, "interviews/session.html#chat", context, status=422 if error else 200)


@login_required
@require_POST
def interview_pause(request: AuthenticatedRequest, session_id: UUID) -> HttpResponse:
    session = _session(request, session_id)
    services.interview_session_pause(user=request.user, session_id=session.pk)
    messages.info(request, "Paused. Come back within a day to go on where you stopped.")
    return redirect("interview_session", session_id=session.pk)


@login_required
@require_POST
def interview_resume(request: AuthenticatedRequest, session_id: UUID) -> HttpResponse:
    session = _session(request, session_id)
    try:
        services.interview_session_resume(user=request.user, session_id=session.pk)
    except services.InterviewError as error:
        messages.error(request, str(error))
    return redirect("interview_session", session_id=session.pk)


@login_required
@require_POST
def interview_end(request: AuthenticatedRequest, session_id: UUID) -> HttpResponse:
    session = _session(request, session_id)
    services.interview_session_end(user=request.user, session_id=session.pk)
    return redirect("interview_session", session_id=session.pk)


@login_required
@require_POST
def interview_delete(request: AuthenticatedRequest, session_id: UUID) -> HttpResponse:
    session = _session(request, session_id)
    services.interview_session_delete(user=request.user, session_id=session.pk)
    messages.info(request, "The interview and its transcript were deleted.")
    return redirect("interview_index")


@login_required
@require_GET
def interview_dashboard_card_hx(request: AuthenticatedRequest) -> HttpResponse:
    """The dashboard's Interviews card: the latest sessions and a way to start one."""
    sessions = InterviewSession.objects.for_user(request.user).order_by("-started_at")[:5]
    return render(
        request,
        "interviews/index.html#interview-card",
        {"sessions": sessions, "types": SessionType.choices, "jobs": _jobs(request)},
    )


# -- Voice ------------------------------------------------------------------------------------


@login_required
@require_POST
def interview_voice_secret(request: AuthenticatedRequest, session_id: UUID) -> HttpResponse:
    """Mint an ephemeral Realtime client secret for this session (the API key stays here)."""
    session = _session(request, session_id)
    if not voice.voice_available():
        return JsonResponse({"error": "Voice needs an OpenAI API key on the server."}, status=404)
    if not session.is_active:
        return JsonResponse({"error": "This interview has ended."}, status=409)
    try:
        secret = voice.voice_session_mint(user=request.user, session_id=session.pk)
    except ProviderError as error:
        return JsonResponse(
            {"error": f"Voice could not start: {error}. Type your answers instead."}, status=502
        )
    return JsonResponse(secret)


@login_required
@require_http_methods(["POST"])
def interview_voice_transcript(request: AuthenticatedRequest, session_id: UUID) -> HttpResponse:
    """A transcript event the browser received from the Realtime model, stored and read
    like a typed answer (the person's) or a question (the model's)."""
    session = _session(request, session_id)
    try:
        event = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "Send the event as JSON."}, status=400)
    try:
        result = voice.voice_event_ingest(user=request.user, session_id=session.pk, event=event)
    except services.InterviewError as error:
        return JsonResponse({"error": str(error)}, status=422)
    return JsonResponse(result)

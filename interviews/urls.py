from django.urls import path

from interviews import views

urlpatterns = [
    path("", views.interview_index, name="interview_index"),
    path("start", views.interview_start, name="interview_start"),
    path("card_hx", views.interview_dashboard_card_hx, name="interview_dashboard_card_hx"),
    path("<uuid:session_id>/", views.interview_session, name="interview_session"),
    path("<uuid:session_id>/chat_hx", views.interview_chat_hx, name="interview_chat_hx"),
    path("<uuid:session_id>/answer_hx", views.interview_answer_hx, name="interview_answer_hx"),
    path("<uuid:session_id>/pause", views.interview_pause, name="interview_pause"),
    path("<uuid:session_id>/resume", views.interview_resume, name="interview_resume"),
    path("<uuid:session_id>/end", views.interview_end, name="interview_end"),
    path("<uuid:session_id>/delete", views.interview_delete, name="interview_delete"),
    path(
        "<uuid:session_id>/voice/secret",
        views.interview_voice_secret,
        name="interview_voice_secret",
    ),
    path(
        "<uuid:session_id>/voice/transcript",
        views.interview_voice_transcript,
        name="interview_voice_transcript",
    ),
]

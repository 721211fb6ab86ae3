from django.urls import path

from resumes import views

urlpatterns = [
    path("", views.resume_index, name="resume_index"),
    path("upload/", views.resume_upload, name="resume_upload"),
    path("dashboard_card_hx/", views.resume_dashboard_card_hx, name="resume_dashboard_card_hx"),
    path("streams/<uuid:stream_id>/", views.resume_stream, name="resume_stream"),
    path(
        "streams/<uuid:stream_id>/rename/", views.resume_stream_rename, name="resume_stream_rename"
    ),
    path(
        "streams/<uuid:stream_id>/delete/", views.resume_stream_delete, name="resume_stream_delete"
    ),
    path(
        "streams/<uuid:stream_id>/status_hx/",
        views.resume_stream_status_hx,
        name="resume_stream_status_hx",
    ),
    path("versions/<uuid:version_id>/", views.resume_version, name="resume_version"),
    path(
        "versions/<uuid:version_id>/delete/",
        views.resume_version_delete,
        name="resume_version_delete",
    ),
    path(
        "versions/<uuid:version_id>/status_hx/",
        views.resume_version_status_hx,
        name="resume_version_status_hx",
    ),
    path(
        "versions/<uuid:version_id>/file/",
        views.resume_version_download,
        name="resume_version_download",
    ),
    path(
        "versions/<uuid:version_id>/retry/",
        views.resume_version_retry,
        name="resume_version_retry",
    ),
]

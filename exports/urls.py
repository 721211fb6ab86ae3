from django.urls import path

from exports import views

urlpatterns = [
    path("", views.data_page, name="data_page"),
    path("delete/", views.account_delete, name="account_delete"),
    path("archive/", views.data_export_request, name="data_export_request"),
    path(
        "archive/<uuid:export_id>/status_hx",
        views.data_export_status_hx,
        name="data_export_status_hx",
    ),
    path(
        "archive/<uuid:export_id>/download",
        views.data_export_download,
        name="data_export_download",
    ),
    path("profile.<slug:format_slug>", views.profile_export_download, name="profile_export"),
]

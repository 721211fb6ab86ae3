from django.urls import path

from exports import views

urlpatterns = [
    path("", views.data_page, name="data_page"),
    path("delete/", views.account_delete, name="account_delete"),
    path("profile.<slug:format_slug>", views.profile_export_download, name="profile_export"),
]

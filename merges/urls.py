from django.urls import path

from merges import views

urlpatterns = [
    path("", views.merge_review, name="merge_review"),
    path("accept-all", views.merge_accept_all, name="merge_accept_all"),
    path("skip-all", views.merge_skip_all, name="merge_skip_all"),
    path("settings", views.merge_settings, name="merge_settings"),
    path("card_hx", views.merge_dashboard_card_hx, name="merge_dashboard_card_hx"),
    path("group_hx", views.merge_group_hx, name="merge_group_hx"),
    path("<uuid:decision_id>/apply_hx", views.merge_decision_hx, name="merge_decision_hx"),
]

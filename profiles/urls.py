from django.contrib.auth import views as auth_views
from django.urls import include, path

from profiles import views
from profiles.forms import AccountPasswordResetForm, SignInForm

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile_overview, name="profile_overview"),
    path("profile/edit_hx", views.profile_edit_hx, name="profile_edit_hx"),
    path("profile/card_hx", views.profile_card_hx, name="profile_card_hx"),
    path("profile/search/", views.profile_search, name="profile_search"),
    path("profile/confirm/", views.profile_confirm, name="profile_confirm"),
    path(
        "profile/confirm/card_hx",
        views.profile_confirmation_card_hx,
        name="profile_confirmation_card_hx",
    ),
    path("profile/<slug:kind>/", views.entity_list, name="entity_list"),
    path("profile/<slug:kind>/new_hx", views.entity_new_hx, name="entity_new_hx"),
    path("profile/<slug:kind>/removed/", views.entity_removed, name="entity_removed"),
    path(
        "profile/<slug:kind>/<uuid:logical_id>/edit_hx", views.entity_edit_hx, name="entity_edit_hx"
    ),
    path(
        "profile/<slug:kind>/<uuid:logical_id>/card_hx", views.entity_card_hx, name="entity_card_hx"
    ),
    path(
        "profile/<slug:kind>/<uuid:logical_id>/retire_hx",
        views.entity_retire_hx,
        name="entity_retire_hx",
    ),
    path("profile/<slug:kind>/<uuid:logical_id>/", views.entity_history, name="entity_history"),
    path(
        "profile/<slug:kind>/<uuid:logical_id>/revert/<int:version>",
        views.entity_revert,
        name="entity_revert",
    ),
    path("accounts/sign-up/", views.sign_up, name="sign_up"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=AccountPasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
]

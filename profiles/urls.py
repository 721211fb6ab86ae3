from django.contrib.auth import views as auth_views
from django.urls import include, path

from profiles import views
from profiles.forms import SignInForm

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/edit_hx", views.profile_edit_hx, name="profile_edit_hx"),
    path("profile/card_hx", views.profile_card_hx, name="profile_card_hx"),
    path("accounts/sign-up/", views.sign_up, name="sign_up"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
]

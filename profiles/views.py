from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from profiles import services
from profiles.forms import ProfileForm, SignUpForm
from profiles.models import User
from profiles.selectors import profile_for

# The parts of a career profile that later features fill, in the order shown.
PROFILE_SECTIONS = [
    ("work_experience", "Work experience", "Jobs and roles, each with its history and source."),
    ("education", "Education", "Schools, degrees and fields of study."),
    ("skill", "Skills", "What you can do, how well, and where you used it."),
    ("project", "Projects", "Things you built, your role and what came of them."),
    ("certification", "Certifications", "Credentials with their issuer and dates."),
]


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_sign_up(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            full_name=form.cleaned_data["full_name"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to CareerOS. Your account is ready.")
        return redirect("dashboard")
    return render(request, "registration/sign_up.html", {"form": form})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User)
    return render(
        request,
        "profiles/dashboard.html",
        {"profile": profile_for(request.user), "sections": PROFILE_SECTIONS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit_hx(request: HttpRequest) -> HttpResponse:
    """The profile card's inline editor: GET shows the form, POST saves and shows the card."""
    assert isinstance(request.user, User)
    profile = profile_for(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            profile = services.profile_update(
                user=request.user,
                full_name=form.cleaned_data["full_name"],
                avatar_url=form.cleaned_data["avatar_url"],
            )
            return render(request, "profiles/dashboard.html#profile-card", {"profile": profile})
        status = 422
    else:
        form = ProfileForm(
            initial={"full_name": profile.full_name, "avatar_url": profile.avatar_url}
        )
        status = 200
    return render(
        request,
        "profiles/dashboard.html#profile-form",
        {"profile": profile, "form": form},
        status=status,
    )


@login_required
def profile_card_hx(request: HttpRequest) -> HttpResponse:
    """The profile card alone: what Cancel in the editor swaps back in."""
    assert isinstance(request.user, User)
    return render(
        request, "profiles/dashboard.html#profile-card", {"profile": profile_for(request.user)}
    )

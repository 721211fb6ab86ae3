from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from careeros.db.rls import user_context
from careeros.db.versioning import EntityRetired, VersionConflict, VersionedEntity
from profiles import selectors, services
from profiles.entities import EntitySpec, spec_for_slug
from profiles.forms import AccountSetPasswordForm, ProfileForm, SignUpForm, entity_form_class
from profiles.http import AuthenticatedRequest
from profiles.models import User
from profiles.selectors import profile_for


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """Django's reset-link view, reading the link's account in that account's own context
    (the link's token then decides whether anything may change)."""

    form_class = AccountSetPasswordForm

    def get_user(self, uidb64: str) -> Any:
        try:
            pk = User._meta.pk.to_python(urlsafe_base64_decode(uidb64).decode())
        except (TypeError, ValueError, OverflowError, ValidationError):
            return None
        with user_context(pk):
            return super().get_user(uidb64)


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
        login(request, user, backend="careeros.db.accounts.RowLevelSecurityBackend")
        messages.success(request, "Welcome to CareerOS. Your account is ready.")
        return redirect("dashboard")
    return render(request, "registration/sign_up.html", {"form": form})


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The signed-in person's overview; a short word on CareerOS for everyone else.

    The resume and review cards load from their apps. The main column is cached until the
    profile changes: the sections' statement runs only when the cached copy is stale.
    """
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    user = request.user
    assert isinstance(user, User)
    return render(
        request,
        "profiles/dashboard.html",
        {
            "profile": profile_for(user),
            "career": SimpleLazyObject(lambda: selectors.dashboard_career(user=user)),
            "career_key": selectors.dashboard_career_key(user=user),
        },
    )


@login_required
@require_GET
def profile_overview(request: AuthenticatedRequest) -> HttpResponse:
    """The profile: the person's basics and every section with its newest entries."""
    sections = selectors.section_summaries(user=request.user)
    return render(
        request,
        "profiles/profile.html",
        {"profile": profile_for(request.user), "sections": sections},
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit_hx(request: AuthenticatedRequest) -> HttpResponse:
    """The profile card's inline editor: GET shows the form, POST saves and shows the card."""
    profile = profile_for(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        status = 422
        if form.is_valid():
            try:
                profile = services.profile_update(
                    user=request.user,
                    full_name=form.cleaned_data["full_name"],
                    avatar_url=form.cleaned_data["avatar_url"],
                    expected_updated_at=_moment(request.POST.get("expected_updated_at")),
                )
            except services.ProfileChanged as changed:
                profile = changed.current
                form = ProfileForm(
                    {"full_name": profile.full_name or "", "avatar_url": profile.avatar_url or ""}
                )
                form.is_valid()  # bound to the saved values, so it can carry the message
                form.add_error(None, str(changed))
                status = 409
            else:
                return render(request, "profiles/dashboard.html#profile-card", {"profile": profile})
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


def _moment(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def profile_card_hx(request: AuthenticatedRequest) -> HttpResponse:
    """The profile card alone: what Cancel in the editor swaps back in."""
    return render(
        request, "profiles/dashboard.html#profile-card", {"profile": profile_for(request.user)}
    )


# -- Versioned entities ---------------------------------------------------------------


def _section(kind: str) -> EntitySpec:
    try:
        return spec_for_slug(kind)
    except KeyError:
        raise Http404("No such part of the profile.") from None


def _current(
    request: AuthenticatedRequest, section: EntitySpec, logical_id: UUID
) -> VersionedEntity:
    return get_object_or_404(
        section.model.objects.for_user(request.user).current(), logical_entity_id=logical_id
    )


# Entities a section's page shows at a time; "Show older" loads the next page.
PAGE_SIZE = 30


@login_required
@require_GET
@vary_on_headers("HX-Request")
def entity_list(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    section = _section(kind)
    entities = selectors.newest_first(section.model.objects.for_user(request.user).current())
    page = Paginator(entities, PAGE_SIZE).get_page(request.GET.get("page"))
    if request.htmx:
        return render(
            request, "profiles/entities.html#entity-page", {"section": section, "page": page}
        )
    removed = selectors.entities_removed(model=section.model, user=request.user)
    return render(
        request,
        "profiles/entities.html",
        {"section": section, "page": page, "removed_count": len(removed)},
    )


@login_required
@require_GET
def entity_removed(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    """What was removed from a section and not restored, each with Restore."""
    section = _section(kind)
    removed = selectors.entities_removed(model=section.model, user=request.user)
    return render(request, "profiles/removed.html", {"section": section, "removed": removed})


@login_required
@require_http_methods(["GET", "POST"])
def entity_new_hx(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    """The add form: GET shows it, POST creates version 1 and shows the new entity."""
    section = _section(kind)
    form = entity_form_class(section.model)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        existing = (
            None
            if request.POST.get("add_anyway") and not section.single
            else selectors.likely_duplicate(spec=section, user=request.user, fields=form.changes())
        )
        if existing is not None:
            return render(
                request,
                "profiles/entities.html#entity-new",
                {"section": section, "form": form, "duplicate": existing},
                status=409,
            )
        entity = services.entity_create(
            model=section.model, user=request.user, fields=form.changes(), reason="Added by hand."
        )
        # The first entity also removes the empty-list notice.
        first = section.model.objects.for_user(request.user).current().count() == 1
        return render(
            request,
            "profiles/entities.html#entity-created",
            {"section": section, "entity": entity, "first": first},
        )
    return render(
        request,
        "profiles/entities.html#entity-new",
        {"section": section, "form": form},
        status=422 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def entity_edit_hx(request: AuthenticatedRequest, kind: str, logical_id: UUID) -> HttpResponse:
    """The inline editor: every save writes a new version."""
    section = _section(kind)
    entity = _current(request, section, logical_id)
    form_class = entity_form_class(section.model)
    if request.method == "GET":
        form = form_class(instance=entity)
        return render(
            request,
            "profiles/entities.html#entity-form",
            {"section": section, "entity": entity, "form": form},
        )
    form = form_class(request.POST, instance=section.model(**entity.content()))
    status = 422
    if form.is_valid():
        try:
            entity = services.entity_revise(
                model=section.model,
                user=request.user,
                logical_entity_id=logical_id,
                changes=form.changes(),
                expected_version=_int(request.POST.get("version")),
                reason="Edited by hand.",
            )
        except VersionConflict as conflict:
            form.add_error(None, str(conflict))
            entity = conflict.current
            status = 409  # as the profile card's stale save
        else:
            return render(
                request,
                "profiles/entities.html#entity-card",
                {"section": section, "entity": entity},
            )
    return render(
        request,
        "profiles/entities.html#entity-form",
        {"section": section, "entity": entity, "form": form},
        status=status,
    )


@login_required
@require_GET
def entity_card_hx(request: AuthenticatedRequest, kind: str, logical_id: UUID) -> HttpResponse:
    """One entity's card: what Cancel in the editor swaps back in."""
    section = _section(kind)
    entity = _current(request, section, logical_id)
    return render(
        request, "profiles/entities.html#entity-card", {"section": section, "entity": entity}
    )


@login_required
@require_POST
def entity_retire_hx(request: AuthenticatedRequest, kind: str, logical_id: UUID) -> HttpResponse:
    """Remove an entity from the profile; the card is replaced by an undo notice."""
    section = _section(kind)
    entity = _current(request, section, logical_id)
    retired = services.entity_retire(
        model=section.model, user=request.user, logical_entity_id=entity.logical_entity_id
    )
    return render(
        request,
        "profiles/entities.html#entity-retired",
        {"section": section, "entity": retired},
    )


@login_required
@require_GET
def entity_history(request: AuthenticatedRequest, kind: str, logical_id: UUID) -> HttpResponse:
    section = _section(kind)
    try:
        entries = selectors.entity_history(
            model=section.model, user=request.user, logical_entity_id=logical_id
        )
    except section.model.DoesNotExist:
        raise Http404("No such entity in your profile.") from None
    return render(
        request,
        "profiles/history.html",
        {"section": section, "entries": entries, "latest": entries[0].version},
    )


@login_required
@require_POST
def entity_revert(
    request: AuthenticatedRequest, kind: str, logical_id: UUID, version: int
) -> HttpResponse:
    """Make an old version current again, as a new version; back to the history."""
    section = _section(kind)
    if (
        not section.model.objects.for_user(request.user)
        .filter(logical_entity_id=logical_id, version=version)
        .exists()
    ):
        raise Http404("No such version in your profile.")
    try:
        services.entity_revert(
            model=section.model, user=request.user, logical_entity_id=logical_id, version=version
        )
    except (VersionConflict, EntityRetired) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Version {version} is current again, as a new version.")
    return redirect("entity_history", kind=kind, logical_id=logical_id)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def profile_search(request: AuthenticatedRequest) -> HttpResponse:
    """Search the user's own entities, tolerant of typos; HTMX swaps in the results."""
    query = request.GET.get("q", "").strip()
    hits = selectors.entity_search(user=request.user, query=query) if query else []
    context = {"query": query, "hits": hits}
    if request.htmx:
        return render(request, "profiles/search.html#search-results", context)
    return render(request, "profiles/search.html", context)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def profile_confirm(request: AuthenticatedRequest) -> HttpResponse:
    """Review the profile (completeness, next steps, changes since the last confirmation)
    and confirm it."""
    if request.method == "POST":
        confirmed = services.profile_confirm(user=request.user)
        messages.success(
            request,
            f"Profile confirmed, {len(confirmed.profile_snapshot['entities'])} entries, "
            f"completeness {confirmed.completeness_score}.",
        )
        return redirect("dashboard")
    return render(
        request, "profiles/confirm.html", {"state": selectors.confirmation_state(user=request.user)}
    )


@login_required
@require_GET
def profile_confirmation_card_hx(request: AuthenticatedRequest) -> HttpResponse:
    """The dashboard's card: confirmed when, completeness, what changed since, field by field."""
    return render(
        request,
        "profiles/confirm.html#confirmation-card",
        {"state": selectors.confirmation_state(user=request.user)},
    )

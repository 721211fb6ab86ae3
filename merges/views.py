from __future__ import annotations

from decimal import Decimal, InvalidOperation
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from merges import selectors, services
from merges.models import DecisionType, MergeDecision
from merges.schemas import Prefer
from merges.services import StaleDecision
from profiles import services as profile_services
from profiles.http import AuthenticatedRequest
from profiles.selectors import profile_for

ACTIONS = {
    "accept": None,
    "keep_separate": DecisionType.KEEP_SEPARATE,
    "replace": DecisionType.REPLACE,
    "skip": DecisionType.SKIP,
}


@login_required
@require_GET
def merge_review(request: AuthenticatedRequest) -> HttpResponse:
    """Every pending decision, grouped by source, fields side by side."""
    return render(
        request,
        "merges/review.html",
        {
            "groups": selectors.review_groups(request.user),
            "profile": profile_for(request.user),
        },
    )


@login_required
@require_GET
def merge_dashboard_card_hx(request: AuthenticatedRequest) -> HttpResponse:
    """The dashboard's Review card: how many suggestions wait."""
    return render(
        request,
        "merges/review.html#review-card",
        {"pending_reviews": selectors.pending_count(request.user)},
    )


@login_required
@require_POST
def merge_decision_hx(request: AuthenticatedRequest, decision_id: UUID) -> HttpResponse:
    """Accept (with the chosen field values), keep separate, replace or skip one entity."""
    decision = get_object_or_404(MergeDecision.objects.for_user(request.user), pk=decision_id)
    action = request.POST.get("action", "accept")
    if action not in ACTIONS:
        return HttpResponse("Unknown action.", status=400)
    preferences = {
        name: Prefer(request.POST[f"prefer_{name}"])
        for name in decision.spec.model.content_fields
        if request.POST.get(f"prefer_{name}") in Prefer.__members__.values()
    }
    try:
        decision = services.merge_decision_apply(
            user=request.user,
            decision_id=decision.pk,
            decision_type=ACTIONS[action],
            preferences=preferences or None,
        )
    except services.IncompleteEntity as incomplete:
        card = selectors.decision_card(request.user, decision)
        return render(
            request,
            "merges/review.html#decision-card",
            {"card": card, "notice": str(incomplete)},
            status=422,
        )
    except StaleDecision as stale:
        card = selectors.decision_card(request.user, stale.decision)
        return render(
            request,
            "merges/review.html#decision-card",
            {"card": card, "notice": str(stale)},
            status=409,
        )
    return render(request, "merges/review.html#decision-done", {"decision": decision})


@login_required
@require_POST
def merge_accept_all(request: AuthenticatedRequest) -> HttpResponse:
    """Apply every pending suggestion (of one source, if given)."""
    group = request.POST.get("group")
    try:
        group_id = UUID(group) if group else None
    except ValueError:
        raise Http404("No such group of suggestions.") from None
    applied = services.merge_decisions_accept_all(user=request.user, group_id=group_id)
    left = selectors.pending_count(request.user)
    text = f"Applied {applied} suggestion{'s' if applied != 1 else ''}."
    if left:
        text += f" {left} changed under review and wait for you again."
    messages.success(request, text)
    return redirect("merge_review")


@login_required
@require_POST
def merge_settings(request: AuthenticatedRequest) -> HttpResponse:
    """Auto-apply suggestions at or above a confidence, or never (empty)."""
    raw = request.POST.get("threshold", "").strip()
    try:
        threshold = Decimal(raw) if raw else None
    except InvalidOperation:
        threshold = Decimal("-1")
    if threshold is not None and not Decimal("0.50") <= threshold <= Decimal("1.00"):
        messages.error(request, "Choose a confidence between 0.50 and 1.00, or leave it empty.")
        return redirect("merge_review")
    profile_services.profile_auto_apply_set(user=request.user, threshold=threshold)
    if threshold is None:
        messages.success(request, "Every near match now waits for your review.")
    else:
        messages.success(
            request, f"Suggestions with confidence {threshold} or more now apply by themselves."
        )
    return redirect("merge_review")

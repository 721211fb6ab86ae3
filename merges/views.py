from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_POST

from merges import selectors, services
from merges.models import DecisionType, MergeDecision
from merges.schemas import Prefer
from merges.selectors import ReviewGroup
from merges.services import Policy, StaleDecision
from profiles import services as profile_services
from profiles.http import AuthenticatedRequest
from profiles.models import User

ACTIONS = {
    "accept": None,
    "keep_separate": DecisionType.KEEP_SEPARATE,
    "replace": DecisionType.REPLACE,
    "skip": DecisionType.SKIP,
}


# How long a rendered card is kept: its key changes with everything it shows.
CARD_SECONDS = 3600


@login_required
@require_GET
def merge_review(request: AuthenticatedRequest) -> HttpResponse:
    """Every pending decision, grouped by source, fields side by side."""
    review = selectors.review(request.user)
    review = replace(review, groups=_with_cards(request.user, review.groups, review.policy))
    return render(request, "merges/review.html", {"review": review})


@login_required
@require_GET
def merge_group_hx(request: AuthenticatedRequest) -> HttpResponse:
    """The next page of one source's cards on the review screen."""
    try:
        group_id = UUID(request.GET["group"]) if request.GET.get("group") else None
        offset = int(request.GET.get("offset", "0"))
    except ValueError:
        raise Http404("No such group of suggestions.") from None
    found = selectors.review_group(request.user, group_id, offset)
    if found is None:
        raise Http404("No such group of suggestions.")
    group, policy = found
    [group] = _with_cards(request.user, [group], policy)
    return render(request, "merges/review.html#group-cards", {"group": group})


def _with_cards(user: User, groups: list[ReviewGroup], policy: Policy) -> list[ReviewGroup]:
    """The groups with their pages' cards rendered. A card is rendered once and kept
    (``selectors.card_keys``): a visit reads every page's cards from the cache in one
    round trip, and builds and renders only those it does not find."""
    page = [decision for group in groups for decision in group.page]
    keys = dict(zip((d.pk for d in page), selectors.card_keys(user, page, policy), strict=True))
    html = cache.get_many(list(keys.values())) if keys else {}
    wanted = [pk for pk, key in keys.items() if key not in html]
    rendered = {
        keys[card.decision.pk]: render_to_string("merges/review.html#decision-card", {"card": card})
        for card in selectors.cards(user, wanted, policy)
    }
    cache.set_many(rendered, CARD_SECONDS)
    html |= rendered
    # A card whose decision was applied or removed since the groups were read is left out.
    # (The rendered cards are safe strings, and stay so through the cache's pickling.)
    return [
        replace(group, shown=[html[keys[d.pk]] for d in group.page if keys[d.pk] in html])
        for group in groups
    ]


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
    fields = decision.spec.model.content_fields
    preferences = {
        name: Prefer(request.POST[f"prefer_{name}"])
        for name in fields
        if request.POST.get(f"prefer_{name}") in Prefer.__members__.values()
    }
    completions = {
        name: request.POST[f"complete_{name}"]
        for name in fields
        if request.POST.get(f"complete_{name}", "").strip()
    }
    try:
        decision = services.merge_decision_apply(
            user=request.user,
            decision_id=decision.pk,
            decision_type=ACTIONS[action],
            preferences=preferences or None,
            completions=completions or None,
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


def _group(request: AuthenticatedRequest) -> UUID | None:
    group = request.POST.get("group")
    try:
        return UUID(group) if group else None
    except ValueError:
        raise Http404("No such group of suggestions.") from None


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@login_required
@require_POST
def merge_accept_all(request: AuthenticatedRequest) -> HttpResponse:
    """Apply every pending suggestion that is certain (of one source, if given)."""
    applied = services.merge_decisions_accept_all(user=request.user, group_id=_group(request))
    left = selectors.pending_count(request.user)
    text = f"Applied {_plural(applied, 'suggestion')}."
    if left:
        text += f" {_plural(left, 'entry')} still {'waits' if left == 1 else 'wait'} for you."
    messages.success(request, text)
    return redirect("merge_review")


@login_required
@require_POST
def merge_skip_all(request: AuthenticatedRequest) -> HttpResponse:
    """Skip every pending suggestion from one source."""
    group_id = _group(request)
    if group_id is None:
        raise Http404("Choose the source to skip.")
    skipped = services.merge_decisions_skip_all(user=request.user, group_id=group_id)
    messages.success(
        request, f"Skipped {_plural(skipped, 'suggestion')}; your profile is unchanged."
    )
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
    new_entities = None
    if "new_entities" in request.POST:
        new_entities = _confidence(request.POST["new_entities"])
        if new_entities is None:
            messages.error(request, "Choose a confidence between 0.50 and 1.00 for new entries.")
            return redirect("merge_review")
    profile = profile_services.profile_auto_apply_set(
        user=request.user, threshold=threshold, new_entities=new_entities
    )
    text = (
        f"New entries read with confidence {profile.new_entity_min_confidence} or more join "
        "your profile by themselves."
    )
    if threshold is None:
        text += " Every change to an existing entry waits for your review."
    else:
        text += f" Changes to existing entries apply by themselves from {threshold}."
    messages.success(request, text)
    return redirect("merge_review")


def _confidence(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        return None
    return value if Decimal("0.50") <= value <= Decimal("1.00") else None

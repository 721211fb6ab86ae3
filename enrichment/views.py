from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseStopPolling

from enrichment import selectors, services
from enrichment.models import CareerEnrichment, EnrichmentJob, EntryEnrichment
from enrichment.schemas import EntityRef, JobInput, JobType, Statement
from enrichment.services import ENHANCEABLE, ProposalOutdated
from merges.models import DecisionStatus
from profiles.entities import spec_for_type
from profiles.http import AuthenticatedRequest

COLUMNS = (
    ("career_summary", "Summary"),
    ("professional_strengths", "Strengths"),
    ("growth_trajectory", "Trajectory"),
    ("industry_positioning", "Positioning"),
    ("impact_statements", "Impact"),
)


@dataclass(frozen=True)
class Citation:
    label: str
    url: str


@dataclass(frozen=True)
class Sentence:
    text: str
    citations: list[Citation]


def _citation(ref: EntityRef) -> Citation:
    args = selectors.entity_url_args(ref)
    url = reverse("entity_history", args=args) if args else ""
    return Citation(ref.label, url)


def linked(statements: list[Statement]) -> list[Sentence]:
    """Each sentence with links to the entities it cites."""
    return [Sentence(s.text, [_citation(ref) for ref in s.cites]) for s in statements]


def _career_context(request: AuthenticatedRequest) -> dict[str, object]:
    enrichment = selectors.latest_enrichment(request.user)
    sections: list[tuple[str, list[Sentence]]] = []
    if enrichment is not None:
        statements = enrichment.sentences
        sections = [(title, linked(statements.of(column))) for column, title in COLUMNS]
    narratives = [
        (narrative, linked(narrative.sentences))
        for narrative in selectors.narratives_of(enrichment)
    ]
    return {
        "enrichment": enrichment,
        "sections": [(title, sentences) for title, sentences in sections if sentences],
        "narratives": narratives,
        "achievements": enrichment.achievements.root if enrichment else [],
        "proposals": _proposals(list(selectors.proposals_for(request.user)[:50])),
        "jobs": selectors.jobs_for(request.user)[:5],
        "sections_to_enhance": [(t, spec_for_type(t).title) for t in ENHANCEABLE],
    }


@dataclass(frozen=True)
class ProposalView:
    row: EntryEnrichment
    entity: Citation
    current: str  # the description as it was when proposed

    @property
    def missing_skills(self) -> int:
        """Skills the entry names that the profile lacks."""
        return sum(found.skill is None for found in self.row.skills.root)


def _proposals(rows: list[EntryEnrichment]) -> list[ProposalView]:
    """Each proposal with the entry version it was made from (one query per entity type)."""
    made_from: dict[UUID, Any] = {}
    for entity_type in {row.entity_type for row in rows}:
        model = spec_for_type(entity_type).model
        ids = [row.entity_id for row in rows if row.entity_type == entity_type]
        made_from |= {entity.pk: entity for entity in model.objects.filter(pk__in=ids)}
    views = []
    for row in rows:
        entity = made_from.get(row.entity_id)
        slug = spec_for_type(row.entity_type).slug
        citation = (
            Citation(str(entity), reverse("entity_history", args=(slug, entity.logical_entity_id)))
            if entity is not None
            else Citation("(removed entry)", "")
        )
        views.append(ProposalView(row, citation, getattr(entity, "description", "") or ""))
    return views


@login_required
@require_GET
def career(request: AuthenticatedRequest) -> HttpResponse:
    """The career story: summary, narratives (each sentence linked to what it cites),
    quantified achievements, proposals for stronger entries, and recent jobs."""
    return render(request, "enrichment/career.html", _career_context(request))


@login_required
@require_GET
def enrichment_dashboard_card_hx(request: AuthenticatedRequest) -> HttpResponse:
    """The dashboard's Career story card."""
    enrichment = selectors.latest_enrichment(request.user)
    summary = linked(enrichment.sentences.of("career_summary"))[:2] if enrichment else []
    return render(
        request,
        "enrichment/career.html#career-card",
        {
            "enrichment": enrichment,
            "summary": summary,
            "proposal_count": selectors.proposals_for(request.user).count(),
            "running": selectors.jobs_for(request.user)
            .filter(status__in=["queued", "processing"])
            .first(),
        },
    )


@login_required
@require_POST
def enrichment_job_start(request: AuthenticatedRequest) -> HttpResponse:
    try:
        job_type = JobType(request.POST.get("job_type", ""))
        if job_type == JobType.RESUME_ENRICHMENT:
            raise ValueError("Resume enrichment starts by itself after an upload.")
        section = request.POST.get("section") or None
        job = services.enrichment_job_queue(
            user=request.user,
            job_type=job_type,
            input=JobInput(section=section if job_type == JobType.BULK_ENHANCEMENT else None),
        )
    except ValueError as error:
        messages.error(request, f"That job could not be started: {error}")
        return redirect("career")
    return redirect("enrichment_job", job_id=job.pk)


def _job(request: AuthenticatedRequest, job_id: UUID) -> EnrichmentJob:
    return get_object_or_404(selectors.jobs_for(request.user), pk=job_id)


def _job_context(job: EnrichmentJob) -> dict[str, object]:
    output = job.output
    enrichment = (
        CareerEnrichment.objects.for_user(job.user_id)
        .filter(pk=output.career_enrichment_id)
        .first()
        if output.career_enrichment_id
        else None
    )
    return {
        "job": job,
        "output": output,
        "summary": linked(enrichment.sentences.of("career_summary")) if enrichment else [],
    }


@login_required
@require_GET
def enrichment_job(request: AuthenticatedRequest, job_id: UUID) -> HttpResponse:
    return render(request, "enrichment/job.html", _job_context(_job(request, job_id)))


@login_required
@require_GET
@vary_on_headers("HX-Request")
def enrichment_job_status_hx(request: AuthenticatedRequest, job_id: UUID) -> HttpResponse:
    """The progress bar, polled by htmx from the job row; a finished job's partial comes
    with 286, which stops the polling, and shows the results."""
    job = _job(request, job_id)
    return render(
        request,
        "enrichment/job.html#job-status",
        _job_context(job),
        status=HttpResponseStopPolling.status_code if job.is_terminal else 200,
    )


@login_required
@require_POST
def enrichment_job_cancel(request: AuthenticatedRequest, job_id: UUID) -> HttpResponse:
    job = services.enrichment_job_cancel(user=request.user, job_id=_job(request, job_id).pk)
    if job.status == "cancelled":
        messages.success(request, "The job was cancelled; nothing it had started was saved.")
    else:
        messages.info(request, "The job had already finished.")
    return redirect("enrichment_job", job_id=job.pk)


@login_required
@require_POST
def enrichment_job_retry(request: AuthenticatedRequest, job_id: UUID) -> HttpResponse:
    job = _job(request, job_id)
    try:
        services.enrichment_job_retry(user=request.user, job_id=job.pk)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The job is queued again.")
    return redirect("enrichment_job", job_id=job.pk)


def _own_proposal(request: AuthenticatedRequest, enrichment_id: UUID) -> EntryEnrichment:
    return get_object_or_404(EntryEnrichment.objects.for_user(request.user), pk=enrichment_id)


@login_required
@require_POST
def entry_enrichment_accept(request: AuthenticatedRequest, enrichment_id: UUID) -> HttpResponse:
    """Write the proposal into the entry as its next version (revertible in its history)."""
    row = _own_proposal(request, enrichment_id)
    try:
        row = services.entry_enrichment_accept(user=request.user, enrichment_id=row.pk)
    except (ProposalOutdated, ValueError) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Applied as version {row.applied_version} of the entry; its history can undo it.",
        )
    return redirect(reverse("career") + "#proposals")


@login_required
@require_POST
def entry_enrichment_add_skills(request: AuthenticatedRequest, enrichment_id: UUID) -> HttpResponse:
    """Propose the skills the entry names that the profile lacks (through merge review)."""
    row = _own_proposal(request, enrichment_id)
    try:
        decisions = services.entry_enrichment_add_skills(user=request.user, enrichment_id=row.pk)
    except ValueError as error:
        messages.info(request, str(error))
    else:
        added = sum(d.status == DecisionStatus.APPLIED and d.wrote_to_profile for d in decisions)
        waiting = sum(d.is_pending for d in decisions)
        messages.success(
            request,
            f"{added} skill{pluralize(added)} added to your profile"
            + (f", {waiting} waiting for your review" if waiting else "")
            + ".",
        )
    return redirect(reverse("career") + "#proposals")


@login_required
@require_POST
def entry_enrichment_dismiss(request: AuthenticatedRequest, enrichment_id: UUID) -> HttpResponse:
    row = _own_proposal(request, enrichment_id)
    services.entry_enrichment_dismiss(user=request.user, enrichment_id=row.pk)
    messages.info(request, "Suggestion dismissed; the entry is unchanged.")
    return redirect(reverse("career") + "#proposals")

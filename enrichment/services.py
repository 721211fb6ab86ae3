"""Enrichment jobs and their results: queue, claim, progress, finish, cancel, retry, accept.

A job runs in three steps, each its own short transaction in the owner's row level security
context (no transaction stays open while a provider thinks):

1. *claim*: ``SELECT … FOR UPDATE SKIP LOCKED`` the job row; take it if it is queued, or
   processing under a claim older than ``ENRICHMENT_JOB_LEASE_SECONDS`` (its worker died).
   The claim is stamped with ``started_at``, its token: two workers never hold one job.
2. *work*: read the profile, compute facts, ask the provider, check every statement
   against the person's own entities; each step reports ``current_step`` and
   ``progress_percentage`` with a compare-and-set on the claim, which also renews the lease.
   A cancelled or taken-over job stops at its next step.
3. *finish*: lock the row again; store the results and mark the job completed only if the
   claim still holds. A job's results replace that job's earlier rows, so a job run twice
   (a redelivered task, a worker presumed dead) leaves one set.

Failures end the job ``failed`` with ``error_details`` a person can read; a transient AI
failure puts the job back in the queue for the task to retry with backoff.

A transient database error anywhere in a job (``careeros.db.transient.DATABASE_ERRORS``: a
PostgreSQL restart, a dropped connection) is one more transient failure of the same budget
(``ENRICHMENT_JOB_ATTEMPT_CAP``), retried with the same backoff: connections are checked
before the claim and the finish (a dead one is replaced), broken ones closed after a failed
query, the job queued again if the database answers, else its claim is left for the retry
to take back at once (``held``). A budget spent on it ends the job failed, "A service this
job needs is unavailable — retry later", never processing or queued without a task.

Every way into an attempt (a queued job, a held claim taken back, an expired lease taken
over) goes through the claim, which makes none past the cap: the job fails instead, saying
how its last attempt ended: the AI service, the database, or an interruption ("interrupted
and had no attempts left", with how many of its attempts were). A takeover of an expired
lease counts an interruption, its worker presumed dead; ``MAX_INTERRUPTIONS`` of them end
the job "interrupted repeatedly" whatever is left of the budget. ``careeros.E011`` keeps
every backoff shorter than the lease, but a database that stays down past the lease makes
a held claim's lease run out too: if the task's retries gave up before the server was
back, or the reconciler's delivery comes before the held retry, a delivery without
``held`` finds the lease expired. Its last renewal then predates the server's start
(``pg_postmaster_start_time()``), which no live worker could have renewed across: the
takeover is a further attempt ended by the database, as if held, never an interruption. (A
worker that loses the database while the server stays up, behind a network partition, looks
dead to the claim and is counted so; the attempt cap bounds both.)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone

from careeros.ai import PermanentProviderError, ProviderError, TransientProviderError
from careeros.celery import retry_countdown
from careeros.db.rls import user_context
from careeros.db.transient import (
    DATABASE_ERRORS,
    connections_checked,
    connections_reset,
    server_started_at,
)
from careeros.db.versioning import Source
from enrichment import selectors
from enrichment.facts import Entry, Facts, compute, skills_in
from enrichment.grounding import Ground
from enrichment.models import (
    CareerEnrichment,
    CareerNarrative,
    EnrichmentJob,
    EnrichmentType,
    EntryEnrichment,
    JobStatus,
    ProposalStatus,
)
from enrichment.providers import Analysis, EntryDraft, NarrativeDraft, Provider, get_provider
from enrichment.schemas import (
    JobInput,
    JobOutput,
    JobType,
    QuantifiedAchievements,
    RelatedEntities,
    SkillExtractions,
    Statement,
)
from merges.models import DecisionStatus, MergeDecision
from merges.services import StaleDecision, merge_decisions_propose, merge_revision_accept
from merges.sources import Origin, Proposal
from profiles.entities import spec_for_type
from profiles.models import User

logger = logging.getLogger(__name__)

# A job whose worker stopped mid-job this many times in a row (each claim's lease ran out,
# the database up) fails. Counted apart from its attempts: a transient failure is no
# interruption.
MAX_INTERRUPTIONS = 3
INTERRUPTED = (
    "This job was interrupted repeatedly (its worker stopped each time), so it was stopped. "
    "Retry it; if it stops again, tell us."
)
# Its attempts ran out on a takeover, named with how many of them were interrupted.
INTERRUPTED_OUT_OF_ATTEMPTS = (
    "This job was interrupted and had no attempts left, so it was stopped. "
    "Retry it; if it stops again, tell us."
)
# A job whose AI calls keep failing transiently ends so, once its attempts (counted in its
# row, the reconciler's included) reach ENRICHMENT_JOB_ATTEMPT_CAP.
UNAVAILABLE = "The AI service is unavailable — retry later."
# The same for the database (a restart, a failover, dropped connections), named in the message.
DATABASE_UNAVAILABLE = "The database was unavailable"
SERVICE_UNAVAILABLE = (
    f"A service this job needs is unavailable — retry later. ({DATABASE_UNAVAILABLE}.)"
)
# The entity types whose entries bulk enhancement and resume enrichment improve: the ones
# with a description of their own.
ENHANCEABLE = ("work_experience", "project")
SUMMARY_COLUMNS = (
    "career_summary",
    "professional_strengths",
    "growth_trajectory",
    "industry_positioning",
    "impact_statements",
)


class JobStopped(Exception):
    """The job was cancelled or taken over by another worker; this worker stops."""


class DatabaseUnavailable(Exception):
    """The database failed mid-job (a restart, a dropped connection): transient.

    ``countdown``: seconds until the retry is due, when the job is queued again for it.
    None: nothing could be recorded; ``held`` is then the token of the claim this delivery
    leaves processing (if it had one), which the retry takes back at once
    (``enrichment_job_run``'s ``held``) instead of waiting for the lease to run out.
    """

    def __init__(self, *, countdown: float | None = None, held: datetime | None = None) -> None:
        super().__init__(DATABASE_UNAVAILABLE)
        self.countdown = countdown
        self.held = held


class JobFailed(Exception):
    """The job cannot succeed; ``message`` is for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- Queueing, cancelling, retrying -------------------------------------------------------


def enrichment_job_queue(
    *, user: User, job_type: JobType | str, input: JobInput | None = None, enqueue: bool = True
) -> EnrichmentJob:
    """Queue a job; its task is enqueued when the transaction commits."""
    job_type = JobType(job_type)
    data = input or JobInput()
    if job_type == JobType.RESUME_ENRICHMENT and data.resume_version_id is None:
        raise ValueError("A resume enrichment needs the resume version it follows.")
    if data.section is not None and data.section not in ENHANCEABLE:
        raise ValueError(
            f"Enhancing “{data.section}” is not possible: choose one of {', '.join(ENHANCEABLE)}."
        )
    with transaction.atomic():
        job = EnrichmentJob.objects.create(
            user=user,
            job_type=job_type,
            input_data=data.model_dump(mode="json", exclude_none=True),
            current_step="Waiting for a worker",
        )
        if enqueue:
            _enqueue_on_commit(job)
    return job


def _enqueue_on_commit(job: EnrichmentJob) -> None:
    # Imported here, not at the top: the tasks module imports this one.
    # CELERY_TASK_ROUTES sends it to the ai queue (under CELERY_QUEUE_PREFIX, if any).
    from enrichment.tasks import enrichment_job_run

    job_id, user_id = str(job.pk), str(job.user_id)

    def enqueue() -> None:
        # The job is committed: a broker that refuses it is the reconciler's to make up for
        # (it enqueues queued jobs left unchanged), never an error for the caller, which may
        # be a request or a resume stage that has just completed.
        try:
            enrichment_job_run.delay(job_id, user_id=user_id)
        except Exception:
            logger.warning(
                "could not hand an enrichment job to the broker; the reconciler will",
                extra={"job_id": job_id},
                exc_info=True,
            )

    transaction.on_commit(enqueue)


def enrichment_job_cancel(*, user: User, job_id: UUID | str) -> EnrichmentJob:
    """Stop a job that has not finished: a running worker stops at its next step and
    stores nothing. A finished job stays as it is."""
    with transaction.atomic():
        job = EnrichmentJob.objects.for_user(user).select_for_update().get(pk=job_id)
        if not job.is_terminal:
            job.status = JobStatus.CANCELLED
            job.current_step = "Cancelled by you"
            job.completed_at = timezone.now()
            job.updated_at = timezone.now()
            job.save()
    return job


def enrichment_job_retry(*, user: User, job_id: UUID | str) -> EnrichmentJob:
    """Queue a failed or cancelled job again, from the start."""
    with transaction.atomic():
        job = EnrichmentJob.objects.for_user(user).select_for_update().get(pk=job_id)
        if not job.can_retry:
            raise ValueError("Only a failed or cancelled job can be retried.")
        job.status = JobStatus.QUEUED
        job.error_details = None
        job.output_data = None
        job.progress_percentage = 0
        job.current_step = "Waiting for a worker"
        job.total_steps = None
        job.attempts = 0
        job.interruptions = 0
        job.queued_at = timezone.now()
        job.started_at = None
        job.completed_at = None
        job.updated_at = timezone.now()
        job.save()
        _enqueue_on_commit(job)
    return job


# -- Claiming and progress -----------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    job_id: UUID
    user_id: UUID
    job_type: JobType
    input: JobInput
    token: datetime  # started_at of this claim
    resume_version_id: UUID | None = None


def _lease() -> timedelta:
    return timedelta(seconds=settings.ENRICHMENT_JOB_LEASE_SECONDS)


def enrichment_job_claim(*, job_id: UUID | str, held: datetime | None = None) -> Claim | None:
    """Take the job if it is runnable now (queued, or its claim's lease ran out), else None.

    ``SKIP LOCKED``: a worker that finds another worker claiming the row at this instant
    goes away instead of waiting, and that worker's claim then makes the job not queued.
    ``held``: the token of this delivery's own claim, left processing after a database
    error that could not be recorded; it is taken back at once as the next attempt. A job
    whose attempts are spent is failed here instead of claimed (see the module's rules).
    """
    with transaction.atomic():
        job = EnrichmentJob.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
        if job is None:
            return None
        processing = job.status == JobStatus.PROCESSING
        lapsed = processing and job.updated_at < timezone.now() - _lease()
        interrupted = False
        if processing and (
            (held is not None and job.started_at == held)
            or (lapsed and job.updated_at < server_started_at())
        ):
            # Ended by a database error: our own claim, left processing after an error that
            # could not be recorded; or one whose lease ran out across a restart of the
            # database, which not even a live worker could renew. A transient failure.
            exhausted = SERVICE_UNAVAILABLE
        elif lapsed:
            # Its worker stopped mid-job (the lease ran out, the database up): this claim
            # takes it over.
            if job.interruptions + 1 >= MAX_INTERRUPTIONS:
                _mark_failed(job, INTERRUPTED)
                return None
            exhausted = (
                f"{INTERRUPTED_OUT_OF_ATTEMPTS} ({job.interruptions + 1} of its "
                f"{job.attempts} attempts were interrupted)"
            )
            interrupted = True
        elif job.status == JobStatus.QUEUED:
            # Not tried yet, or queued again after a transient failure.
            exhausted = UNAVAILABLE
        else:
            return None
        if job.attempts >= settings.ENRICHMENT_JOB_ATTEMPT_CAP:
            # Its budget is spent, whichever way the last attempt ended: never try again.
            _mark_failed(job, exhausted)
            return None
        if interrupted:
            job.interruptions += 1
        now = timezone.now()
        job.status = JobStatus.PROCESSING
        job.attempts += 1
        job.started_at = now
        job.progress_percentage = 0
        job.current_step = "Starting"
        job.error_details = None
        job.updated_at = now
        job.save()
        return Claim(
            job_id=job.pk,
            user_id=job.user_id,
            job_type=JobType(job.job_type),
            input=job.input,
            token=now,
            resume_version_id=job.input.resume_version_id,
        )


def enrichment_job_claim_next(*, job_types: list[JobType] | None = None) -> Claim | None:
    """The oldest queued job any worker may take (of ``job_types``), claimed, or None.

    Runs in whatever context the caller has: a user's (their jobs) or the system's (every
    user's; the benchmark's workers and the reconciler).
    """
    with transaction.atomic():
        queue = EnrichmentJob.objects.filter(status=JobStatus.QUEUED)
        if job_types:
            queue = queue.filter(job_type__in=[t.value for t in job_types])
        row = (
            queue.select_for_update(skip_locked=True)
            .order_by("queued_at")
            .values_list("pk", flat=True)
            .first()
        )
        return enrichment_job_claim(job_id=row) if row is not None else None


@dataclass
class Progress:
    """Reports a claimed job's steps; raises ``JobStopped`` once the claim is gone."""

    claim: Claim
    total: int = 1
    done: int = 0
    # Told (step, percentage) after each step is recorded: the command prints them.
    observer: Callable[[str, int], None] | None = None

    def step(self, name: str, *, total: int | None = None) -> None:
        if total is not None:
            self.total = total
        percentage = min(99, round(100 * self.done / max(1, self.total)))
        self.done += 1
        # A step may follow a long AI call: a connection the server dropped meanwhile (a
        # restart, an operator ending sessions) is replaced instead of failing the job.
        connections_checked()
        with user_context(self.claim.user_id):
            updated = EnrichmentJob.objects.filter(
                pk=self.claim.job_id, status=JobStatus.PROCESSING, started_at=self.claim.token
            ).update(
                current_step=name,
                progress_percentage=percentage,
                total_steps=self.total,
                updated_at=Now(),
            )
        if not updated:
            raise JobStopped(name)
        if self.observer is not None:
            self.observer(name, percentage)


# -- Running --------------------------------------------------------------------------------


@dataclass
class Results:
    """What a job's work produced, stored by ``_finish``."""

    analysis: Analysis | None = None
    facts: Facts | None = None
    entries: list[tuple[Entry, EntryDraft, list[Any]]] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    model_label: str = ""
    prompt: str = ""


def enrichment_job_run(
    *,
    job_id: UUID | str,
    user_id: UUID | str,
    provider: Provider | None = None,
    observer: Callable[[str, int], None] | None = None,
    held: datetime | None = None,
) -> str:
    """Run one job, safely under redelivery; returns what happened.

    ``TransientProviderError`` propagates (the job is queued again first) for the task to
    retry; so does ``DatabaseUnavailable``, after its ``countdown`` (None: nothing could be
    recorded; pass its ``held`` back as ``held``).
    """
    try:
        connections_checked()  # a connection kept from before a restart is replaced here
        with user_context(user_id):
            claim = enrichment_job_claim(job_id=job_id, held=held)
    except DATABASE_ERRORS as error:
        connections_reset()
        raise DatabaseUnavailable(held=held) from error
    if claim is None:
        return "skipped"
    return enrichment_job_work(claim, provider=provider, observer=observer)


def enrichment_job_work(
    claim: Claim,
    *,
    provider: Provider | None = None,
    observer: Callable[[str, int], None] | None = None,
) -> str:
    """The work and finish of a claimed job."""
    try:
        chosen = provider or get_provider(claim.input.provider)
        results = WORK[claim.job_type](claim, chosen, Progress(claim, observer=observer))
        connections_checked()  # the server may have restarted while the provider thought
        with user_context(claim.user_id):
            return _finish(claim, results)
    except JobStopped:
        return "stopped"
    except TransientProviderError as error:
        with user_context(claim.user_id):
            queued = _release(claim, error)
        if queued:
            raise  # for the task to retry after its backoff
        return "failed"
    except (JobFailed, PermanentProviderError, ProviderError) as error:
        message = error.message if isinstance(error, JobFailed) else str(error)
        with user_context(claim.user_id):
            enrichment_job_fail(job_id=claim.job_id, message=message, token=claim.token)
        return "failed"
    except DATABASE_ERRORS as error:
        connections_reset()
        logger.warning(
            "an enrichment job lost the database",
            extra={"job_id": str(claim.job_id)},
            exc_info=True,
        )
        failure = _database_failed(claim)
        if failure is None:
            return "failed"
        raise failure from error
    except Exception as error:
        logger.exception("enrichment job failed", extra={"job_id": str(claim.job_id)})
        with user_context(claim.user_id):
            enrichment_job_fail(
                job_id=claim.job_id,
                message=f"The job stopped on an unexpected error ({type(error).__name__}). "
                "Retry it; if it fails again, tell us.",
                token=claim.token,
            )
        return "failed"


def _database_failed(claim: Claim) -> DatabaseUnavailable | None:
    """Record the claim's attempt as the database being unavailable: the job queued again
    (the error to raise, its ``countdown`` set) or, past the budget, failed (None); if the
    database does not answer even that, the claim is held for the retry."""
    try:
        connections_checked()
        with user_context(claim.user_id):
            attempts = _requeue(
                claim,
                failed=SERVICE_UNAVAILABLE,
                waiting=f"{DATABASE_UNAVAILABLE}; trying again shortly.",
            )
    except DATABASE_ERRORS:
        connections_reset()
        return DatabaseUnavailable(held=claim.token)
    if attempts is None:
        return None  # failed for good (or taken over): nothing to retry
    return DatabaseUnavailable(countdown=retry_countdown(attempts))


def enrichment_job_attempts(*, job_id: UUID | str) -> int:
    """How many times the job was claimed (its backoff grows with it)."""
    attempts = EnrichmentJob.objects.filter(pk=job_id).values_list("attempts", flat=True).first()
    return int(attempts or 0)


def enrichment_job_fail(*, job_id: UUID | str, message: str, token: datetime | None = None) -> None:
    """End a job ``failed`` with ``message`` (only under claim ``token`` when given)."""
    with transaction.atomic():
        job = EnrichmentJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_terminal:
            return
        if token is not None and job.started_at != token:
            return
        _mark_failed(job, message)


def _mark_failed(job: EnrichmentJob, message: str) -> None:
    job.status = JobStatus.FAILED
    job.error_details = message
    job.current_step = "Failed"
    job.completed_at = timezone.now()
    job.updated_at = timezone.now()
    job.save()


def _release(claim: Claim, error: TransientProviderError) -> bool:
    """Queue the job again after a transient AI failure: True if it is (within
    ``ENRICHMENT_JOB_ATTEMPT_CAP``), False if it failed for good or lost its claim."""
    attempts = _requeue(
        claim,
        failed=f"{UNAVAILABLE} ({error})",
        waiting=f"The AI service is unavailable ({error}); trying again shortly.",
    )
    return attempts is not None


def _requeue(claim: Claim, *, failed: str, waiting: str) -> int | None:
    """Queue the job again after a transient failure (``waiting`` its step) and return its
    attempts so far; None if the budget is spent (it ends ``failed``) or the claim is lost."""
    with transaction.atomic():
        job = (
            EnrichmentJob.objects.select_for_update()
            .filter(pk=claim.job_id, status=JobStatus.PROCESSING, started_at=claim.token)
            .first()
        )
        if job is None:
            return None
        if job.attempts >= settings.ENRICHMENT_JOB_ATTEMPT_CAP:
            _mark_failed(job, failed)
            return None
        job.status = JobStatus.QUEUED
        job.current_step = waiting
        job.updated_at = timezone.now()
        job.save(update_fields=["status", "current_step", "updated_at"])
        return job.attempts


def _read_profile(claim: Claim, progress: Progress) -> tuple[list[Entry], Facts, Ground]:
    progress.step("Reading your profile")
    with user_context(claim.user_id):
        entries = selectors.profile_entries(claim.user_id)
    if not entries:
        raise JobFailed(
            "Your profile is empty, so there is nothing to enrich yet. Add your work "
            "experience (or upload a resume) and run it again."
        )
    progress.step("Computing facts from your dates, titles and entries")
    facts = compute(entries, today=date.today())
    return entries, facts, Ground.of(entries, facts)


def _analyse(
    provider: Provider, facts: Facts, ground: Ground, progress: Progress, results: Results
) -> None:
    progress.step("Writing your summary and narratives")
    analysis = provider.analyse(facts)
    progress.step("Checking every statement against your profile")
    results.analysis, rejected = checked(analysis, ground)
    results.rejected += rejected
    results.facts = facts


def _enhance(
    provider: Provider,
    entries: list[Entry],
    targets: list[Entry],
    facts: Facts,
    ground: Ground,
    progress: Progress,
    results: Results,
) -> None:
    for entry in targets:
        progress.step(f"Enhancing “{entry.ref.label}”")
        draft = provider.enrich(entry, facts)
        draft, rejected = checked_entry(draft, entry, ground)
        results.rejected += rejected
        skills = skills_in(entry.fields.get("description") or "", entries)
        if draft.enhanced_description or draft.achievement_bullets or skills:
            results.entries.append((entry, draft, skills))


def _profile_analysis(claim: Claim, provider: Provider, progress: Progress) -> Results:
    progress.total = 5
    results = Results(model_label=provider.model_label, prompt=provider.prompt)
    _, facts, ground = _read_profile(claim, progress)
    _analyse(provider, facts, ground, progress, results)
    progress.step("Saving")
    return results


def _bulk_enhancement(claim: Claim, provider: Provider, progress: Progress) -> Results:
    progress.total = 3
    results = Results(model_label=provider.model_label, prompt=provider.prompt)
    entries, facts, ground = _read_profile(claim, progress)
    section = claim.input.section or "work_experience"
    targets = [e for e in entries if e.entity_type == section]
    progress.total = 3 + len(targets)
    _enhance(provider, entries, targets, facts, ground, progress, results)
    progress.step("Saving")
    return results


def _resume_enrichment(claim: Claim, provider: Provider, progress: Progress) -> Results:
    """What a resume version added to or changed in the profile, then the whole profile's
    summary again (it may have changed)."""
    progress.total = 6
    results = Results(model_label=provider.model_label, prompt=provider.prompt)
    entries, facts, ground = _read_profile(claim, progress)
    with user_context(claim.user_id):
        touched = set(
            MergeDecision.objects.filter(
                source_group_id=claim.resume_version_id, status=DecisionStatus.APPLIED
            )
            .exclude(target_entity_id__isnull=True)
            .values_list("target_entity_id", flat=True)
        )
    targets = [
        e for e in entries if e.entity_type in ENHANCEABLE and e.ref.logical_entity_id in touched
    ]
    progress.total = 6 + len(targets)
    _enhance(provider, entries, targets, facts, ground, progress, results)
    _analyse(provider, facts, ground, progress, results)
    progress.step("Saving")
    return results


WORK: dict[JobType, Callable[[Claim, Provider, Progress], Results]] = {
    JobType.PROFILE_ANALYSIS: _profile_analysis,
    JobType.BULK_ENHANCEMENT: _bulk_enhancement,
    JobType.RESUME_ENRICHMENT: _resume_enrichment,
}


# -- Grounding ------------------------------------------------------------------------------


def _keep(
    statements: list[Statement], ground: Ground, where: str
) -> tuple[list[Statement], list[str]]:
    kept, rejected = [], []
    for statement in statements:
        problems = ground.check(statement)
        if problems:
            rejected.append(f"{where}: “{statement.text}” — {'; '.join(problems)}.")
        else:
            kept.append(statement)
    return kept, rejected


def checked(analysis: Analysis, ground: Ground) -> tuple[Analysis, list[str]]:
    """The analysis without what the grounding check refuses, and why each was refused.

    A narrative goes whole when its title or any of its sentences is refused: a story with
    a sentence missing would tell something else.
    """
    rejected: list[str] = []
    columns: dict[str, list[Statement]] = {}
    for column in SUMMARY_COLUMNS:
        columns[column], refused = _keep(getattr(analysis, column), ground, column)
        rejected += refused
    narratives: list[NarrativeDraft] = []
    for draft in analysis.narratives:
        problems = ground.problems(draft.title) + ground.problems(draft.time_period or "")
        kept, refused = _keep(draft.statements, ground, f"narrative “{draft.title}”")
        if problems:
            refused.append(f"narrative title “{draft.title}” — {'; '.join(problems)}.")
        if refused or not kept:
            rejected += refused or [f"narrative “{draft.title}” — it says nothing."]
            continue
        narratives.append(draft)
    return analysis.model_copy(update={**columns, "narratives": narratives}), rejected


def checked_entry(draft: EntryDraft, entry: Entry, ground: Ground) -> tuple[EntryDraft, list[str]]:
    """The entry draft without what the grounding check refuses."""
    rejected: list[str] = []
    description = draft.enhanced_description
    if description:
        problems = ground.problems(description, [entry.ref])
        if problems:
            rejected.append(f"{entry.ref.label}: “{description}” — {'; '.join(problems)}.")
            description = None
    kept, refused = _keep(
        [Statement(text=b, cites=[entry.ref]) for b in draft.achievement_bullets],
        ground,
        entry.ref.label,
    )
    context = draft.industry_context
    if context and ground.problems(context, [entry.ref]):
        rejected.append(f"{entry.ref.label}: “{context}” — not in your profile.")
        context = None
    return (
        draft.model_copy(
            update={
                "enhanced_description": description,
                "achievement_bullets": [s.text for s in kept],
                "industry_context": context,
            }
        ),
        rejected + refused,
    )


# -- Finishing ------------------------------------------------------------------------------


def _finish(claim: Claim, results: Results) -> str:
    with transaction.atomic():
        job = EnrichmentJob.objects.select_for_update().get(pk=claim.job_id)
        if job.status != JobStatus.PROCESSING or job.started_at != claim.token:
            return "superseded"
        # A job that runs again replaces its own results.
        for model in (CareerNarrative, CareerEnrichment, EntryEnrichment):
            model.objects.filter(job=job).delete()
        output = JobOutput(rejected=results.rejected, ai_model_used=results.model_label)
        if results.analysis is not None and results.facts is not None:
            _store_analysis(job, claim, results, output)
        for entry, draft, skills in results.entries:
            output.entry_enrichment_ids.append(
                _store_entry(job, claim, results, entry, draft, skills)
            )
        job.status = JobStatus.COMPLETED
        job.progress_percentage = 100
        job.current_step = "Done"
        job.completed_at = timezone.now()
        job.updated_at = timezone.now()
        job.output_data = output.model_dump(mode="json")
        job.save()
    return "completed"


def _text(statements: list[Statement]) -> str | None:
    return " ".join(s.text for s in statements) or None


def _store_analysis(job: EnrichmentJob, claim: Claim, results: Results, output: JobOutput) -> None:
    analysis, facts = results.analysis, results.facts
    assert analysis is not None
    assert facts is not None
    confidence = Decimal(str(round(analysis.confidence, 2)))
    enrichment = CareerEnrichment.objects.create(
        user_id=claim.user_id,
        resume_version_id=claim.resume_version_id,
        job=job,
        career_summary=_text(analysis.career_summary),
        professional_strengths=[s.text for s in analysis.professional_strengths] or None,
        growth_trajectory=_text(analysis.growth_trajectory),
        industry_positioning=_text(analysis.industry_positioning),
        quantified_achievements=QuantifiedAchievements(facts.achievements).model_dump(mode="json"),
        impact_statements=[s.text for s in analysis.impact_statements] or None,
        ai_model_used=results.model_label,
        confidence_score=confidence,
        generation_prompt=results.prompt,
        statements={
            column: [s.model_dump(mode="json") for s in getattr(analysis, column)]
            for column in SUMMARY_COLUMNS
        },
    )
    output.career_enrichment_id = enrichment.pk
    output.statements += sum(len(getattr(analysis, column)) for column in SUMMARY_COLUMNS)
    context = f"{results.prompt}\nEvents: " + ", ".join(
        f"{e.kind} ({e.after.period})" for e in facts.events
    )
    narratives = CareerNarrative.objects.bulk_create(
        CareerNarrative(
            user_id=claim.user_id,
            resume_version_id=claim.resume_version_id,
            job=job,
            narrative_type=draft.narrative_type,
            title=draft.title,
            content=" ".join(s.text for s in draft.statements),
            related_entities=RelatedEntities(
                list(dict.fromkeys(ref for s in draft.statements for ref in s.cites))
            ).model_dump(mode="json"),
            time_period=draft.time_period,
            relevance_score=Decimal(str(round(draft.relevance, 2))),
            ai_model_used=results.model_label,
            generation_context=context,
            statements=[s.model_dump(mode="json") for s in draft.statements],
        )
        for draft in analysis.narratives
    )
    output.narrative_ids += [narrative.pk for narrative in narratives]
    output.statements += sum(len(draft.statements) for draft in analysis.narratives)


def _store_entry(
    job: EnrichmentJob,
    claim: Claim,
    results: Results,
    entry: Entry,
    draft: EntryDraft,
    skills: list[Any],
) -> UUID:
    # A fresh proposal replaces the entity's older ones still waiting for the person.
    EntryEnrichment.objects.filter(
        user_id=claim.user_id,
        logical_entity_id=entry.ref.logical_entity_id,
        status=ProposalStatus.PROPOSED,
    ).delete()
    if draft.enhanced_description:
        kind = EnrichmentType.DESCRIPTION
    elif draft.achievement_bullets:
        kind = EnrichmentType.ACHIEVEMENTS
    else:
        kind = EnrichmentType.SKILLS
    row = EntryEnrichment.objects.create(
        user_id=claim.user_id,
        resume_version_id=claim.resume_version_id,
        job=job,
        entity_type=entry.entity_type,
        entity_id=entry.ref.version_id,
        logical_entity_id=entry.ref.logical_entity_id,
        enhanced_description=draft.enhanced_description,
        achievement_bullets=draft.achievement_bullets or None,
        skill_extractions=SkillExtractions(skills).model_dump(mode="json"),
        industry_context=draft.industry_context,
        enrichment_type=kind,
        ai_model_used=results.model_label,
        confidence_score=Decimal(str(round(draft.confidence, 2))),
    )
    return row.pk


# -- Accepting a proposal -------------------------------------------------------------------


class ProposalOutdated(Exception):
    """The entry changed since the proposal was made; nothing was written."""


def entry_enrichment_accept(*, user: User, enrichment_id: UUID | str) -> EntryEnrichment:
    """Write the proposal into the profile as the entry's next version (source
    ``ai_enrichment``), through merges; revertible from the entry's history.

    Raises ``ProposalOutdated`` when the entry changed since the proposal was made.
    """
    with transaction.atomic():
        row = EntryEnrichment.objects.for_user(user).select_for_update().get(pk=enrichment_id)
        if row.status != ProposalStatus.PROPOSED:
            return row
        spec = spec_for_type(row.entity_type)
        made_from = spec.model.objects.for_user(user).filter(pk=row.entity_id).first()
        if made_from is None:
            raise ProposalOutdated("The entry this was proposed for is gone.")
        changes: dict[str, Any] = {}
        if row.enhanced_description:
            changes["description"] = row.enhanced_description
        if row.achievement_bullets and "achievements" in spec.model.content_fields:
            changes["achievements"] = row.achievement_bullets
        if not changes:
            raise ValueError("This suggestion has nothing to write into the entry.")
        data = spec.data.model_validate({**made_from.content(), **changes})
        origin = Origin(
            source_type=Source.AI_ENRICHMENT,
            group_id=row.job_id or row.pk,
            label=f"AI enrichment ({row.ai_model_used}) of {row.created_at:%d %b %Y}",
            url=reverse("career"),
            text="",
        )
        try:
            decision = merge_revision_accept(
                user=user,
                origin=origin,
                proposal=Proposal(
                    source_entity_id=row.pk,
                    spec=spec,
                    data=data,
                    confidence=row.confidence_score or Decimal("0"),
                ),
                target_entity_id=made_from.logical_entity_id,
                target_version=made_from.version,
                fields=list(changes),
            )
        except StaleDecision as error:
            raise ProposalOutdated(
                f"“{made_from}” changed since this suggestion was made (now a newer "
                "version), so it was not applied. Run the enhancement again for a fresh one."
            ) from error
        row.status = ProposalStatus.ACCEPTED
        row.applied_version = decision.target_version
        row.updated_at = timezone.now()
        row.save()
    return row


# How sure enrichment is that a vocabulary name found in an entry's own text is a skill of
# the person: the name is there verbatim, but the sentence may mention it in passing.
NAMED_SKILL_CONFIDENCE = Decimal("0.85")


def entry_enrichment_add_skills(*, user: User, enrichment_id: UUID | str) -> list[MergeDecision]:
    """Propose the skills an entry names that the profile lacks, through merges (source
    ``ai_enrichment``, with the entry's text as evidence): they join the profile as the
    person's trust settings allow, or wait on the review screen. Safe to repeat."""
    row = EntryEnrichment.objects.for_user(user).get(pk=enrichment_id)
    missing = [found for found in row.skills.root if found.skill is None]
    if not missing:
        raise ValueError("Every skill this entry names is in your profile already.")
    spec = spec_for_type(row.entity_type)
    made_from = spec.model.objects.for_user(user).filter(pk=row.entity_id).first()
    text = getattr(made_from, "description", "") or ""
    skill_spec = spec_for_type("skill")
    origin = Origin(
        source_type=Source.AI_ENRICHMENT,
        group_id=row.pk,
        label=f"Skills named in “{made_from or 'a removed entry'}” (AI enrichment)",
        url=reverse("career"),
        text=text,
    )
    proposals = [
        Proposal(
            source_entity_id=uuid5(row.pk, found.canonical),
            spec=skill_spec,
            data=skill_spec.data.model_validate(
                {
                    "name": found.canonical,
                    "evidence": {"name": [(found.start, found.end)]}
                    if text[found.start : found.end] == found.name
                    else {},
                }
            ),
            confidence=NAMED_SKILL_CONFIDENCE,
        )
        for found in missing
    ]
    with transaction.atomic():
        return merge_decisions_propose(user_id=user.pk, origin=origin, proposals=proposals)


def entry_enrichment_dismiss(*, user: User, enrichment_id: UUID | str) -> EntryEnrichment:
    """The person does not want this proposal; the profile is unchanged."""
    with transaction.atomic():
        row = EntryEnrichment.objects.for_user(user).select_for_update().get(pk=enrichment_id)
        if row.status == ProposalStatus.PROPOSED:
            row.status = ProposalStatus.DISMISSED
            row.updated_at = timezone.now()
            row.save()
    return row


# -- Stuck work -----------------------------------------------------------------------------


def enrichment_jobs_reconcile() -> int:
    """Re-enqueue jobs whose task was lost or whose worker died (system context)."""
    stale = timezone.now() - _lease()
    stuck = EnrichmentJob.objects.filter(
        status__in=[JobStatus.QUEUED, JobStatus.PROCESSING], updated_at__lt=stale
    ).order_by("updated_at")[:500]
    count = 0
    for job in stuck:
        _enqueue_on_commit(job)
        count += 1
    if count:
        logger.warning("re-enqueued stuck enrichment jobs", extra={"count": count})
    return count

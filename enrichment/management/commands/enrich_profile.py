"""Queue an enrichment job for a user, run it, print its progress and its results as JSON."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careeros.ai import TransientProviderError
from careeros.db.rls import system_context, user_context
from enrichment import services
from enrichment.models import CareerEnrichment, CareerNarrative, EnrichmentJob, EntryEnrichment
from enrichment.schemas import JobInput, JobType
from profiles.models import User
from resumes.models import ProcessingStatus, ResumeVersion


class Command(BaseCommand):
    help = (
        "Queue an enrichment job (profile_analysis by default) for the user with e-mail EMAIL, "
        "run it here or on the Celery workers (--worker), print its progress, then its "
        "results as JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="the owner's e-mail address")
        parser.add_argument(
            "--job", choices=[t.value for t in JobType], default=JobType.PROFILE_ANALYSIS.value
        )
        parser.add_argument(
            "--section",
            default="work_experience",
            help="bulk_enhancement: the section to enhance (work_experience or project)",
        )
        parser.add_argument(
            "--worker",
            action="store_true",
            help="hand the job to the Celery workers (the ai queue) and wait for them",
        )
        parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            # An operator's command: the address is looked up through the system login.
            with system_context():
                user = User.objects.get(email__iexact=options["user"].strip())
        except User.DoesNotExist:
            raise CommandError(f"No user with the e-mail address {options['user']}.") from None
        job_type = JobType(options["job"])
        data = JobInput()
        if job_type == JobType.BULK_ENHANCEMENT:
            data = JobInput(section=options["section"])
        elif job_type == JobType.RESUME_ENRICHMENT:
            data = JobInput(resume_version_id=self._latest_version(user))
        try:
            with user_context(user.pk):
                job = services.enrichment_job_queue(
                    user=user, job_type=job_type, input=data, enqueue=options["worker"]
                )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Queued {job_type.value} job {job.pk}.")
        if options["worker"]:
            job = self._wait(user, job, options["timeout"])
        else:
            try:
                services.enrichment_job_run(
                    job_id=job.pk,
                    user_id=user.pk,
                    observer=lambda step, done: self.stdout.write(f"  {done:3d}%  {step}"),
                )
            except (TransientProviderError, services.DatabaseUnavailable) as error:
                raise CommandError(
                    f"{error} The job {job.pk} is queued again: the workers retry it when it is "
                    "due, or run this command again later."
                ) from error
        self._report(user, job)

    def _latest_version(self, user: User) -> Any:
        with user_context(user.pk):
            version = (
                ResumeVersion.objects.for_user(user)
                .filter(processing_status=ProcessingStatus.COMPLETED)
                .order_by("-processing_completed_at", "-created_at")
                .values_list("pk", flat=True)
                .first()
            )
        if version is None:
            raise CommandError("This user has no completed resume version to enrich.")
        return version

    def _wait(self, user: User, job: EnrichmentJob, timeout: float) -> EnrichmentJob:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            with user_context(user.pk):
                job = EnrichmentJob.objects.get(pk=job.pk)
            shown = (job.progress_percentage, job.current_step)
            if shown != last:
                self.stdout.write(f"  {job.progress_percentage or 0:3d}%  {job.current_step}")
                last = shown
            if job.is_terminal:
                return job
            time.sleep(0.2)
        raise CommandError(
            f"Still {job.status} ({job.current_step}) after {timeout:.0f} s; is a worker "
            "consuming the ai queue?"
        )

    def _report(self, user: User, job: EnrichmentJob) -> None:
        with user_context(user.pk):
            job = EnrichmentJob.objects.get(pk=job.pk)
            output = job.output
            enrichment = (
                CareerEnrichment.objects.filter(pk=output.career_enrichment_id).first()
                if output.career_enrichment_id
                else None
            )
            narratives = CareerNarrative.objects.filter(pk__in=output.narrative_ids)
            entries = EntryEnrichment.objects.filter(pk__in=output.entry_enrichment_ids)
            result: dict[str, Any] = {
                "job": {
                    "id": str(job.pk),
                    "type": job.job_type,
                    "status": job.status,
                    "error": job.error_details,
                    "ai_model_used": output.ai_model_used,
                    "statements": output.statements,
                    "rejected": output.rejected,
                },
                "career_enrichment": (
                    {
                        "career_summary": enrichment.career_summary,
                        "professional_strengths": enrichment.professional_strengths,
                        "growth_trajectory": enrichment.growth_trajectory,
                        "industry_positioning": enrichment.industry_positioning,
                        "impact_statements": enrichment.impact_statements,
                        "quantified_achievements": enrichment.quantified_achievements,
                        "statements": enrichment.statements,
                        "confidence_score": str(enrichment.confidence_score),
                    }
                    if enrichment
                    else None
                ),
                "narratives": [
                    {
                        "type": n.narrative_type,
                        "title": n.title,
                        "content": n.content,
                        "time_period": n.time_period,
                        "relevance_score": str(n.relevance_score),
                        "related_entities": n.related_entities,
                    }
                    for n in narratives
                ],
                "entry_enrichments": [
                    {
                        "entity_type": e.entity_type,
                        "entity_id": str(e.entity_id),
                        "enrichment_type": e.enrichment_type,
                        "enhanced_description": e.enhanced_description,
                        "achievement_bullets": e.achievement_bullets,
                        "skill_extractions": e.skill_extractions,
                    }
                    for e in entries
                ],
            }
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
        if job.status != "completed":
            raise CommandError(f"The job ended {job.status}: {job.error_details}")

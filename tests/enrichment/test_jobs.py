"""Enrichment jobs: every type end to end on a real worker, claims, cancel, retry, takeover."""

from __future__ import annotations

import io
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from careeros.ai import TransientProviderError
from careeros.db.rls import system_context, user_context
from enrichment import services
from enrichment.models import (
    CareerEnrichment,
    CareerNarrative,
    EnrichmentJob,
    EntryEnrichment,
    JobStatus,
)
from enrichment.schemas import JobInput, JobType
from enrichment.tasks import enrichment_job_run
from profiles.models import User
from resumes.models import ResumeVersion
from resumes.services import resume_stream_create, resume_version_upload
from tests.conftest import start_celery_worker, stop_process
from tests.enrichment.conftest import wait_for_job
from tests.enrichment.fixtures import CAREER, create_career
from tests.factories import make_user

RESUME = Path(__file__).resolve().parent.parent / "merges" / "resume_a.txt"


def queue(user: User, job_type: JobType, **kwargs: Any) -> EnrichmentJob:
    with user_context(user.pk):
        return services.enrichment_job_queue(user=user, job_type=job_type, **kwargs)


def test_profile_analysis_on_a_worker(pipeline_worker: str, user: User) -> None:
    """A queued profile analysis is run by a worker on the ai queue and stores a summary and
    narratives that cite the person's entities."""
    create_career(user)
    job = queue(user, JobType.PROFILE_ANALYSIS)
    done = wait_for_job(job.pk)
    assert done.status == JobStatus.COMPLETED, done.error_details
    assert done.progress_percentage == 100
    assert done.total_steps == 5
    output = done.output
    assert output.rejected == []
    assert output.career_enrichment_id is not None
    with user_context(user.pk):
        enrichment = CareerEnrichment.objects.get(pk=output.career_enrichment_id)
        narratives = CareerNarrative.objects.filter(job=job)
        assert enrichment.growth_trajectory is not None
        assert enrichment.growth_trajectory.startswith("Junior → Senior → Lead over")
        assert {n.narrative_type for n in narratives} == {
            "transition",
            "growth",
            "achievement",
            "challenge",
        }
        assert enrichment.ai_model_used == "offline-facts-1"
        assert enrichment.generation_prompt


def test_bulk_enhancement_on_a_worker(pipeline_worker: str, user: User) -> None:
    """Bulk enhancement proposes an enrichment for every entry of the section that has one."""
    create_career(user)
    job = queue(user, JobType.BULK_ENHANCEMENT, input=JobInput(section="work_experience"))
    done = wait_for_job(job.pk)
    assert done.status == JobStatus.COMPLETED, done.error_details
    with user_context(user.pk):
        proposals = {
            row.entity_id: row for row in EntryEnrichment.objects.filter(job=job, user=user)
        }
    assert len(proposals) == 4
    assert len(done.output.entry_enrichment_ids) == 4
    first = next(p for p in proposals.values() if "billing" in (p.enhanced_description or ""))
    assert {s.canonical for s in first.skills.root} == {"Python", "PostgreSQL"}
    assert first.achievement_bullets == [
        "Cut page load time by 40%",
        "Migrated 12,000 customer accounts to PostgreSQL",
    ]


def test_resume_enrichment_follows_a_completed_upload(pipeline_worker: str, user: User) -> None:
    """A resume version that completes queues a resume_enrichment job, which enriches the
    entries the upload added."""
    with user_context(user.pk):
        stream = resume_stream_create(user=user, name="Backend roles")
        data = RESUME.read_bytes()
        version = resume_version_upload(
            user=user, stream=stream, filename="cv.txt", content=io.BytesIO(data), size=len(data)
        )
    deadline_job = None
    for _ in range(600):
        with system_context():
            deadline_job = EnrichmentJob.objects.filter(
                user=user, job_type=JobType.RESUME_ENRICHMENT
            ).first()
            current = ResumeVersion.objects.get(pk=version.pk)
        if deadline_job is not None:
            break
        assert current.processing_status != "failed", current.processing_stages
        threading.Event().wait(0.1)
    assert deadline_job is not None, "no resume_enrichment job was queued"
    assert deadline_job.input.resume_version_id == version.pk
    done = wait_for_job(deadline_job.pk)
    assert done.status == JobStatus.COMPLETED, done.error_details
    with user_context(user.pk):
        enrichment = CareerEnrichment.objects.get(job=done)
        assert enrichment.resume_version_id == version.pk
        proposals = list(EntryEnrichment.objects.filter(job=done))
    assert proposals, "the upload's new work entries get proposals"
    assert all(p.resume_version_id == version.pk for p in proposals)


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_take_the_same_job(user: User) -> None:
    """Concurrent claims of one job: exactly one succeeds; of two jobs, each is taken once."""
    job = queue(user, JobType.PROFILE_ANALYSIS, enqueue=False)
    claims: list[Any] = []
    barrier = threading.Barrier(6)

    def claim(claim_next: bool) -> None:
        try:
            barrier.wait()
            with user_context(user.pk):
                found = (
                    services.enrichment_job_claim_next()
                    if claim_next
                    else services.enrichment_job_claim(job_id=job.pk)
                )
            claims.append(found)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(i % 2 == 0,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    taken = [c for c in claims if c is not None]
    assert len(taken) == 1
    with system_context():
        assert EnrichmentJob.objects.get(pk=job.pk).attempts == 1


@pytest.mark.django_db(transaction=True)
def test_cancel_stops_a_running_job(user: User) -> None:
    """A job cancelled while it works stops at its next step and stores nothing."""
    create_career(user)
    job = queue(user, JobType.PROFILE_ANALYSIS, enqueue=False)
    with user_context(user.pk):
        claim = services.enrichment_job_claim(job_id=job.pk)
        services.enrichment_job_cancel(user=user, job_id=job.pk)
    assert claim is not None
    assert services.enrichment_job_work(claim) == "stopped"
    with user_context(user.pk):
        job.refresh_from_db()
        assert job.status == JobStatus.CANCELLED
        assert not CareerEnrichment.objects.filter(job=job).exists()
    # A queued job cancelled before any worker saw it is skipped by the worker.
    other = queue(user, JobType.PROFILE_ANALYSIS, enqueue=False)
    with user_context(user.pk):
        services.enrichment_job_cancel(user=user, job_id=other.pk)
    assert services.enrichment_job_run(job_id=other.pk, user_id=user.pk) == "skipped"


@pytest.mark.django_db(transaction=True)
def test_failed_job_says_why_and_retries(user: User) -> None:
    """An empty profile fails the job with a readable reason; after adding entries, retry
    completes it."""
    job = queue(user, JobType.PROFILE_ANALYSIS, enqueue=False)
    assert services.enrichment_job_run(job_id=job.pk, user_id=user.pk) == "failed"
    with user_context(user.pk):
        job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error_details is not None
    assert "profile is empty" in job.error_details
    with user_context(user.pk), pytest.raises(ValueError, match="failed or cancelled"):
        services.enrichment_job_retry(user=user, job_id=queue(user, JobType.PROFILE_ANALYSIS).pk)
    create_career(user)
    with user_context(user.pk):
        services.enrichment_job_retry(user=user, job_id=job.pk)
        job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert services.enrichment_job_run(job_id=job.pk, user_id=user.pk) == "completed"
    with user_context(user.pk):
        job.refresh_from_db()
        assert job.status == JobStatus.COMPLETED
        assert job.error_details is None
        assert CareerEnrichment.objects.filter(job=job).count() == 1


def _rate_limited(job: EnrichmentJob, user: User, *, times: int) -> None:
    """``times`` claims of the job, each meeting a 429: it is queued again."""
    busy = TransientProviderError("The AI service is rate limiting requests (429).")
    with user_context(user.pk):
        for _ in range(times):
            claim = services.enrichment_job_claim(job_id=job.pk)
            assert claim is not None
            assert services._release(claim, busy) is True


@pytest.mark.django_db(transaction=True)
def test_transient_failures_do_not_count_as_interruptions(
    user: User, settings: Any, lapse: Callable[[], None]
) -> None:
    """Four 429s and then a lost worker: the takeover is the first interruption, not the
    "interrupted repeatedly" end; three lost workers in a row still end it so."""
    settings.ENRICHMENT_JOB_ATTEMPT_CAP = 8  # room for all seven attempts
    job = queue(user, JobType.PROFILE_ANALYSIS, enqueue=False)
    _rate_limited(job, user, times=4)
    with user_context(user.pk):
        assert services.enrichment_job_claim(job_id=job.pk) is not None
    for interruption in (1, 2):  # the worker dies; the next delivery takes the job over
        lapse()
        with user_context(user.pk):
            taken = services.enrichment_job_claim(job_id=job.pk)
            assert taken is not None
            state = EnrichmentJob.objects.get(pk=job.pk)
        assert state.status == JobStatus.PROCESSING
        assert (state.attempts, state.interruptions) == (5 + interruption, interruption)
    lapse()
    with user_context(user.pk):
        assert services.enrichment_job_claim(job_id=job.pk) is None
        ended = EnrichmentJob.objects.get(pk=job.pk)
    assert ended.status == JobStatus.FAILED
    assert ended.error_details == services.INTERRUPTED
    assert ended.interruptions == 2
    # The Retry button starts it afresh: attempts and interruptions at 0.
    with user_context(user.pk):
        services.enrichment_job_retry(user=user, job_id=job.pk)
        again = EnrichmentJob.objects.get(pk=job.pk)
    assert (again.status, again.attempts, again.interruptions) == (JobStatus.QUEUED, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_a_takeover_past_the_attempt_cap_ends_the_job_instead(
    user: User, settings: Any, lapse: Callable[[], None]
) -> None:
    """A 429, then lost workers: a takeover is an attempt of ENRICHMENT_JOB_ATTEMPT_CAP like
    any other, so the one that would be past it ends the job, interrupted and saying how
    many of its attempts were."""
    settings.ENRICHMENT_JOB_ATTEMPT_CAP = 3
    job = queue(user, JobType.PROFILE_ANALYSIS, enqueue=False)
    _rate_limited(job, user, times=1)
    with user_context(user.pk):
        assert services.enrichment_job_claim(job_id=job.pk) is not None
    lapse()  # the worker of attempt 2 dies; attempt 3 takes over
    with user_context(user.pk):
        assert services.enrichment_job_claim(job_id=job.pk) is not None
    lapse()  # and its worker too
    with user_context(user.pk):
        assert services.enrichment_job_claim(job_id=job.pk) is None
        ended = EnrichmentJob.objects.get(pk=job.pk)
    assert ended.status == JobStatus.FAILED
    assert (ended.attempts, ended.interruptions) == (3, 1)
    assert ended.error_details == (
        f"{services.INTERRUPTED_OUT_OF_ATTEMPTS} (2 of its 3 attempts were interrupted)"
    )


def test_abandoned_job_is_taken_over_and_completes_once(pipeline_worker: str, user: User) -> None:
    """A job whose worker died mid-way (claimed, lease run out) is claimed again by a live
    worker and completes once; the dead worker's late result is refused."""
    create_career(user)
    job = queue(user, JobType.PROFILE_ANALYSIS, enqueue=False)
    with user_context(user.pk):
        dead = services.enrichment_job_claim(job_id=job.pk)
    assert dead is not None
    # While the lease holds nobody else may take it.
    with user_context(user.pk):
        assert services.enrichment_job_claim(job_id=job.pk) is None
    with system_context():
        EnrichmentJob.objects.filter(pk=job.pk).update(
            updated_at=timezone.now() - timedelta(hours=2), current_step="Writing your summary"
        )
    enrichment_job_run.delay(str(job.pk), user_id=str(user.pk))
    done = wait_for_job(job.pk)
    assert done.status == JobStatus.COMPLETED, done.error_details
    assert done.attempts == 2
    # The presumed-dead worker wakes up and finishes: its claim is gone, nothing is stored.
    assert services.enrichment_job_work(dead) == "stopped"
    with system_context():
        assert CareerEnrichment.objects.filter(job=job).count() == 1
        narratives = CareerNarrative.objects.filter(job=job).count()
    assert narratives == len(done.output.narrative_ids)


def test_two_real_workers_each_job_once(pipeline_worker: str, user: User) -> None:
    """Two workers, every task delivered twice: each job is claimed once and stores one
    set of results."""
    second = start_celery_worker(f"ai-second-{uuid.uuid4().hex[:6]}@localhost")
    try:
        people = [user, *(make_user() for _ in range(5))]
        jobs = []
        for person in people:
            create_career(person, CAREER[:3])
            job = queue(person, JobType.PROFILE_ANALYSIS)
            # A redelivered message: the same task a second time.
            enrichment_job_run.apply_async((str(job.pk),), {"user_id": str(person.pk)}, queue="ai")
            jobs.append(job)
        done = [wait_for_job(job.pk) for job in jobs]
    finally:
        stop_process(second)
    assert [job.status for job in done] == [JobStatus.COMPLETED] * len(jobs)
    assert [job.attempts for job in done] == [1] * len(jobs)
    with system_context():
        for job in jobs:
            assert CareerEnrichment.objects.filter(job=job).count() == 1

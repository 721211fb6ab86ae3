"""The career page, job progress, proposals, and a second user who sees none of it."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.urls import reverse

from careeros.db.rls import user_context
from careeros.db.versioning import Source
from enrichment import services
from enrichment.models import EnrichmentJob, EntryEnrichment, JobStatus, ProposalStatus
from enrichment.schemas import JobInput, JobType
from profiles.models import Skill, User, WorkExperience
from profiles.services import entity_revert, entity_revise
from tests.enrichment.fixtures import create_career

TABLES = ("career_enrichment", "career_narratives", "entry_enrichment", "enrichment_jobs")


def run(user: User, job_type: JobType, **kwargs: Any) -> EnrichmentJob:
    """Queue a job and run it in this process (no broker)."""
    with user_context(user.pk):
        job = services.enrichment_job_queue(user=user, job_type=job_type, enqueue=False, **kwargs)
    services.enrichment_job_run(job_id=job.pk, user_id=user.pk)
    with user_context(user.pk):
        job.refresh_from_db()
    assert job.status == JobStatus.COMPLETED, job.error_details
    return job


def test_career_page_links_every_sentence_to_its_entities(signed_in: Client, user: User) -> None:
    """The career page shows the summary and narratives, each sentence with links to the
    history pages of the entries it cites."""
    entities = create_career(user)
    run(user, JobType.PROFILE_ANALYSIS)
    page = signed_in.get("/career/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Junior → Senior → Lead over" in html
    assert "A gap of 8 months" in html
    junior = entities[0]
    assert reverse("entity_history", args=("work", junior.logical_entity_id)) in html
    assert "Cut page load time by 40%" in html


def test_dashboard_card_shows_the_summary(signed_in: Client, user: User) -> None:
    """The dashboard loads a Career story card with the summary's first sentences."""
    create_career(user)
    assert "Not written yet" in signed_in.get("/career/card_hx").content.decode()
    run(user, JobType.PROFILE_ANALYSIS)
    card = signed_in.get("/career/card_hx").content.decode()
    assert "of experience across 4 roles at 2 employers" in card
    assert 'id="career-card"' in signed_in.get("/").content.decode()


def test_progress_polls_the_job_row_and_stops_with_286(signed_in: Client, user: User) -> None:
    """The status partial keeps polling while the job is queued and answers 286 with the
    results once it is done."""
    create_career(user)
    start = signed_in.post("/career/jobs/", {"job_type": "profile_analysis"})
    assert start.status_code == 302
    with user_context(user.pk):
        job = EnrichmentJob.objects.get(user=user)
    assert start["Location"] == reverse("enrichment_job", args=(job.pk,))
    url = reverse("enrichment_job_status_hx", args=(job.pk,))
    polling = signed_in.get(url, headers={"HX-Request": "true"})
    assert polling.status_code == 200
    assert 'hx-trigger="every 1s"' in polling.content.decode()
    services.enrichment_job_run(job_id=job.pk, user_id=user.pk)
    done = signed_in.get(url, headers={"HX-Request": "true"})
    assert done.status_code == 286
    html = done.content.decode()
    assert "hx-trigger" not in html
    assert "Wrote" in html
    assert "of experience across 4 roles at 2 employers" in html


def test_bad_job_request_says_what_went_wrong(signed_in: Client, user: User) -> None:
    """An unknown job type or section is refused with a message, nothing queued."""
    response = signed_in.post("/career/jobs/", {"job_type": "nonsense"}, follow=True)
    assert "could not be started" in response.content.decode()
    response = signed_in.post(
        "/career/jobs/", {"job_type": "bulk_enhancement", "section": "skill"}, follow=True
    )
    assert "not possible" in response.content.decode()
    with user_context(user.pk):
        assert not EnrichmentJob.objects.exists()


def test_cancel_and_retry_from_the_job_page(signed_in: Client, user: User) -> None:
    """Cancel stops a queued job; retry queues it again."""
    signed_in.post("/career/jobs/", {"job_type": "profile_analysis"})
    with user_context(user.pk):
        job = EnrichmentJob.objects.get(user=user)
    signed_in.post(reverse("enrichment_job_cancel", args=(job.pk,)))
    with user_context(user.pk):
        job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    signed_in.post(reverse("enrichment_job_retry", args=(job.pk,)))
    with user_context(user.pk):
        job.refresh_from_db()
    assert job.status == JobStatus.QUEUED


def test_accepting_a_proposal_writes_a_revertible_ai_version(signed_in: Client, user: User) -> None:
    """Accepting writes the entry's next version with source ai_enrichment through merges;
    accepting again changes nothing; the history can revert it."""
    entities = create_career(user)
    run(user, JobType.BULK_ENHANCEMENT, input=JobInput(section="work_experience"))
    junior = entities[0]
    with user_context(user.pk):
        proposal = EntryEnrichment.objects.get(
            user=user, logical_entity_id=junior.logical_entity_id
        )
    assert "Cut page load time by 40%" in signed_in.get("/career/").content.decode()
    accept = reverse("entry_enrichment_accept", args=(proposal.pk,))
    signed_in.post(accept)
    signed_in.post(accept)
    with user_context(user.pk):
        chain = list(WorkExperience.objects.history(junior.logical_entity_id))
        proposal.refresh_from_db()
    assert [v.version for v in chain] == [1, 2]
    assert chain[-1].source == Source.AI_ENRICHMENT
    assert chain[-1].description == proposal.enhanced_description
    assert chain[-1].description.startswith("- Maintaining the billing service")
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.applied_version == 2
    with user_context(user.pk):
        reverted = entity_revert(
            model=WorkExperience, user=user, logical_entity_id=junior.logical_entity_id, version=1
        )
    assert reverted.description == junior.description


def test_a_proposal_for_a_changed_entry_is_not_applied(signed_in: Client, user: User) -> None:
    """If the entry changed since the proposal, accepting writes nothing and says why."""
    entities = create_career(user)
    run(user, JobType.BULK_ENHANCEMENT, input=JobInput(section="work_experience"))
    lead = entities[3]
    with user_context(user.pk):
        proposal = EntryEnrichment.objects.get(user=user, logical_entity_id=lead.logical_entity_id)
        entity_revise(
            model=WorkExperience,
            user=user,
            logical_entity_id=lead.logical_entity_id,
            changes={"location": "Leeds"},
        )
    response = signed_in.post(reverse("entry_enrichment_accept", args=(proposal.pk,)), follow=True)
    assert "changed since this suggestion was made" in response.content.decode()
    with user_context(user.pk):
        assert WorkExperience.objects.history(lead.logical_entity_id).count() == 2
        proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


def test_second_user_sees_and_changes_nothing(client: Client, user: User, other_user: User) -> None:
    """Another person gets 404 for the first person's jobs and proposals, an empty career
    page and card, and zero rows from every enrichment table in raw SQL."""
    create_career(user)
    job = run(user, JobType.PROFILE_ANALYSIS)
    run(user, JobType.BULK_ENHANCEMENT, input=JobInput(section="work_experience"))
    with user_context(user.pk):
        proposal = EntryEnrichment.objects.filter(user=user).first()
    assert proposal is not None
    client.force_login(other_user)
    career = client.get("/career/").content.decode()
    assert "Acme" not in career
    assert "No career story yet" in career
    assert "Acme" not in client.get("/career/card_hx").content.decode()
    for url in (
        reverse("enrichment_job", args=(job.pk,)),
        reverse("enrichment_job_status_hx", args=(job.pk,)),
    ):
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 404
    for url in (
        reverse("enrichment_job_cancel", args=(job.pk,)),
        reverse("enrichment_job_retry", args=(job.pk,)),
        reverse("entry_enrichment_accept", args=(proposal.pk,)),
        reverse("entry_enrichment_add_skills", args=(proposal.pk,)),
        reverse("entry_enrichment_dismiss", args=(proposal.pk,)),
    ):
        assert client.post(url).status_code == 404
    with user_context(user.pk):
        proposal.refresh_from_db()
        job.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    assert job.status == JobStatus.COMPLETED
    for table in TABLES:
        with user_context(other_user.pk), connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
            assert cursor.fetchone() == (0,), table
        with user_context(user.pk), connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            (count,) = cursor.fetchone()
            assert count > 0, table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - no context: none
            assert cursor.fetchone() == (0,), table


def test_skills_an_entry_names_join_the_profile_through_merges(
    signed_in: Client, user: User
) -> None:
    """Skills a description names that the profile lacks are proposed through merges with
    source ai_enrichment; asking twice adds nothing more."""
    entities = create_career(user)
    run(user, JobType.BULK_ENHANCEMENT, input=JobInput(section="work_experience"))
    junior = entities[0]
    with user_context(user.pk):
        proposal = EntryEnrichment.objects.get(
            user=user, logical_entity_id=junior.logical_entity_id
        )
    assert [s.canonical for s in proposal.skills.root if s.skill is None] == ["PostgreSQL"]
    url = reverse("entry_enrichment_add_skills", args=(proposal.pk,))
    response = signed_in.post(url, follow=True)
    assert "1 skill added to your profile" in response.content.decode()
    signed_in.post(url)
    with user_context(user.pk):
        added = list(Skill.objects.for_user(user).current().filter(name="PostgreSQL"))
    assert len(added) == 1
    assert added[0].source == Source.AI_ENRICHMENT
    origin = added[0].origin
    assert origin is not None
    assert origin.fields["name"][0].text == "PostgreSQL"

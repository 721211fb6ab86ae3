"""Merge review: a second upload refines the profile instead of duplicating it."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from careeros.db.rls import user_context
from merges import services
from merges.models import DecisionStatus, DecisionType, MergeDecision
from merges.schemas import Prefer
from profiles import services as profile_services
from profiles.entities import ENTITY_SPECS
from profiles.models import Profile, User, WorkExperience
from resumes import services as resume_services
from resumes.models import ParsedResumeEntity, ResumeVersion
from tests.resumes.conftest import media_root  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db(transaction=True)

HERE = Path(__file__).parent
RESUME_A = HERE / "resume_a.txt"
RESUME_A_UPDATED = HERE / "resume_a_updated.txt"
HX = {"HX-Request": "true"}


def import_resume(user: User, path: Path) -> ResumeVersion:
    call_command("import_resume", str(path), user=user.email, stream="Main", stdout=StringIO())
    with user_context(user.pk):
        version = ResumeVersion.objects.order_by("-created_at").first()
    assert version is not None
    assert version.processing_status == "completed", version.processing_stages
    return version


def counts(user: User) -> dict[str, int]:
    with user_context(user.pk):
        return {
            spec.slug: spec.model.objects.for_user(user).current().count() for spec in ENTITY_SPECS
        }


def pending(user: User) -> list[MergeDecision]:
    with user_context(user.pk):
        return list(MergeDecision.objects.for_user(user).pending().order_by("created_at"))


def test_a_first_resume_fills_an_empty_profile_and_nothing_waits(
    user: User,
    media_root: Path,  # noqa: F811
) -> None:
    version = import_resume(user, RESUME_A)
    assert counts(user) == {
        "basics": 1,
        "work": 2,
        "education": 1,
        "skills": 6,
        "projects": 0,
        "certifications": 1,
    }
    assert pending(user) == []
    with user_context(user.pk):
        parsed = list(ParsedResumeEntity.objects.filter(resume_version=version))
        decisions = {d.pk: d for d in MergeDecision.objects.all()}
        job = WorkExperience.objects.current().get(company="Globex Corporation")
    assert all(entity.applied_to_profile for entity in parsed)
    assert {entity.merge_decision_id for entity in parsed} == set(decisions)
    assert all(d.status == DecisionStatus.APPLIED for d in decisions.values())
    assert (job.source, job.title, job.end_date) == ("upload", "Software Engineer", "2021-12")
    assert "resume_a.txt" in job.change_reason
    assert job.source_confidence is not None


def test_an_updated_resume_refines_the_profile_without_duplicates(
    user: User,
    media_root: Path,  # noqa: F811
) -> None:
    import_resume(user, RESUME_A)
    before = counts(user)
    import_resume(user, RESUME_A_UPDATED)

    # Exactly one new entity (the new job); the changed job waits as a merge.
    after = counts(user)
    assert after == {**before, "work": before["work"] + 1}
    waiting = pending(user)
    assert [(d.entity_type, d.decision_type) for d in waiting] == [("work_experience", "merge")]
    merge = waiting[0]
    assert merge.preferences.dump() == {
        "title": "upload",
        "company": "upload",
        "end_date": "upload",
        "description": "upload",
    }
    assert "Software Engineer" in (merge.merge_reason or "")

    with user_context(user.pk):
        assert services.merge_decisions_accept_all(user=user) == 1
    assert counts(user) == after
    assert pending(user) == []
    with user_context(user.pk):
        job = WorkExperience.objects.current().get(title="Senior Software Engineer")
        history = list(WorkExperience.objects.history(job.logical_entity_id))
    assert (job.company, job.end_date) == ("Globex Corp.", "2024-02")
    assert job.description is not None
    assert "3 million" in job.description
    # Both uploads are in the history, each named.
    assert [(v.version, v.source) for v in history] == [(1, "upload"), (2, "upload")]
    assert "resume_a.txt" in history[0].change_reason
    assert "resume_a_updated.txt" in history[1].change_reason

    # A third upload of the same resume changes nothing and asks nothing.
    import_resume(user, RESUME_A_UPDATED)
    assert counts(user) == after
    assert pending(user) == []


def test_proposing_and_applying_twice_changes_nothing(
    user: User,
    media_root: Path,  # noqa: F811
) -> None:
    import_resume(user, RESUME_A)
    version = import_resume(user, RESUME_A_UPDATED)
    with user_context(user.pk):
        decisions_before = MergeDecision.objects.count()
        assert resume_services.resume_version_propose(version=version, user_id=user.pk) == []
        assert MergeDecision.objects.count() == decisions_before
    merge = pending(user)[0]
    with user_context(user.pk):
        services.merge_decision_apply(user=user, decision_id=merge.pk)
        versions = WorkExperience.objects.count()
        again = services.merge_decision_apply(user=user, decision_id=merge.pk)
        assert again.status == DecisionStatus.APPLIED
        assert WorkExperience.objects.count() == versions


def test_a_stale_decision_is_re_evaluated_not_applied(
    user: User,
    media_root: Path,  # noqa: F811
) -> None:
    import_resume(user, RESUME_A)
    import_resume(user, RESUME_A_UPDATED)
    merge = pending(user)[0]
    with user_context(user.pk):
        # The person edits the job by hand after the suggestion was made.
        profile_services.entity_revise(
            model=WorkExperience,
            user=user,
            logical_entity_id=merge.target_entity_id,  # type: ignore[arg-type]
            changes={"title": "Software Engineer II"},
        )
        with pytest.raises(services.StaleDecision, match="changed since"):
            services.merge_decision_apply(user=user, decision_id=merge.pk)
        merge.refresh_from_db()
        job = WorkExperience.objects.current().get(logical_entity_id=str(merge.target_entity_id))
    assert merge.status == DecisionStatus.PENDING
    assert merge.target_version == 2
    assert "worked out again" in (merge.merge_reason or "")
    # The hand-typed title is now preferred over the resume's.
    assert merge.preferences.get("title") == Prefer.PROFILE
    assert job.title == "Software Engineer II"
    with user_context(user.pk):
        services.merge_decision_apply(user=user, decision_id=merge.pk)
        job = WorkExperience.objects.current().get(logical_entity_id=str(merge.target_entity_id))
    assert (job.title, job.end_date, job.version) == ("Software Engineer II", "2024-02", 3)


def test_an_applied_decision_is_undone_through_the_history(
    user: User,
    media_root: Path,  # noqa: F811
) -> None:
    import_resume(user, RESUME_A)
    import_resume(user, RESUME_A_UPDATED)
    merge = pending(user)[0]
    with user_context(user.pk):
        services.merge_decision_apply(user=user, decision_id=merge.pk)
        profile_services.entity_revert(
            model=WorkExperience,
            user=user,
            logical_entity_id=merge.target_entity_id,  # type: ignore[arg-type]
            version=1,
        )
        job = WorkExperience.objects.current().get(logical_entity_id=str(merge.target_entity_id))
    assert (job.title, job.end_date, job.version) == ("Software Engineer", "2021-12", 3)


def test_keep_separate_and_skip(user: User, media_root: Path) -> None:  # noqa: F811
    import_resume(user, RESUME_A)
    import_resume(user, RESUME_A_UPDATED)
    merge = pending(user)[0]
    with user_context(user.pk):
        services.merge_decision_apply(
            user=user, decision_id=merge.pk, decision_type=DecisionType.SKIP
        )
        parsed = ParsedResumeEntity.objects.get(pk=merge.source_entity_id)
    assert parsed.applied_to_profile is False
    assert parsed.merge_decision_id == merge.pk
    assert counts(user)["work"] == 3


def test_auto_apply_above_the_persons_threshold(
    user: User,
    media_root: Path,  # noqa: F811
) -> None:
    import_resume(user, RESUME_A)
    with user_context(user.pk):
        Profile.objects.filter(user=user).update(merge_auto_apply_threshold="0.70")
    import_resume(user, RESUME_A_UPDATED)
    assert pending(user) == []
    with user_context(user.pk):
        assert WorkExperience.objects.current().filter(title="Senior Software Engineer").exists()


def test_the_review_screen_shows_fields_side_by_side_with_evidence(
    signed_in: Client,
    user: User,
    media_root: Path,  # noqa: F811
) -> None:
    import_resume(user, RESUME_A)
    import_resume(user, RESUME_A_UPDATED)
    assert reverse("merge_dashboard_card_hx") in signed_in.get("/").content.decode()
    card = signed_in.get(reverse("merge_dashboard_card_hx")).content.decode()
    assert "1</strong> suggestion from your resumes waits" in card
    page = signed_in.get(reverse("merge_review")).content.decode()
    assert "resume_a_updated.txt" in page
    assert "Senior Software Engineer" in page
    assert "Software Engineer" in page
    # The upload's title with the resume text it was read from.
    assert "<mark>Senior Software Engineer</mark>" in page
    assert 'name="prefer_title" value="upload" checked' in page

    merge = pending(user)[0]
    response = signed_in.post(
        reverse("merge_decision_hx", args=[merge.pk]),
        {
            "action": "accept",
            "prefer_title": "profile",
            "prefer_company": "profile",
            "prefer_end_date": "upload",
            "prefer_description": "upload",
        },
        headers=HX,
    )
    assert response.status_code == 200
    assert "Merged into your profile" in response.content.decode()
    with user_context(user.pk):
        job = WorkExperience.objects.current().get(logical_entity_id=str(merge.target_entity_id))
    assert (job.title, job.company, job.end_date) == (
        "Software Engineer",
        "Globex Corporation",
        "2024-02",
    )
    assert "Nothing waits for review" in signed_in.get(reverse("merge_review")).content.decode()


def test_a_second_user_can_neither_see_nor_apply_decisions(
    client: Client,
    user: User,
    other_user: User,
    media_root: Path,  # noqa: F811
) -> None:
    import_resume(user, RESUME_A)
    import_resume(user, RESUME_A_UPDATED)
    merge = pending(user)[0]
    client.force_login(other_user)
    page = client.get(reverse("merge_review")).content.decode()
    assert "Senior Software Engineer" not in page
    assert "Nothing waits for review" in page
    response = client.post(reverse("merge_decision_hx", args=[merge.pk]), {"action": "accept"})
    assert response.status_code == 404
    client.post(reverse("merge_accept_all"))
    assert [d.pk for d in pending(user)] == [merge.pk]
    with user_context(other_user.pk):
        assert not MergeDecision.objects.exists()
        with pytest.raises(MergeDecision.DoesNotExist):
            services.merge_decision_apply(user=other_user, decision_id=merge.pk)


def test_the_threshold_setting_is_validated(signed_in: Client, user: User) -> None:
    response = signed_in.post(reverse("merge_settings"), {"threshold": "0.2"}, follow=True)
    assert "between 0.50 and 1.00" in response.content.decode()
    signed_in.post(reverse("merge_settings"), {"threshold": "0.85"})
    with user_context(user.pk):
        assert str(Profile.objects.get(user=user).merge_auto_apply_threshold) == "0.85"


def test_an_entity_missing_a_required_field_waits_and_explains(
    signed_in: Client,
    user: User,
    media_root: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """A job without an employer cannot become a profile entity as it is: it waits, says
    why, and asks for the missing field on its card; filled in, it is added."""
    resume = tmp_path / "no_company.txt"
    resume.write_text(
        "Sam Lee\nsam@example.com\n\nEXPERIENCE\n\nFreelance Photographer\nJan 2018 - Present\n"
        "- Shot weddings and events\n\nSKILLS\n\nLightroom, Photoshop\n"
    )
    import_resume(user, resume)
    waiting = pending(user)
    assert [(d.entity_type, d.decision_type) for d in waiting] == [
        ("work_experience", "keep_separate")
    ]
    assert counts(user)["skills"] == 2
    page = signed_in.get(reverse("merge_review")).content.decode()
    # The engine cannot tell a title from an employer here: one of them is missing.
    assert "The source gives no" in page
    [missing] = [name for name in ("title", "company") if f'name="complete_{name}"' in page]
    response = signed_in.post(
        reverse("merge_decision_hx", args=[waiting[0].pk]), {"action": "keep_separate"}, headers=HX
    )
    assert response.status_code == 422
    assert "cannot be added as it is" in response.content.decode()
    assert counts(user)["work"] == 0
    with user_context(user.pk):
        assert services.merge_decisions_accept_all(user=user) == 0
    signed_in.post(
        reverse("merge_decision_hx", args=[waiting[0].pk]),
        {"action": "keep_separate", f"complete_{missing}": "Studio Lee"},
        headers=HX,
    )
    assert pending(user) == []
    assert counts(user)["work"] == 1
    with user_context(user.pk):
        assert WorkExperience.objects.current().get().content()[missing] == "Studio Lee"


def test_operators_see_decisions_in_the_admin(
    client: Client,
    user: User,
    media_root: Path,  # noqa: F811
) -> None:
    import_resume(user, RESUME_A)
    operator = User.objects.create_superuser("ops@example.com", "x-ops-password-1")
    client.force_login(operator)
    page = client.get(reverse("admin:merges_mergedecision_changelist")).content.decode()
    assert "11 merge decisions" in page

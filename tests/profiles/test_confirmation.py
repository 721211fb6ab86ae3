"""The confirmed profile: a typed snapshot of every current entity with its version, the
completeness rubric with next steps, and what changed since, field by field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from careeros.db.rls import user_context
from profiles.completeness import completeness
from profiles.models import Skill, UserConfirmedProfile, WorkExperience
from profiles.services import entity_create, entity_retire, entity_revise, profile_confirm
from profiles.snapshots import ProfileSnapshot, profile_snapshot
from tests.exports.sample import sample_snapshot, seed_profile

pytestmark = pytest.mark.django_db


def test_the_rubric_of_an_empty_profile_names_every_step() -> None:
    """Nothing filled: score 0, and a step for each criterion, the largest gain first."""
    result = completeness(ProfileSnapshot(email="a@example.com"))
    assert result.score == Decimal("0.00")
    steps = result.next_steps
    assert len(steps) == len(result.criteria)
    assert steps[0].label == "At least one job"
    assert steps[0].gain == Decimal("0.2")


def test_the_rubric_names_the_entries_a_step_concerns() -> None:
    """A job without a description is named in the step, which adds its share of the weight."""
    snapshot = sample_snapshot(10)
    jobs = snapshot.of_type("work_experience")
    jobs[1].fields["description"] = None
    result = completeness(snapshot)
    step = next(c for c in result.next_steps if c.label == "Every job says what you did")
    assert "Software Engineer at Globex Corporation" in step.step
    assert step.gain == Decimal("0.05")
    assert Decimal("0.5") < result.score < Decimal("1")


def test_confirming_keeps_every_entity_with_its_version(signed_in: Client, user) -> None:
    """POST stores one row: every current entity and version, method, score, last update."""
    seed_profile(user, 10)
    with user_context(user.pk):
        job = WorkExperience.objects.for_user(user).current().order_by("created_at").first()
        assert job is not None
        entity_revise(
            model=WorkExperience,
            user=user,
            logical_entity_id=job.logical_entity_id,
            changes={"title": "Lead Data Engineer"},
            expected_version=job.version,
        )
    response = signed_in.post("/profile/confirm/")
    assert response.status_code == 302
    signed_in.post("/profile/confirm/")
    with user_context(user.pk):
        confirmed = UserConfirmedProfile.objects.get(user=user)
        newest = WorkExperience.objects.for_user(user).order_by("-created_at").first()
    snapshot = ProfileSnapshot.model_validate(confirmed.profile_snapshot)
    assert len(snapshot.entities) == 10
    revised = next(e for e in snapshot.entities if e.logical_entity_id == job.logical_entity_id)
    assert revised.version == 2
    assert revised.fields["title"] == "Lead Data Engineer"
    assert confirmed.confirmation_method == "manual_review"
    assert confirmed.completeness_score == completeness(snapshot).score
    assert newest is not None
    assert confirmed.last_major_update == newest.created_at


def test_the_card_shows_changes_since_confirmation_field_by_field(signed_in: Client, user) -> None:
    """Edited, added and removed entries show on the dashboard card, old value → new."""
    seed_profile(user, 10)
    signed_in.post("/profile/confirm/")
    with user_context(user.pk):
        job = WorkExperience.objects.for_user(user).current().get(company="Northwind Traders")
        entity_revise(
            model=WorkExperience,
            user=user,
            logical_entity_id=job.logical_entity_id,
            changes={"location": "Hamburg, Germany"},
            expected_version=job.version,
        )
        entity_create(model=Skill, user=user, fields={"name": "Rust"})
        skill = Skill.objects.for_user(user).current().get(name="Python")
        entity_retire(model=Skill, user=user, logical_entity_id=skill.logical_entity_id)
    html = signed_in.get("/profile/confirm/card_hx").content.decode()
    assert "3 changes" in html
    assert "<del>Berlin, Germany</del> → <ins>Hamburg, Germany</ins>" in html
    assert "Location" in html
    assert "added</span> Skills: Rust" in html
    assert "removed</span> Skills: Python" in html


def test_a_second_user_sees_and_changes_only_their_own(client: Client, user, other_user) -> None:
    """Another person's card and page show nothing of the first; confirming touches only theirs."""
    seed_profile(user, 10)
    client.force_login(user)
    client.post("/profile/confirm/")
    client.force_login(other_user)
    card = client.get("/profile/confirm/card_hx").content.decode()
    assert "Not confirmed yet" in card
    page = client.get("/profile/confirm/").content.decode()
    assert "Northwind" not in page
    assert "Northwind" not in card
    client.post("/profile/confirm/")
    with user_context(other_user.pk):
        rows = list(UserConfirmedProfile.objects.all())
    assert [row.user_id for row in rows] == [other_user.pk]
    assert rows[0].profile_snapshot["entities"] == []
    with user_context(user.pk):
        mine = UserConfirmedProfile.objects.get()
    assert len(mine.profile_snapshot["entities"]) == 10


def test_confirmation_needs_sign_in(client: Client) -> None:
    """Signed out, the page and the card redirect to sign-in and nothing is stored."""
    assert client.post("/profile/confirm/").status_code == 302
    assert client.get("/profile/confirm/card_hx").status_code == 302


def test_one_confirmed_profile_per_user(user) -> None:
    """The seed's UNIQUE(user_id): confirming twice updates the one row."""
    with user_context(user.pk):
        first = profile_confirm(user=user)
        second = profile_confirm(user=user, method="periodic_update")
        assert first.pk == second.pk
        assert UserConfirmedProfile.objects.count() == 1
        assert UserConfirmedProfile.objects.get().confirmation_method == "periodic_update"
        assert profile_snapshot(user=user).entities == []

"""The profile's basics: filled by uploads through merges, edited inline, one per person."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from careeros.db.rls import user_context
from merges import services as merge_services
from merges.models import DecisionStatus, DecisionType, MergeDecision
from profiles import services
from profiles.models import Basics, Link, User
from resumes.extraction import schema as ai
from resumes.schemas import basics_data
from tests.merges.test_merge_review import RESUME_A, import_resume, pending
from tests.resumes.conftest import media_root  # noqa: F401 - a fixture

HX = {"HX-Request": "true"}


def current_basics(user: User) -> Basics | None:
    with user_context(user.pk):
        return Basics.objects.for_user(user).current().first()


def moved(tmp_path: Path) -> Path:
    """Resume A after a move: a new phone number and city."""
    text = RESUME_A.read_text().replace("+1 415 555 0134", "+44 20 7946 0958")
    path = tmp_path / "resume_a_moved.txt"
    path.write_text(text.replace("San Francisco, CA\n", "London\n", 1))
    return path


def test_extracted_basics_become_the_profiles_fields() -> None:
    """A resume's contact lines and profile links map onto the basics' columns."""
    read = ai.Basics(
        name="Ada Lovelace",
        email="ada@example.org",
        phone="+44 20 7946 0958",
        url="https://ada.dev",
        location=ai.Location(city="London", country_code="GB"),
        profiles=[ai.Profile(network="GitHub", url="https://github.com/ada")],
        evidence={"phone": [(10, 26)]},
    )
    data = basics_data(read)
    assert data is not None
    assert data.fields() == {
        "headline": None,
        "summary": None,
        "email": "ada@example.org",
        "phone": "+44 20 7946 0958",
        "location": "London, GB",
        "links": ["Website: https://ada.dev", "GitHub: https://github.com/ada"],
    }
    assert data.evidence == {"phone": [(10, 26)]}
    assert basics_data(ai.Basics(name="Ada Lovelace")) is None


def test_links_read_their_label() -> None:
    """ "GitHub: url" is labelled; a bare URL (with its own colon) is not."""
    assert Link.parse("GitHub: https://github.com/ada") == Link("GitHub", "https://github.com/ada")
    assert Link.parse("https://ada.dev") == Link("", "https://ada.dev")


@pytest.mark.django_db(transaction=True)
def test_uploads_fill_the_basics_then_propose_changes_field_by_field(
    signed_in: Client,
    user: User,
    tmp_path: Path,
    media_root: Path,  # noqa: F811
) -> None:
    """The first upload fills the basics; a later one that differs waits for review, in
    plain words, and applying it writes version 2, which a revert undoes."""
    import_resume(user, RESUME_A)
    basics = current_basics(user)
    assert basics is not None
    assert (basics.phone, basics.email, basics.source) == (
        "+1 415 555 0134",
        "maria.gonzalez@example.com",
        "upload",
    )
    assert pending(user) == []

    import_resume(user, RESUME_A)  # the same basics again: nothing to review
    assert pending(user) == []

    import_resume(user, moved(tmp_path))
    waiting = [d for d in pending(user) if d.entity_type == "basics"]
    assert len(waiting) == 1
    page = signed_in.get(reverse("merge_review")).content.decode()
    assert "+44 20 7946 0958" in page
    assert "+1 415 555 0134" in page
    assert "Your basics" in page
    assert "Phone" in page  # the field's label, not its column name

    with user_context(user.pk):
        merge_services.merge_decision_apply(user=user, decision_id=waiting[0].pk)
    basics = current_basics(user)
    assert basics is not None
    assert (basics.version, basics.phone) == (2, "+44 20 7946 0958")

    with user_context(user.pk):
        services.entity_revert(
            model=Basics, user=user, logical_entity_id=basics.logical_entity_id, version=1
        )
    basics = current_basics(user)
    assert basics is not None
    assert (basics.version, basics.phone) == (3, "+1 415 555 0134")


@pytest.mark.django_db(transaction=True)
def test_a_skipped_suggestion_leaves_the_basics_as_they_are(
    user: User,
    tmp_path: Path,
    media_root: Path,  # noqa: F811
) -> None:
    """Skip keeps the profile's basics and settles the suggestion."""
    import_resume(user, RESUME_A)
    import_resume(user, moved(tmp_path))
    waiting = next(d for d in pending(user) if d.entity_type == "basics")
    with user_context(user.pk):
        merge_services.merge_decision_apply(
            user=user, decision_id=waiting.pk, decision_type=DecisionType.SKIP
        )
        assert MergeDecision.objects.get(pk=waiting.pk).status == DecisionStatus.REJECTED
        assert Basics.objects.for_user(user).count() == 1
    basics = current_basics(user)
    assert basics is not None
    assert basics.phone == "+1 415 555 0134"


def add_basics(user: User) -> Basics:
    with user_context(user.pk):
        return services.entity_create(
            model=Basics,
            user=user,
            fields={"headline": "Data engineer", "phone": "+44 20 7946 0958"},
        )


@pytest.mark.django_db
def test_the_profile_page_shows_the_basics_and_edits_them_inline(
    signed_in: Client, user: User
) -> None:
    """The basics show on the profile; the inline editor writes a version, refuses a
    stale form with 409, and a second one cannot be added."""
    basics = add_basics(user)
    page = signed_in.get(reverse("profile_overview")).content.decode()
    assert "Basics" in page
    assert "Data engineer" in page

    url = reverse("entity_edit_hx", args=["basics", basics.logical_entity_id])
    form = signed_in.get(url, headers=HX).content.decode()
    assert 'name="headline"' in form
    assert 'name="links"' in form
    saved = signed_in.post(
        url,
        {
            "headline": "Staff data engineer",
            "links": "GitHub: https://github.com/ada",
            "version": 1,
        },
        headers=HX,
    )
    assert saved.status_code == 200
    assert "Staff data engineer" in saved.content.decode()
    stale = signed_in.post(url, {"headline": "Late", "version": 1}, headers=HX)
    assert stale.status_code == 409
    assert "changed since you opened it" in stale.content.decode()
    current = current_basics(user)
    assert current is not None
    assert (current.version, current.headline, current.links) == (
        2,
        "Staff data engineer",
        ["GitHub: https://github.com/ada"],
    )

    listing = signed_in.get(reverse("entity_list", args=["basics"])).content.decode()
    assert reverse("entity_new_hx", args=["basics"]) not in listing
    second = signed_in.post(
        reverse("entity_new_hx", args=["basics"]),
        {"headline": "Another", "add_anyway": "1"},
        headers=HX,
    )
    assert second.status_code == 409
    assert "add_anyway" not in second.content.decode()
    with user_context(user.pk):
        assert Basics.objects.for_user(user).current().count() == 1

    history = signed_in.get(reverse("entity_history", args=["basics", basics.logical_entity_id]))
    assert "Data engineer" in history.content.decode()
    revert = signed_in.post(reverse("entity_revert", args=["basics", basics.logical_entity_id, 1]))
    assert revert.status_code in (200, 302)
    current = current_basics(user)
    assert current is not None
    assert (current.version, current.headline) == (3, "Data engineer")


@pytest.mark.django_db
def test_another_user_can_neither_see_nor_change_the_basics(
    client: Client, user: User, other_user: User
) -> None:
    """Every basics page is 404 for someone else, and their profile does not show them."""
    basics = add_basics(user)
    client.force_login(other_user)
    logical = basics.logical_entity_id
    assert "Data engineer" not in client.get(reverse("profile_overview")).content.decode()
    for name in ("entity_edit_hx", "entity_card_hx", "entity_history"):
        assert client.get(reverse(name, args=["basics", logical])).status_code == 404
    edit = client.post(
        reverse("entity_edit_hx", args=["basics", logical]),
        {"headline": "Hijacked", "version": 1},
        headers=HX,
    )
    assert edit.status_code == 404
    revert = client.post(reverse("entity_revert", args=["basics", logical, 1]))
    assert revert.status_code == 404
    retire = client.post(reverse("entity_retire_hx", args=["basics", logical]), headers=HX)
    assert retire.status_code == 404
    current = current_basics(user)
    assert current is not None
    assert (current.version, current.headline) == (1, "Data engineer")


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in(client: Client, user: User) -> None:
    """No basics page answers without a session."""
    basics = add_basics(user)
    for url in (
        reverse("entity_list", args=["basics"]),
        reverse("entity_edit_hx", args=["basics", basics.logical_entity_id]),
        reverse("entity_history", args=["basics", basics.logical_entity_id]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]

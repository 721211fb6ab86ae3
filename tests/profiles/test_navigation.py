"""The header's navigation, the skip link and the profile page."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.test.utils import override_script_prefix
from django.urls import reverse

from careeros.db.rls import user_context
from merges.models import MergeDecision
from profiles import services
from profiles.models import User, WorkExperience
from tests.resumes.conftest import media_root  # noqa: F401 - a fixture

MERGES = Path(__file__).resolve().parent.parent / "merges"


def nav(page: str) -> str:
    match = re.search(r'<nav class="main-nav" aria-label="Main">(.*?)</nav>', page, re.S)
    assert match, "no main navigation"
    return match.group(1)


@pytest.mark.django_db
def test_every_signed_in_page_has_the_main_navigation(signed_in: Client) -> None:
    """Dashboard, Profile, Resumes, Review, Career story, Interviews and Export are one click
    from every page, the current one marked for assistive technology."""
    names = ["dashboard", "profile_overview", "resume_index", "merge_review", "career"]
    for name in [*names, "interview_index", "data_page"]:
        page = signed_in.get(reverse(name)).content.decode()
        links = nav(page)
        labels = ["Dashboard", "Profile", "Resumes", "Review", "Career story", "Interviews"]
        for label in [*labels, "Export"]:
            assert f">{label}" in links
        current = re.findall(r'<a href="([^"]+)" aria-current="page"', links)
        assert current == [reverse(name)]


@pytest.mark.django_db
def test_the_navigation_follows_the_script_prefix(signed_in: Client) -> None:
    """Served under a path (SCRIPT_NAME), every entry links there; served at the root, not."""
    with override_script_prefix("/careeros/"):
        mounted = nav(signed_in.get("/").content.decode())
    assert re.findall(r'<a href="([^"]+)"', mounted)[:2] == ["/careeros/", "/careeros/profile/"]
    root = nav(signed_in.get("/").content.decode())
    assert re.findall(r'<a href="([^"]+)"', root)[:2] == ["/", "/profile/"]


@pytest.mark.django_db
def test_a_section_page_marks_profile_as_current(signed_in: Client) -> None:
    """Pages under the profile mark Profile, not Dashboard, as the current entry."""
    page = signed_in.get(reverse("entity_list", args=["work"])).content.decode()
    assert re.findall(r'<a href="([^"]+)" aria-current="page"', nav(page)) == [
        reverse("profile_overview")
    ]


@pytest.mark.django_db
def test_skip_link_leads_to_the_main_content(signed_in: Client, client: Client) -> None:
    """Every page starts with a skip link to <main id="main">, signed in or not."""
    for response in [signed_in.get(reverse("dashboard")), Client().get(reverse("login"))]:
        page = response.content.decode()
        assert page.index('class="skip-link" href="#main"') < page.index("<header")
        assert '<main id="main"' in page


@pytest.mark.django_db
def test_signed_out_pages_have_no_main_navigation(client: Client) -> None:
    """Visitors who are not signed in see sign-in and sign-up, not the app's sections."""
    page = client.get(reverse("login")).content.decode()
    assert 'aria-label="Main"' not in page
    assert reverse("sign_up") in page


@pytest.mark.django_db(transaction=True)
def test_review_shows_its_pending_count_to_its_owner_only(
    client: Client,
    user: User,
    other_user: User,
    media_root: Path,  # noqa: F811
) -> None:
    """Review carries the number of suggestions waiting; a second user sees no count."""
    for name in ["resume_a.txt", "resume_a_updated.txt"]:
        call_command(
            "import_resume", str(MERGES / name), user=user.email, stream="Main", stdout=StringIO()
        )
    with user_context(user.pk):
        waiting = MergeDecision.objects.for_user(user).pending().count()
    assert waiting > 0
    client.force_login(user)
    links = nav(client.get(reverse("dashboard")).content.decode())
    assert re.search(rf'Review <span class="nav-count"[^>]*>{waiting}</span>', links)
    client.force_login(other_user)
    assert "nav-count" not in nav(client.get(reverse("dashboard")).content.decode())


@pytest.mark.django_db
def test_profile_page_shows_only_the_owners_profile(
    client: Client, user: User, other_user: User
) -> None:
    """The profile page lists the signed-in person's sections; a second user's stays apart."""
    with user_context(user.pk):
        services.entity_create(
            model=WorkExperience, user=user, fields={"title": "Engineer", "company": "Globex"}
        )
    client.force_login(user)
    page = client.get(reverse("profile_overview")).content.decode()
    assert "Engineer at Globex" in page
    assert "Ada Lovelace" in page
    client.force_login(other_user)
    page = client.get(reverse("profile_overview")).content.decode()
    assert "Engineer at Globex" not in page
    assert "Grace Hopper" in page

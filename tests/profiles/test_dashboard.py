"""The dashboard and the profile card's inline editor."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careeros.db.rls import system_context, user_context
from careeros.db.versioning import Source, create_versions, profile_revision
from profiles.models import Profile, Skill, User, WorkExperience
from profiles.services import entity_create
from tests.factories import make_user, profile_of

pytestmark = pytest.mark.django_db


def test_signed_out_visitors_get_the_landing_page(client: Client) -> None:
    """A signed-out visitor at / reads what CareerOS is, with ways to sign up and in."""
    response = client.get(reverse("dashboard"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Your career, every version of it" in page
    assert reverse("sign_up") in page
    assert reverse("login") in page
    assert 'aria-label="Main"' not in page


def test_profile_page_requires_sign_in(client: Client) -> None:
    """The profile page sends an anonymous visitor to sign in, then back."""
    response = client.get(reverse("profile_overview"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('profile_overview')}"


def test_dashboard_shows_the_profile_and_empty_sections(signed_in: Client, user: User) -> None:
    """The dashboard shows who is signed in and says plainly that each section is empty."""
    response = signed_in.get(reverse("dashboard"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ada Lovelace" in page
    assert user.email in page
    for title in ["Basics", "Work experience", "Education", "Skills", "Projects", "Certifications"]:
        assert title in page
    assert page.count("Nothing here yet.") == 6
    # The resumes card loads its own partial (tested with the resumes app).
    assert 'id="resume-card"' in page


def test_dashboard_loads_htmx_from_static_and_sets_csrf_header_once(signed_in: Client) -> None:
    """htmx comes from our static files and the CSRF header is set once, on <body>."""
    page = signed_in.get(reverse("dashboard")).content.decode()
    assert re.search(r'<script src="/static/vendor/htmx/htmx-[\d.]+\.min\.js"', page)
    assert "//unpkg" not in page
    assert "cdn" not in page.lower()
    assert page.count("hx-headers=") == 1
    body = re.search(r"<body hx-headers='([^']+)'", page)
    assert body is not None
    assert json.loads(body.group(1))["X-CSRFToken"]


def test_second_user_never_sees_the_first_users_profile(
    client: Client, user: User, other_user: User
) -> None:
    """Another person's dashboard and profile card show only their own details."""
    client.force_login(other_user)
    for url in [reverse("dashboard"), reverse("profile_card_hx"), reverse("profile_edit_hx")]:
        page = client.get(url).content.decode()
        assert "Grace Hopper" in page
        assert "Ada Lovelace" not in page
        assert user.email not in page


def test_profile_edit_over_htmx_with_the_body_csrf_header(user: User) -> None:
    """The editor saves through the CSRF header htmx sends, and returns the card."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    header = re.search(r"<body hx-headers='([^']+)'", page)
    assert header is not None
    token = json.loads(header.group(1))["X-CSRFToken"]

    refused = client.post(reverse("profile_edit_hx"), {"full_name": "Ada King"})
    assert refused.status_code == 403

    response = client.post(
        reverse("profile_edit_hx"),
        {"full_name": "Ada King", "avatar_url": ""},
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="profile-card"' in response.content.decode()
    assert "Ada King" in response.content.decode()
    assert "<html" not in response.content.decode()
    assert profile_of(user).full_name == "Ada King"


def test_profile_edit_only_changes_the_signed_in_users_profile(
    client: Client, user: User, other_user: User
) -> None:
    """A second user's edit changes their own profile, never the first user's."""
    client.force_login(other_user)
    client.post(reverse("profile_edit_hx"), {"full_name": "Changed"})
    assert profile_of(user).full_name == "Ada Lovelace"
    assert profile_of(other_user).full_name == "Changed"


def test_a_second_tabs_stale_profile_save_is_refused_not_lost(
    signed_in: Client, user: User, other_user: User
) -> None:
    """Two editors open on the same profile: the first save wins, the stale one is refused
    with the saved version shown (409), as entity edits are."""

    def opened_version() -> str:
        form = signed_in.get(reverse("profile_edit_hx"), headers={"HX-Request": "true"})
        found = re.search(r'name="expected_updated_at" value="([^"]+)"', form.content.decode())
        assert found is not None
        return found.group(1)

    first_tab, second_tab = opened_version(), opened_version()
    saved = signed_in.post(
        reverse("profile_edit_hx"),
        {"full_name": "Ada King", "avatar_url": "", "expected_updated_at": second_tab},
    )
    assert saved.status_code == 200
    stale = signed_in.post(
        reverse("profile_edit_hx"),
        {"full_name": "Ada Byron", "avatar_url": "", "expected_updated_at": first_tab},
    )
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "changed in another tab or window" in page
    assert 'value="Ada King"' in page
    assert profile_of(user).full_name == "Ada King"
    # The editor now carries the saved version: saving again works.
    again = signed_in.post(
        reverse("profile_edit_hx"),
        {"full_name": "Ada Byron", "avatar_url": "", "expected_updated_at": opened_version()},
    )
    assert again.status_code == 200
    assert profile_of(user).full_name == "Ada Byron"
    assert profile_of(other_user).full_name == "Grace Hopper"


def test_profile_edit_rejects_a_bad_avatar_url(signed_in: Client, user: User) -> None:
    """An invalid avatar URL comes back as the form with its error, nothing saved."""
    response = signed_in.post(
        reverse("profile_edit_hx"), {"full_name": "Ada", "avatar_url": "not a url"}
    )
    assert response.status_code == 422
    assert "Enter a valid URL" in response.content.decode()
    assert profile_of(user).full_name == "Ada Lovelace"


@pytest.mark.django_db(transaction=True)
def test_accounts_made_by_createsuperuser_get_a_profile(client: Client) -> None:
    """An operator created from the command line still gets a working dashboard."""
    client.force_login(User.objects.create_superuser("op@example.com", "an operator passphrase"))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    with system_context():
        assert Profile.objects.filter(user__email="op@example.com").exists()


@pytest.mark.django_db(transaction=True)
def test_operator_reaches_the_admin_and_a_person_does_not(client: Client, user: User) -> None:
    """The admin is for operators: a regular account is sent to the admin sign-in."""
    client.force_login(user)
    assert client.get("/admin/").status_code == 302
    operator = Client()
    operator.force_login(User.objects.create_superuser("op@example.com", "a passphrase"))
    assert operator.get("/admin/").status_code == 200
    assert operator.get("/admin/profiles/user/").status_code == 200


# The entity tables the sections read.
SECTION_TABLES = ("basics", "work_experience", "education", "skill", "project", "certification")


def add_skills(user: User, names: list[str]) -> None:
    with user_context(user.pk):
        create_versions(
            Skill,
            user=user,
            entities=[{"name": name} for name in names],
            source=Source.MANUAL,
            confidences=[Decimal("1.00")] * len(names),
            reason="",
            provenances=[None] * len(names),
        )


def add_job(user: User, title: str, start_date: str) -> None:
    with user_context(user.pk):
        create_versions(
            WorkExperience,
            user=user,
            entities=[{"title": title, "company": "Engines Ltd", "start_date": start_date}],
            source=Source.MANUAL,
            confidences=[Decimal("1.00")],
            reason="",
            provenances=[None],
        )


def captured(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def reading_sections(statements: list[str]) -> list[str]:
    return [sql for sql in statements if any(f'"{table}"' in sql for table in SECTION_TABLES)]


def test_the_dashboard_costs_the_same_queries_for_a_small_or_a_large_profile(
    signed_in: Client, user: User
) -> None:
    """Counts by aggregate and the first few by a limit, every section in one statement:
    a long career costs no more."""
    add_skills(user, [f"Skill {n}" for n in range(6)])
    add_job(user, "Analyst", "1843-01")  # a section whose lines show dates too
    small = captured(signed_in, reverse("dashboard"))
    # Session and user, each read in its own context (savepoint, setting, read, reset,
    # release: the users and session tables are under row level security), the RLS context,
    # one statement for every section (counts by a window; the timeline draws from the same
    # rows), the profile, the pending-review count, and the test's own savepoints around them.
    assert len(small) == 22
    assert len(reading_sections(small)) == 1
    add_skills(user, [f"More {n}" for n in range(60)])
    for n in range(70):
        add_job(user, f"Job {n}", f"{1900 + n}-01")
    large = captured(signed_in, reverse("dashboard"))
    page = signed_in.get(reverse("dashboard")).content.decode()
    assert "All 66" in page
    assert "All 71" in page
    assert "Job 69 at Engines Ltd" in page
    assert "1969-01" in page
    assert len(large) == len(small)


def test_the_profile_page_reads_every_section_in_one_statement(
    signed_in: Client, user: User
) -> None:
    """The profile page lists each section's newest entries from one statement, whatever
    the profile's size."""
    add_skills(user, ["Python"])
    small = captured(signed_in, reverse("profile_overview"))
    assert len(reading_sections(small)) == 1
    add_skills(user, [f"Skill {n}" for n in range(40)])
    add_job(user, "Analyst", "1843-01")
    large = captured(signed_in, reverse("profile_overview"))
    assert len(large) == len(small)
    page = signed_in.get(reverse("profile_overview")).content.decode()
    assert "All 41" in page
    assert "Analyst at Engines Ltd" in page


def test_a_second_user_sees_none_of_the_first_users_sections(
    client: Client, user: User, other_user: User
) -> None:
    """The sections on another person's dashboard and profile page count and list only
    their own entries."""
    add_skills(user, [f"Skill {n}" for n in range(3)])
    add_job(user, "Analyst", "1843-01")
    client.force_login(other_user)
    for url in [reverse("dashboard"), reverse("profile_overview")]:
        page = client.get(url).content.decode()
        assert "Skill 0" not in page
        assert "Analyst" not in page
        assert page.count("Nothing here yet.") == 6


def test_the_dashboard_reads_its_sections_again_only_after_the_profile_changed(
    signed_in: Client, user: User, client: Client, other_user: User
) -> None:
    """The main column is cached: a second visit runs no sections statement, and any
    write to the profile (one entity or a batch) shows on the next visit. Another person's
    dashboard is their own."""
    add_skills(user, ["Python"])
    assert len(reading_sections(captured(signed_in, reverse("dashboard")))) == 1
    assert reading_sections(captured(signed_in, reverse("dashboard"))) == []
    with user_context(user.pk):
        entity_create(model=Skill, user=user, fields={"name": "Rust"})
    page = signed_in.get(reverse("dashboard")).content.decode()
    assert "Rust" in page
    assert "Python" in page
    add_job(user, "Analyst", "1843-01")
    page = signed_in.get(reverse("dashboard")).content.decode()
    assert "Analyst at Engines Ltd" in page
    client.force_login(other_user)
    stranger = client.get(reverse("dashboard")).content.decode()
    assert "Rust" not in stranger
    assert "Analyst" not in stranger
    assert stranger.count("Nothing here yet.") == 6


def test_a_new_release_reads_the_dashboard_afresh(signed_in: Client, user: User) -> None:
    """What the cache keeps was rendered by one release; the next one renders its own."""
    add_skills(user, ["Python"])
    with override_settings(RELEASE="one"):
        assert len(reading_sections(captured(signed_in, reverse("dashboard")))) == 1
        assert reading_sections(captured(signed_in, reverse("dashboard"))) == []
    with override_settings(RELEASE="two"):
        assert len(reading_sections(captured(signed_in, reverse("dashboard")))) == 1


def test_a_write_gives_the_profile_a_new_revision_at_once_and_again_on_commit(
    user: User, django_capture_on_commit_callbacks: Any
) -> None:
    """Read your own write inside the transaction; and a reader that took the token
    before the commit (and read the rows as they were) files its copy under a token nobody
    asks for after it."""
    before = profile_revision(user)
    assert profile_revision(user) == before
    with django_capture_on_commit_callbacks(execute=True):
        add_skills(user, ["Python"])
        during = profile_revision(user)
        assert during != before
    after = profile_revision(user)
    assert after not in (before, during)
    other = make_user()
    assert profile_revision(other) != after
    assert profile_revision(other) == profile_revision(other)

"""The profile's entity pages: add, edit, retire, history, revert and search, per user."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from careeros.db.rls import user_context
from careeros.db.versioning import VersionedEntity
from profiles import services
from profiles.entities import ENTITY_SPECS
from profiles.models import Education, Skill, User, WorkExperience

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def add(user: User, model: type[VersionedEntity] = WorkExperience, **fields: Any) -> Any:
    fields = fields or {"title": "Software Engineer", "company": "Acme"}
    with user_context(user.pk):
        return services.entity_create(model=model, user=user, fields=fields)


def history(user: User, model: type[VersionedEntity], logical_id: Any) -> list[Any]:
    with user_context(user.pk):
        return list(model.objects.history(logical_id))


@pytest.mark.parametrize("kind", [spec.slug for spec in ENTITY_SPECS])
def test_every_entity_page_renders_empty(signed_in: Client, kind: str) -> None:
    response = signed_in.get(reverse("entity_list", args=[kind]))
    assert response.status_code == 200
    assert "Nothing here yet" in response.content.decode()


def test_unknown_kinds_are_404(signed_in: Client) -> None:
    assert signed_in.get("/profile/salaries/").status_code == 404


def test_adding_an_entity_over_htmx(signed_in: Client, user: User) -> None:
    form = signed_in.get(reverse("entity_new_hx", args=["work"]), headers=HX)
    assert 'name="title"' in form.content.decode()
    response = signed_in.post(
        reverse("entity_new_hx", args=["work"]),
        {"title": "Data Engineer", "company": "Initech", "start_date": "2021-03"},
        headers=HX,
    )
    assert response.status_code == 200
    assert 'hx-swap-oob="afterbegin:#entity-list"' in response.content.decode()
    with user_context(user.pk):
        job = WorkExperience.objects.for_user(user).current().get()
    assert (job.title, job.start_date, job.end_date, job.source) == (
        "Data Engineer",
        "2021-03",
        None,
        "manual",
    )


def test_invalid_input_is_explained_and_nothing_is_saved(signed_in: Client, user: User) -> None:
    response = signed_in.post(
        reverse("entity_new_hx", args=["work"]),
        {"title": "", "company": "Initech", "start_date": "March 2021", "end_date": "2020"},
        headers=HX,
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "This field is required" in page
    assert "Use YYYY-MM" in page
    with user_context(user.pk):
        assert not WorkExperience.objects.exists()


def test_every_save_is_a_new_version_with_a_diff(signed_in: Client, user: User) -> None:
    job = add(user)
    url = reverse("entity_edit_hx", args=["work", job.logical_entity_id])
    assert 'value="Software Engineer"' in signed_in.get(url, headers=HX).content.decode()
    response = signed_in.post(
        url, {"title": "Senior Software Engineer", "company": "Acme", "version": 1}, headers=HX
    )
    assert response.status_code == 200
    assert "Senior Software Engineer" in response.content.decode()
    versions = history(user, WorkExperience, job.logical_entity_id)
    assert [(v.version, v.title, v.is_current) for v in versions] == [
        (1, "Software Engineer", False),
        (2, "Senior Software Engineer", True),
    ]
    page = signed_in.get(reverse("entity_history", args=["work", job.logical_entity_id]))
    text = page.content.decode()
    assert "Version 2" in text
    assert "Typed by you" in text
    # The diff row: the field, the old value and the new value.
    assert '<th scope="row">Job title</th>' in text
    assert '<td class="before">Software Engineer</td>' in text
    assert '<td class="after">Senior Software Engineer</td>' in text


def test_an_edit_from_a_stale_form_is_refused(signed_in: Client, user: User) -> None:
    job = add(user)
    url = reverse("entity_edit_hx", args=["work", job.logical_entity_id])
    signed_in.post(url, {"title": "First", "company": "Acme", "version": 1}, headers=HX)
    response = signed_in.post(url, {"title": "Second", "company": "Acme", "version": 1}, headers=HX)
    assert response.status_code == 409
    assert "changed since you opened it" in response.content.decode()
    assert [v.title for v in history(user, WorkExperience, job.logical_entity_id)] == [
        "Software Engineer",
        "First",
    ]


def test_retire_then_undo(signed_in: Client, user: User) -> None:
    skill = add(user, Skill, name="Fortran")
    response = signed_in.post(
        reverse("entity_retire_hx", args=["skills", skill.logical_entity_id]), headers=HX
    )
    assert "Removed" in response.content.decode()
    with user_context(user.pk):
        assert not Skill.objects.current().exists()
    assert "Fortran" not in signed_in.get(reverse("entity_list", args=["skills"])).content.decode()
    undo = signed_in.post(reverse("entity_revert", args=["skills", skill.logical_entity_id, 1]))
    assert undo.status_code == 302
    versions = history(user, Skill, skill.logical_entity_id)
    assert [(v.operation, v.is_current) for v in versions] == [
        ("create", False),
        ("retire", False),
        ("revert", True),
    ]


def test_revert_to_an_old_version(signed_in: Client, user: User) -> None:
    school = add(user, Education, institution="MIT", degree="BSc")
    with user_context(user.pk):
        services.entity_revise(
            model=Education,
            user=user,
            logical_entity_id=school.logical_entity_id,
            changes={"degree": "MSc"},
        )
    response = signed_in.post(
        reverse("entity_revert", args=["education", school.logical_entity_id, 1]), follow=True
    )
    assert "Version 1 is current again" in response.content.decode()
    versions = history(user, Education, school.logical_entity_id)
    assert [v.degree for v in versions] == ["BSc", "MSc", "BSc"]
    assert versions[-1].is_current


def test_search_tolerates_typos(signed_in: Client, user: User) -> None:
    add(user, title="Software Engineer", company="Globex")
    add(user, Skill, name="PostgreSQL")
    add(user, Education, institution="Massachusetts Institute of Technology")
    hits = signed_in.get(
        reverse("profile_search"), {"q": "sofware enginer"}, headers=HX
    ).content.decode()
    assert "Software Engineer at Globex" in hits
    assert "PostgreSQL" not in hits
    assert (
        "PostgreSQL"
        in signed_in.get(reverse("profile_search"), {"q": "postgress"}).content.decode()
    )
    assert (
        "Massachusetts"
        in signed_in.get(
            reverse("profile_search"), {"q": "massachusets institute"}
        ).content.decode()
    )
    assert "matches" in signed_in.get(reverse("profile_search"), {"q": "zzzz"}).content.decode()


def test_the_dashboard_lists_entities_and_links_to_their_pages(
    signed_in: Client, user: User
) -> None:
    job = add(user)
    page = signed_in.get(reverse("dashboard")).content.decode()
    assert "Software Engineer at Acme" in page
    assert reverse("entity_history", args=["work", job.logical_entity_id]) in page


def test_a_second_user_gets_404_for_every_url_of_the_first_users_entity(
    client: Client, user: User, other_user: User
) -> None:
    job = add(user)
    client.force_login(other_user)
    key = job.logical_entity_id
    for method, url in [
        ("get", reverse("entity_edit_hx", args=["work", key])),
        ("post", reverse("entity_edit_hx", args=["work", key])),
        ("get", reverse("entity_card_hx", args=["work", key])),
        ("post", reverse("entity_retire_hx", args=["work", key])),
        ("get", reverse("entity_history", args=["work", key])),
        ("post", reverse("entity_revert", args=["work", key, 1])),
    ]:
        response = getattr(client, method)(url, {"title": "Mine", "company": "X", "version": 1})
        assert response.status_code == 404, url
    listing = client.get(reverse("entity_list", args=["work"])).content.decode()
    assert "Software Engineer" not in listing
    found = client.get(reverse("profile_search"), {"q": "software engineer"}).content.decode()
    assert "Software Engineer" not in found
    assert "Software Engineer" not in client.get(reverse("dashboard")).content.decode()
    assert [(v.version, v.title) for v in history(user, WorkExperience, key)] == [
        (1, "Software Engineer")
    ]


def test_entity_pages_need_sign_in(client: Client, user: User) -> None:
    job = add(user)
    for url in [
        reverse("entity_list", args=["work"]),
        reverse("entity_history", args=["work", job.logical_entity_id]),
        reverse("profile_search"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_long_section_shows_a_page_and_loads_older_ones(signed_in: Client, user: User) -> None:
    """Thirty entities a page, newest first; the rest load over HTMX."""
    with user_context(user.pk):
        for n in range(35):
            services.entity_create(model=Skill, user=user, fields={"name": f"Skill {n:02d}"})
    page = signed_in.get(reverse("entity_list", args=["skills"])).content.decode()
    assert page.count('class="card entity"') == 30
    assert "Skill 34" in page
    assert "Skill 00" not in page
    older = signed_in.get(
        reverse("entity_list", args=["skills"]), {"page": 2}, headers={"HX-Request": "true"}
    ).content.decode()
    assert older.count('class="card entity"') == 5
    assert "Skill 00" in older
    assert "<html" not in older

"""Pages with career data are not kept by the browser: no-store, and no htmx history cache."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from profiles.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["dashboard", "resume_upload", "entity_list"])
def test_signed_in_pages_are_no_store_and_keep_no_htmx_history(
    signed_in: Client, user: User, name: str
) -> None:
    url = reverse(name, kwargs={"kind": "skills"}) if name == "entity_list" else reverse(name)
    response = signed_in.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    page = response.content.decode()
    assert 'hx-history="false">' in page
    assert '"historyCacheSize": 0' in page


def test_htmx_partials_are_no_store_too(signed_in: Client) -> None:
    response = signed_in.get(reverse("profile_card_hx"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]

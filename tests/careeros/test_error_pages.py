"""Friendly error pages with DEBUG off: no URL list, a way back."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_mistyped_url_gets_a_friendly_404(client: Client, settings: object) -> None:
    """With DEBUG off a missing page says so in words, links home and lists no URL patterns."""
    settings.DEBUG = False  # type: ignore[attr-defined]
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "We can't find that page" in page
    assert "URLconf" not in page
    assert "admin/" not in page
    assert 'href="/"' in page


def test_a_missing_page_keeps_the_navigation_for_signed_in_people(signed_in: Client) -> None:
    """A 404 inside the app still has the header's navigation and the dashboard link."""
    page = signed_in.get("/resumes/streams/not-a-uuid/").content.decode()
    assert 'aria-label="Main"' in page
    assert "Go to your dashboard" in page


def test_the_500_page_renders_without_a_request_context() -> None:
    """The server-error page needs nothing that could fail again (no user, no database)."""
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in page
    assert "Traceback" not in page

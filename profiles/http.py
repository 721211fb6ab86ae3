"""Typed requests for views: what django-htmx and the authentication middleware add."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from profiles.models import User


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedRequest(HtmxRequest):
    """A request that passed ``@login_required``: its user is a signed-in CareerOS user."""

    user: User

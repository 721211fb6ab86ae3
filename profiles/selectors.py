"""Reads of accounts and profiles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from profiles.models import Profile, User


def profile_for(user: User) -> Profile:
    """The user's profile; accounts made outside sign-up (createsuperuser) get one here."""
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"email": user.email})
    return profile


def sign_in_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The e-mail address a sign-in attempt names, as django-axes counts failures by it.

    Lower-cased, so changing the case of an address does not reset the count.
    """
    source = credentials if credentials else request.POST
    return str(source.get("username") or "").strip().lower()

"""Writes to accounts and profiles. Each function owns its transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from profiles.models import Profile, User


@transaction.atomic
def user_sign_up(*, email: str, password: str, full_name: str = "") -> User:
    """Create a user and their profile together."""
    user = User.objects.create_user(email, password)
    Profile.objects.create(user=user, email=user.email, full_name=full_name.strip() or None)
    return user


@transaction.atomic
def profile_update(*, user: User, full_name: str, avatar_url: str = "") -> Profile:
    """Change the person's display details; the e-mail stays the sign-in address."""
    profile = Profile.objects.select_for_update().get(user=user)
    profile.full_name = full_name.strip() or None
    profile.avatar_url = avatar_url.strip() or None
    profile.updated_at = timezone.now()
    profile.save(update_fields=["full_name", "avatar_url", "updated_at"])
    return profile


@transaction.atomic
def demo_user_ensure(*, email: str, password: str, full_name: str) -> tuple[User, bool]:
    """Create the demo account if missing, and reset its password; True if created."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return user_sign_up(email=email, password=password, full_name=full_name), True
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    Profile.objects.get_or_create(user=user, defaults={"email": user.email, "full_name": full_name})
    return user, False

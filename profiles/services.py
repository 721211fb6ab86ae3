"""Writes to accounts and profiles. Each function owns its transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from careeros.db.rls import system_context, user_context
from careeros.db.versioning import Operation, Source, VersionedEntity, write_version
from profiles.completeness import completeness
from profiles.entities import ENTITY_SPECS
from profiles.models import ConfirmationMethod, Profile, User, UserConfirmedProfile
from profiles.snapshots import profile_snapshot


@transaction.atomic
def user_sign_up(*, email: str, password: str, full_name: str = "") -> User:
    """Create a user and their profile together."""
    user = User.objects.create_user(email, password)
    with user_context(user.pk):
        Profile.objects.create(user=user, email=user.email, full_name=full_name.strip() or None)
    return user


def email_taken(email: str) -> bool:
    """Whether an account has this address: sign-up's one look at other accounts, through
    the system alias (the runtime role sees no account but the signed-in one)."""
    with system_context():
        return User.objects.filter(email__iexact=email).exists()


class ProfileChanged(Exception):
    """The profile changed since the editor was opened (another tab or window saved)."""

    def __init__(self, current: Profile) -> None:
        super().__init__(
            "Your profile was changed in another tab or window since you opened this editor. "
            "The form now shows the saved version; make your change again and save."
        )
        self.current = current


@transaction.atomic
def profile_update(
    *,
    user: User,
    full_name: str,
    avatar_url: str = "",
    expected_updated_at: datetime | None = None,
) -> Profile:
    """Change the person's display details; the e-mail stays the sign-in address.

    With ``expected_updated_at`` (when the editor read the profile), a profile saved since
    raises ``ProfileChanged`` instead of being overwritten: the entities' lost-update check.
    """
    profile = Profile.objects.select_for_update().get(user=user)
    if expected_updated_at is not None and profile.updated_at != expected_updated_at:
        raise ProfileChanged(profile)
    profile.full_name = full_name.strip() or None
    profile.avatar_url = avatar_url.strip() or None
    profile.updated_at = timezone.now()
    profile.save(update_fields=["full_name", "avatar_url", "updated_at"])
    return profile


@transaction.atomic
def profile_auto_apply_set(
    *, user: User, threshold: Decimal | None, new_entities: Decimal | None = None
) -> Profile:
    """What joins the profile without review: changes to existing entries at or above a
    match score of ``threshold`` (None: never), new entries read with a confidence of at
    least ``new_entities`` (unchanged when None)."""
    profile = Profile.objects.select_for_update().get(user=user)
    profile.merge_auto_apply_threshold = threshold
    if new_entities is not None:
        profile.new_entity_min_confidence = new_entities
    profile.updated_at = timezone.now()
    profile.save(
        update_fields=["merge_auto_apply_threshold", "new_entity_min_confidence", "updated_at"]
    )
    return profile


@transaction.atomic
def demo_user_ensure(*, email: str, password: str, full_name: str) -> tuple[User, bool]:
    """Create the demo account if missing, and reset its password; True if created."""
    with system_context():
        user = User.objects.filter(email__iexact=email).first()
    if user is None:
        return user_sign_up(email=email, password=password, full_name=full_name), True
    with user_context(user.pk):
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        Profile.objects.get_or_create(
            user=user, defaults={"email": user.email, "full_name": full_name}
        )
    return user, False


# -- Versioned entities: thin names for the one write path, careeros.db.versioning ------


def entity_create[E: VersionedEntity](
    *,
    model: type[E],
    user: User,
    fields: dict[str, Any],
    source: Source = Source.MANUAL,
    confidence: Decimal = Decimal("1.00"),
    reason: str = "",
) -> E:
    """Add a new entity to the user's profile as version 1."""
    return write_version(
        model,
        user=user,
        operation=Operation.CREATE,
        changes=fields,
        source=source,
        confidence=confidence,
        reason=reason,
    )


def entity_revise[E: VersionedEntity](
    *,
    model: type[E],
    user: User,
    logical_entity_id: uuid.UUID,
    changes: dict[str, Any],
    expected_version: int | None = None,
    source: Source = Source.MANUAL,
    confidence: Decimal = Decimal("1.00"),
    reason: str = "",
) -> E:
    """Write the entity's next version with ``changes`` applied to the current one.

    With ``expected_version`` (the version a form showed), a concurrent change in between
    raises ``VersionConflict`` instead of being silently overwritten.
    """
    return write_version(
        model,
        user=user,
        operation=Operation.REVISE,
        logical_entity_id=logical_entity_id,
        changes=changes,
        expected_version=expected_version,
        source=source,
        confidence=confidence,
        reason=reason,
    )


def entity_retire[E: VersionedEntity](
    *, model: type[E], user: User, logical_entity_id: uuid.UUID, reason: str = ""
) -> E:
    """Remove the entity from the profile; its history stays and a revert restores it."""
    return write_version(
        model,
        user=user,
        operation=Operation.RETIRE,
        logical_entity_id=logical_entity_id,
        reason=reason or "Removed from the profile.",
    )


def entity_revert[E: VersionedEntity](
    *, model: type[E], user: User, logical_entity_id: uuid.UUID, version: int
) -> E:
    """Make an old version's fields current again, as a new version."""
    return write_version(
        model,
        user=user,
        operation=Operation.REVERT,
        logical_entity_id=logical_entity_id,
        revert_to=version,
    )


def profile_confirm(
    *, user: User, method: str = ConfirmationMethod.MANUAL_REVIEW
) -> UserConfirmedProfile:
    """Keep the user's current profile as their confirmed one (replacing the last).

    Stores every current entity with its version, the completeness score, and when the
    profile last changed (its newest version, removals included).
    """
    with transaction.atomic():
        snapshot = profile_snapshot(user=user)
        newest = [
            spec.model.objects.for_user(user).aggregate(newest=Max("created_at"))["newest"]
            for spec in ENTITY_SPECS
        ]
        moments = [moment for moment in newest if moment is not None]
        confirmed, _ = UserConfirmedProfile.objects.select_for_update().update_or_create(
            user=user,
            defaults={
                "profile_snapshot": snapshot.model_dump(mode="json"),
                "confirmation_method": ConfirmationMethod(method),
                "completeness_score": completeness(snapshot).score,
                "last_major_update": max(moments) if moments else None,
                "updated_at": timezone.now(),
            },
        )
    return confirmed

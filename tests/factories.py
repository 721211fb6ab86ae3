from __future__ import annotations

from typing import Any, cast

import factory

from careeros.db.rls import user_context
from profiles.models import Profile, User
from profiles.services import user_sign_up

PASSWORD = "correct horse battery staple"


class UserFactory(factory.Factory[User]):
    """Users made the way sign-up makes them: with a profile."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    password = PASSWORD

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return user_sign_up(**kwargs)


def profile_of(user: User) -> Profile:
    """Read a user's profile in their row level security context, as the app does."""
    with user_context(user.pk):
        return Profile.objects.get(user=user)


def make_user(**fields: Any) -> User:
    """UserFactory with its real type, for type-checked tests."""
    return cast(User, UserFactory(**fields))

from __future__ import annotations

from typing import Any

import factory

from profiles.models import User
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

"""Signing in with the users table under row level security.

The runtime role sees only the row of the user in context (``id = app_current_user_id()``),
so nothing it runs can list accounts, password hashes or the ids every other policy is keyed
on. Two lookups need more, and each is narrow:

- sign-in finds an address's account through the system alias (``authenticate``): the
  runtime login has no way from an e-mail address to an id;
- a signed-in request reads its own row in its own context (``get_user``), by the id its
  server-side session holds.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils import timezone

from careeros.db.rls import system_context, user_context


class RowLevelSecurityBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        with system_context():
            return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id: Any) -> Any:
        try:
            with user_context(user_id):
                return super().get_user(user_id)
        except ValueError:  # not an id at all
            return None


def last_login_update(sender: Any, user: AbstractBaseUser, **kwargs: Any) -> None:
    """Django's ``update_last_login``, in the signing-in user's own context (the request
    that signs in still runs without one)."""
    with user_context(user.pk):
        get_user_model()._default_manager.filter(pk=user.pk).update(last_login=timezone.now())

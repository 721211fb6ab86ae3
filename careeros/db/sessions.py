"""Django's database sessions under row level security.

``django_session``'s policy lets the runtime role see only the row whose key the
transaction names in ``app.session_key``: the key is the bearer secret itself, so nothing
the runtime role runs can list or read other people's sessions. Each read and write of the
store runs in a transaction that names its key; clearing expired sessions is a system job.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.models.functions import Now

from careeros.db.rls import system_context

SESSION_SETTING = "app.session_key"


@contextmanager
def session_key_context(session_key: str | None) -> Iterator[None]:
    """Run the block in a transaction that sees only the session ``session_key`` names;
    an enclosing transaction gets its previous setting back afterwards."""
    # Outermost (a request reads its session before its own transaction opens), the
    # setting ends with the block's transaction: one statement, nothing to restore.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            previous = None
            if not outermost:
                cursor.execute("SELECT current_setting(%s, true)", [SESSION_SETTING])
                (previous,) = cursor.fetchone()
            cursor.execute("SELECT set_config(%s, %s, true)", [SESSION_SETTING, session_key or ""])
        yield
        if not outermost and not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, %s, true)", [SESSION_SETTING, previous or ""])


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        with session_key_context(self.session_key):
            return super()._get_session_from_db()  # type: ignore[misc]

    def exists(self, session_key: str) -> bool:
        with session_key_context(session_key):
            return bool(super().exists(session_key))

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        with session_key_context(self.session_key):
            super().save(must_create=must_create)

    def delete(self, session_key: str | None = None) -> None:
        key = session_key if session_key is not None else self.session_key
        with session_key_context(key):
            super().delete(session_key)

    @classmethod
    def clear_expired(cls) -> None:
        with system_context():
            super().clear_expired()


def sessions_end_for_user(user_id: object) -> int:
    """Delete every session signed in as ``user_id`` (an account being deleted); returns
    how many. A system job: the runtime role sees one session at a time, by its key. Each
    unexpired session is decoded to find its user, which is fine for a rare event."""
    ended = 0
    store = SessionStore()
    with system_context():
        # A locked row is one a request is changing (signing out, the one that asked):
        # skipped, never waited for, as that request may be waiting for this very call.
        unexpired = Session.objects.filter(expire_date__gt=Now())
        for session in unexpired.select_for_update(skip_locked=True).iterator():
            if store.decode(session.session_data).get(SESSION_KEY) == str(user_id):
                session.delete()
                ended += 1
    return ended

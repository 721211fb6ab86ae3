"""Database roles: the runtime role the app runs as, and the owner role for schema work.

Every connection switches to ``settings.DATABASE_APP_ROLE`` (Django's ``assume_role``
option): a role without SUPERUSER or BYPASSRLS, so row level security applies to
everything the app does. Schema changes (migrate, flush) need the connecting role that
owns the tables; ``owner_connection()`` is the one place that drops the runtime role.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper


@contextmanager
def owner_connection(alias: str = DEFAULT_DB_ALIAS) -> Iterator[BaseDatabaseWrapper]:
    """Run the block on a fresh connection as the connecting (owner) role."""
    connection = connections[alias]
    options = connection.settings_dict.setdefault("OPTIONS", {})
    role = options.pop("assume_role", None)
    connection.close()
    try:
        yield connection
    finally:
        connection.close()
        if role is not None:
            options["assume_role"] = role

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
from django.db.backends.utils import CursorWrapper
from psycopg import sql


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


def data_role_ensure(cursor: CursorWrapper, name: str) -> None:
    """Create (unless it exists) a role that may only read and write rows, and let the
    connecting role switch to it.

    No SUPERUSER, BYPASSRLS, CREATEDB or CREATEROLE; it owns nothing, so it cannot ALTER,
    DROP, TRUNCATE or disable row level security. Its privileges cover the tables that exist
    and, by default privileges, those the connecting role creates later.
    """
    role = sql.Identifier(name)
    statements = []
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
    if cursor.fetchone() is None:
        statements.append(
            sql.SQL(
                "CREATE ROLE {} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
            ).format(role)
        )
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    (is_superuser,) = cursor.fetchone()
    if not is_superuser:
        # The owner connects and then switches to the role with SET ROLE.
        statements.append(sql.SQL("GRANT {} TO CURRENT_USER").format(role))
    statements += [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(
            role
        ),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(role),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
        ).format(role),
        sql.SQL(
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {}"
        ).format(role),
    ]
    for statement in statements:
        cursor.execute(statement)


def data_role_revoke(cursor: CursorWrapper, name: str) -> None:
    """Undo ``data_role_ensure``'s grants (roles are cluster-wide, so the role stays)."""
    role = sql.Identifier(name)
    for statement in [
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM {}",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM {}",
        "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}",
        "REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {}",
        "REVOKE USAGE ON SCHEMA public FROM {}",
    ]:
        cursor.execute(sql.SQL(statement).format(role))

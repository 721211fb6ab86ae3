"""Database roles: the runtime and system login roles, and the owner for schema work.

The application logs in as ``settings.DATABASE_APP_ROLE`` (the "default" alias) and the
system path as ``settings.DATABASE_SYSTEM_ROLE`` (the "system" alias): neither owns a table
nor is a member of any role, so no statement run on their sessions can switch to more.
Schema changes (migrate, flush) need the owner; ``owner_connection()`` is the one place that
connects with the owner's credentials (``DATABASE_OWNER_URL``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from psycopg import sql

CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")


@contextmanager
def owner_connection(alias: str = DEFAULT_DB_ALIAS) -> Iterator[BaseDatabaseWrapper]:
    """Run the block on a fresh connection of ``alias`` logged in as the schema owner."""
    connection = connections[alias]
    saved = {key: connection.settings_dict.get(key) for key in CREDENTIALS}
    connection.close()
    connection.settings_dict.update(settings.DATABASE_OWNER)
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.update(saved)


@contextmanager
def owner_connections() -> Iterator[None]:
    """``owner_connection`` for every alias at once (creating a test database)."""
    with ExitStack() as stack:
        for alias in connections:
            stack.enter_context(owner_connection(alias))
        yield


def login_roles_ensure(cursor: CursorWrapper) -> None:
    """Make the runtime and system roles what the app logs in as: LOGIN, NOINHERIT, a
    member of no role; give those without a URL of their own their
    derived password. Run by ``migrate`` as the owner (which needs CREATEROLE for it)."""
    for role in (settings.DATABASE_APP_ROLE, settings.DATABASE_SYSTEM_ROLE):
        identifier = sql.Identifier(role)
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            continue  # migrated back before the migrations that create it
        cursor.execute(
            # Created without SUPERUSER, BYPASSRLS, CREATEDB and CREATEROLE (data_role_ensure).
            sql.SQL("ALTER ROLE {} LOGIN NOINHERIT").format(identifier)
        )
        password = settings.DATABASE_DERIVED_PASSWORDS.get(role)
        if password is not None:
            cursor.execute(
                sql.SQL("ALTER ROLE {} PASSWORD {}").format(identifier, sql.Literal(password))
            )
        cursor.execute(
            "SELECT m.roleid::regrole::text FROM pg_auth_members m WHERE m.member = %s::regrole",
            [role],
        )
        for (granted,) in cursor.fetchall():
            cursor.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(granted), identifier))


def data_role_ensure(cursor: CursorWrapper, name: str) -> None:
    """Create (unless it exists) a role that may only read and write rows, and let the
    connecting (owner) role switch to it (migrations reach every row as the system role).

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

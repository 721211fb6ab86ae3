"""The app runs as a role that row level security applies to; schema work runs as the owner."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from careeros.db.rls import system_context, user_context
from careeros.db.roles import owner_connection
from profiles.models import User

pytestmark = pytest.mark.django_db


def test_runtime_role_is_neither_superuser_nor_bypassrls() -> None:
    """Every app connection runs as the runtime role: no SUPERUSER, no BYPASSRLS."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb "
            "FROM pg_roles WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (settings.DATABASE_APP_ROLE, False, False, False, False)


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE sneaky (id int)",
        "TRUNCATE profiles",
        "ALTER TABLE profiles DISABLE ROW LEVEL SECURITY",
        "DROP TABLE users",
    ],
)
def test_runtime_role_cannot_change_the_schema(statement: str) -> None:
    """The runtime role can read and write rows, never change or empty tables."""
    with (
        pytest.raises(DatabaseError, match=r"permission denied|must be owner"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)


@pytest.mark.django_db(transaction=True)
def test_owner_connection_runs_as_the_connecting_role() -> None:
    """owner_connection() drops the runtime role for its block only."""
    with owner_connection(), connection.cursor() as cursor:
        cursor.execute("SELECT current_user = session_user")
        assert cursor.fetchone() == (True,)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone() == (settings.DATABASE_APP_ROLE,)


# -- The runtime login cannot widen what it sees -----------------------------------------


def one(sql: str, params: list[Any] | None = None) -> object:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()


def test_the_app_logs_in_as_the_runtime_role_itself() -> None:
    """Not the owner switching roles: the login role is the runtime role, NOINHERIT, a
    member of no role, owning no table."""
    app = settings.DATABASE_APP_ROLE
    assert one("SELECT session_user, current_user") == (app, app)
    assert one("SELECT rolinherit, rolcanlogin FROM pg_roles WHERE rolname = %s", [app]) == (
        False,
        True,
    )
    assert one("SELECT count(*) FROM pg_auth_members WHERE member = %s::regrole", [app]) == (0,)
    assert one(
        "SELECT count(*) FROM pg_roles WHERE rolname <> %s AND pg_has_role(%s, oid, 'MEMBER')",
        [app, app],
    ) == (0,)
    assert one("SELECT count(*) FROM pg_class WHERE relowner = %s::regrole", [app]) == (0,)


# How PostgreSQL 15 to 17 word a refusal.
REFUSED = r"permission denied|must be owner|must be member|must be superuser|must have admin"


@pytest.mark.parametrize(
    "statement",
    [
        f"SET ROLE {settings.DATABASE_SYSTEM_ROLE}",
        f"SET LOCAL ROLE {settings.DATABASE_SYSTEM_ROLE}",
        f"SET ROLE {settings.DATABASE_OWNER['USER']}",
        "SET ROLE postgres",
        f"SET SESSION AUTHORIZATION {settings.DATABASE_SYSTEM_ROLE}",
        "SET SESSION AUTHORIZATION postgres",
        "ALTER TABLE work_experience NO FORCE ROW LEVEL SECURITY",
        "ALTER TABLE users DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE django_session NO FORCE ROW LEVEL SECURITY",
        "DROP POLICY work_experience_owner ON work_experience",
        "CREATE POLICY everything ON work_experience USING (true)",
        f"ALTER ROLE {settings.DATABASE_APP_ROLE} BYPASSRLS",
        f"GRANT {settings.DATABASE_SYSTEM_ROLE} TO {settings.DATABASE_APP_ROLE}",
        "CREATE ROLE sneaky LOGIN SUPERUSER",
        "CREATE FUNCTION sneaky() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1'",
    ],
)
def test_the_runtime_session_cannot_escalate(statement: str) -> None:
    """Each statement an injected query might try to leave row level security is refused."""
    with (
        pytest.raises(
            DatabaseError,
            match=REFUSED,
        ),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)


def test_reset_role_and_row_security_off_widen_nothing(user: object) -> None:
    """RESET ROLE stays the runtime role (its session user); turning row_security off makes
    a filtered query fail instead of showing rows."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute("SELECT current_user, count(*) FROM users")
        assert cursor.fetchone() == (settings.DATABASE_APP_ROLE, 0)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL row_security = off")
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            cursor.execute("SELECT count(*) FROM users")


# SECURITY DEFINER functions the runtime role may call, each with the reason it is safe.
RUNTIME_DEFINER_FUNCTIONS = {
    # Takes only a timestamp and creates the partition of interview_transcripts for its
    # month (a fixed name pattern, with the table's forced row level security and policies);
    # it reads and returns no row. The insert that needs the partition runs in the runtime
    # transaction, which may already hold a lock on the parent table, so it cannot be handed
    # to the system connection without waiting on itself.
    "interview_transcripts_partition_ensure",
}


def test_no_security_definer_function_is_open_to_the_runtime_role() -> None:
    """A SECURITY DEFINER function runs with its owner's rights: none may exist for the
    runtime role to call (sign-in goes through the system login instead), but the few
    listed above."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE p.prosecdef AND n.nspname = current_schema() "
            "AND has_function_privilege(%s, p.oid, 'EXECUTE')",
            [settings.DATABASE_APP_ROLE],
        )
        open_to_runtime = {name for (name,) in cursor.fetchall()}
    assert open_to_runtime <= RUNTIME_DEFINER_FUNCTIONS


def test_users_and_sessions_are_hidden_without_their_context(client: Client, user: User) -> None:
    """Password hashes, ids and session keys: none without the user's (or session's) own
    context; the user's own row in theirs."""
    client.force_login(user)
    key = client.session.session_key
    assert one("SELECT count(*) FROM users") == (0,)
    assert one("SELECT count(*) FROM django_session") == (0,)
    with user_context(user.pk):
        assert one("SELECT count(*), min(email) FROM users") == (1, user.email)
        assert one("SELECT count(*) FROM django_session") == (0,)
    with transaction.atomic():
        one("SELECT set_config('app.session_key', %s, true)", [key])
        assert one("SELECT count(*) FROM django_session") == (1,)
    # The signed-in client still works: its session and its user row are found.
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_the_system_login_is_its_own_role_and_sees_every_account(
    user: User, other_user: User
) -> None:
    system_role = settings.DATABASE_SYSTEM_ROLE
    with system_context() as system, system.cursor() as cursor:
        cursor.execute("SELECT session_user, current_user, count(*) FROM users")
        assert cursor.fetchone() == (system_role, system_role, 2)
        cursor.execute(
            "SELECT count(*) FROM pg_auth_members WHERE member = %s::regrole", [system_role]
        )
        assert cursor.fetchone() == (0,)
        with (
            pytest.raises(DatabaseError, match="permission denied"),
            transaction.atomic(using=system.alias),
        ):
            cursor.execute(f"SET ROLE {settings.DATABASE_APP_ROLE}")
    assert one("SELECT current_user") == (settings.DATABASE_APP_ROLE,)

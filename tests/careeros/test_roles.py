"""The app runs as a role that row level security applies to; schema work runs as the owner."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from careeros.db.roles import owner_connection

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

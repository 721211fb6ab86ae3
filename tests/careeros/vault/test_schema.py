"""encrypted_data is the seed's table (plus purpose), with its TTL index and function."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from careeros.db.rls import system_context, unprotected_tables

# The vault checks its rows through the system login, which sees committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)

# The seed's columns in its order, then CareerOS's addition. created_at defaults to
# statement_timestamp() rather than the seed's now() (Django's Now(), as on every CareerOS
# table): the time of the INSERT rather than of its transaction's start.
SEED_COLUMNS = [
    ("id", "uuid", "NO", "gen_random_uuid()"),
    ("user_id", "uuid", "NO", None),
    ("encrypted_content", "bytea", "NO", None),
    ("encryption_method", "text", "NO", "'aes-256-gcm'::text"),
    ("key_id", "text", "NO", None),
    ("initialization_vector", "bytea", "YES", None),
    ("content_type", "text", "YES", None),
    ("content_size", "integer", "YES", None),
    ("created_at", "timestamp with time zone", "NO", "statement_timestamp()"),
    ("expires_at", "timestamp with time zone", "YES", None),
    ("purpose", "text", "NO", None),
]


def rows(sql: str, params: list[str] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return list(cursor.fetchall())


def test_the_columns_are_the_seeds() -> None:
    assert (
        rows(
            "SELECT column_name, data_type, is_nullable, column_default "
            "FROM information_schema.columns WHERE table_name = 'encrypted_data' "
            "ORDER BY ordinal_position"
        )
        == SEED_COLUMNS
    )


def test_the_ttl_index_is_partial_on_expires_at() -> None:
    ((definition,),) = rows(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_encrypted_data_expires'"
    )
    assert "ON public.encrypted_data USING btree (expires_at)" in definition
    assert definition.endswith("WHERE (expires_at IS NOT NULL)")


def test_the_cleanup_finds_expired_rows_through_the_ttl_index() -> None:
    """The batch delete's subquery (system context) can walk the partial index."""
    with system_context() as system, system.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM encrypted_data WHERE expires_at < now() "
            "ORDER BY expires_at LIMIT 10"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "idx_encrypted_data_expires" in plan


def test_the_seeds_cleanup_function_exists_as_written() -> None:
    ((language, returns, definer, source),) = rows(
        "SELECT l.lanname, p.prorettype::regtype::text, p.prosecdef, p.prosrc "
        "FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang "
        "WHERE p.proname = 'cleanup_expired_data' AND p.pronargs = 0"
    )
    assert (language, returns, definer) == ("plpgsql", "integer", False)
    assert "DELETE FROM encrypted_data" in str(source)
    assert "WHERE expires_at < now()" in str(source)
    assert "GET DIAGNOSTICS deleted_count = ROW_COUNT" in str(source)


def test_both_vault_tables_have_forced_rls_with_policies() -> None:
    found = rows(
        "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity, "
        "array_agg(p.polname::text ORDER BY p.polname) FROM pg_class c "
        "JOIN pg_policy p ON p.polrelid = c.oid "
        "WHERE c.relname IN ('encrypted_data', 'encrypted_data_keys') "
        "GROUP BY c.relname, c.relrowsecurity, c.relforcerowsecurity ORDER BY c.relname"
    )
    assert found == [
        ("encrypted_data", True, True, ["encrypted_data_owner", "encrypted_data_system"]),
        (
            "encrypted_data_keys",
            True,
            True,
            ["encrypted_data_keys_owner", "encrypted_data_keys_system"],
        ),
    ]
    assert unprotected_tables(connection) == []


def test_the_owner_policies_compare_user_id_on_an_index() -> None:
    for table in ["encrypted_data", "encrypted_data_keys"]:
        ((qual,),) = rows(
            "SELECT pg_get_expr(polqual, polrelid) FROM pg_policy WHERE polname = %s",
            [f"{table}_owner"],
        )
        assert qual == "(user_id = app_current_user_id())"
        indexed = rows(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [table, "%(user_id)%"],
        )
        assert indexed, table

"""The system role, and the function every row level security policy is keyed on.

``app_current_user_id()`` reads the transaction-local ``app.user_id`` set by
``careeros.db.rls.user_context``; unset or empty, it is NULL and owner policies match no
row. The system role may read and write every user-owned table through its own policies;
the connecting (owner) role can switch to it, the runtime role cannot be it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import migrations
from psycopg import sql

CURRENT_USER_FUNCTION = """
CREATE OR REPLACE FUNCTION app_current_user_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$
"""


def create_system_role(apps, schema_editor):
    role = sql.Identifier(settings.DATABASE_SYSTEM_ROLE)
    statements = []
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [settings.DATABASE_SYSTEM_ROLE])
        if cursor.fetchone() is None:
            statements.append(
                sql.SQL(
                    "CREATE ROLE {} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
                ).format(role)
            )
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        (is_superuser,) = cursor.fetchone()
        if not is_superuser:
            statements.append(sql.SQL("GRANT {} TO CURRENT_USER").format(role))
        statements += [
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role),
            sql.SQL(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}"
            ).format(role),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(role),
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
                "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
            ).format(role),
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {}"
            ).format(role),
            sql.SQL(CURRENT_USER_FUNCTION),
        ]
        for statement in statements:
            cursor.execute(statement)


def drop_system_role_grants(apps, schema_editor):
    role = sql.Identifier(settings.DATABASE_SYSTEM_ROLE)
    with schema_editor.connection.cursor() as cursor:
        for statement in [
            "DROP FUNCTION IF EXISTS app_current_user_id()",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM {}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM {}",
            "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}",
            "REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {}",
            "REVOKE USAGE ON SCHEMA public FROM {}",
        ]:
            cursor.execute(sql.SQL(statement).format(role))


class Migration(migrations.Migration):
    dependencies = [("careeros", "0001_runtime_role")]
    run_before = [("contenttypes", "0001_initial"), ("auth", "0001_initial")]

    operations = [migrations.RunPython(create_system_role, drop_system_role_grants)]

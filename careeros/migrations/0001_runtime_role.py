"""Create the runtime role the app connects as, and grant it data access only.

The role has no SUPERUSER, BYPASSRLS, CREATEDB or CREATEROLE, owns nothing, and may only
SELECT/INSERT/UPDATE/DELETE: so it cannot ALTER, DROP, TRUNCATE or disable row level
security. Roles are cluster-wide; creating it is skipped when it exists.
"""

from __future__ import annotations

from django.conf import settings
from django.db import migrations
from psycopg import sql


def create_runtime_role(apps, schema_editor):
    role = sql.Identifier(settings.DATABASE_APP_ROLE)
    statements = []
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [settings.DATABASE_APP_ROLE])
        if cursor.fetchone() is None:
            statements.append(
                sql.SQL(
                    "CREATE ROLE {} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
                ).format(role)
            )
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        (is_superuser,) = cursor.fetchone()
        if not is_superuser:
            # The owner connects and then switches to the runtime role with SET ROLE.
            statements.append(sql.SQL("GRANT {} TO CURRENT_USER").format(role))
        statements += [
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role),
            sql.SQL(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}"
            ).format(role),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(role),
            # Tables and sequences the owner creates from here on.
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


def revoke_runtime_role(apps, schema_editor):
    role = sql.Identifier(settings.DATABASE_APP_ROLE)
    with schema_editor.connection.cursor() as cursor:
        for statement in [
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM {}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM {}",
            "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}",
            "REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {}",
            "REVOKE USAGE ON SCHEMA public FROM {}",
        ]:
            cursor.execute(sql.SQL(statement).format(role))


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []
    # First of all, so the default privileges cover every table created after it.
    run_before = [("contenttypes", "0001_initial"), ("auth", "0001_initial")]

    operations = [migrations.RunPython(create_runtime_role, revoke_runtime_role)]

"""Create the runtime role the app connects as, and grant it data access only.

The role has no SUPERUSER, BYPASSRLS, CREATEDB or CREATEROLE, owns nothing, and may only
SELECT/INSERT/UPDATE/DELETE: so it cannot ALTER, DROP, TRUNCATE or disable row level
security. Roles are cluster-wide; creating it is skipped when it exists.
"""

from __future__ import annotations

from django.conf import settings
from django.db import migrations

from careeros.db.roles import data_role_ensure, data_role_revoke


def create_runtime_role(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        data_role_ensure(cursor, settings.DATABASE_APP_ROLE)


def revoke_runtime_role(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        data_role_revoke(cursor, settings.DATABASE_APP_ROLE)


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []
    # First of all, so the default privileges cover every table created after it.
    run_before = [("contenttypes", "0001_initial"), ("auth", "0001_initial")]

    operations = [migrations.RunPython(create_runtime_role, revoke_runtime_role)]

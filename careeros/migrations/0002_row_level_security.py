"""The system role, and the function every row level security policy is keyed on.

``app_current_user_id()`` reads the transaction-local ``app.user_id`` set by
``careeros.db.rls.user_context``; unset or empty, it is NULL and owner policies match no
row. The system role may read and write every user-owned table through its own policies;
the connecting (owner) role can switch to it, the runtime role cannot be it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import migrations

from careeros.db.roles import data_role_ensure, data_role_revoke

CURRENT_USER_FUNCTION = """
CREATE OR REPLACE FUNCTION app_current_user_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$
"""


def create_system_role(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        data_role_ensure(cursor, settings.DATABASE_SYSTEM_ROLE)
        cursor.execute(CURRENT_USER_FUNCTION)


def drop_system_role_grants(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP FUNCTION IF EXISTS app_current_user_id()")
        data_role_revoke(cursor, settings.DATABASE_SYSTEM_ROLE)


class Migration(migrations.Migration):
    dependencies = [("careeros", "0001_runtime_role")]
    run_before = [("contenttypes", "0001_initial"), ("auth", "0001_initial")]

    operations = [migrations.RunPython(create_system_role, drop_system_role_grants)]

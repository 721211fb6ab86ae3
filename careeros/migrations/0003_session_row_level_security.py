"""Row level security on ``django_session``: the runtime role sees only the session whose
key its transaction names (careeros.db.sessions), the system role every session."""

from __future__ import annotations

from django.db import migrations

from careeros.db.rls import EnableRowLevelSecurity

SESSION_KEY_FUNCTION = """
CREATE OR REPLACE FUNCTION app_current_session_key() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT NULLIF(current_setting('app.session_key', true), '') $$
"""


class Migration(migrations.Migration):
    dependencies = [
        ("careeros", "0002_row_level_security"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            SESSION_KEY_FUNCTION, "DROP FUNCTION IF EXISTS app_current_session_key()"
        ),
        EnableRowLevelSecurity("django_session", owner="session_key = app_current_session_key()"),
    ]

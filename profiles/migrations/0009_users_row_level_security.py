"""Row level security on ``users``: the runtime role sees only the row of the user in
context, never another account, its password hash or its id; sign-in looks addresses up
through the system alias (careeros.db.accounts)."""

from __future__ import annotations

from django.db import migrations

from careeros.db.rls import EnableRowLevelSecurity


class Migration(migrations.Migration):
    dependencies = [("profiles", "0008_database_level_on_delete")]

    operations = [EnableRowLevelSecurity("users", owner="id = app_current_user_id()")]

"""Row level security on the account tables that carry a ``user_id``.

A user may read their own group and permission links (permission checks) and admin log
entries; operators reach all of them through the admin site's system context.
"""

from django.db import migrations

from careeros.db.rls import EnableRowLevelSecurity


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0002_versioned_entities"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [
        EnableRowLevelSecurity("users_groups"),
        EnableRowLevelSecurity("users_user_permissions"),
        EnableRowLevelSecurity("django_admin_log"),
    ]

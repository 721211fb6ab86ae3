"""Versions, parsed entities and diffs carry their owner's ``user_id``, and their policies
are ``user_id = app_current_user_id()`` on its index instead of a subquery through the
stream (which scanned whole tables as they grew).

The database keeps the column right: each row is backfilled from its parent, then a trigger
sets it from the parent on every insert and on every update of the parent key or of
``user_id`` itself (``careeros.db.rls.UserIdFromParent``), so the value a client sends is
never trusted, and a parent the caller cannot see is refused as before.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from careeros.db.rls import OWNER_CONDITION, UserIdFromParent

# The policies of migration 0002, restored when this one is reversed.
VERSION_OWNER = "stream_id IN (SELECT id FROM resume_streams WHERE user_id = app_current_user_id())"
CHILD_OWNER = (
    "resume_version_id IN (SELECT v.id FROM resume_versions v"
    " JOIN resume_streams s ON s.id = v.stream_id WHERE s.user_id = app_current_user_id())"
)

# (model, table, parent key, parent table, the policy it replaces); parents first, so a
# child's backfill reads its version's user_id.
TABLES = [
    ("resumeversion", "resume_versions", "stream_id", "resume_streams", VERSION_OWNER),
    (
        "parsedresumeentity",
        "parsed_resume_entities",
        "resume_version_id",
        "resume_versions",
        CHILD_OWNER,
    ),
    ("resumediff", "resume_diffs", "resume_version_id", "resume_versions", CHILD_OWNER),
]


def _policy(table: str, condition: str) -> str:
    return f"ALTER POLICY {table}_owner ON {table} USING ({condition}) WITH CHECK ({condition})"


def _operations(model, table, key, parent, previous):
    field = {
        "on_delete": django.db.models.deletion.DB_CASCADE,
        "related_name": "+",
        "to": settings.AUTH_USER_MODEL,
        "editable": False,
    }
    return [
        migrations.AddField(
            model_name=model, name="user", field=models.ForeignKey(null=True, **field)
        ),
        UserIdFromParent(table=table, key=key, parent=parent),
        migrations.AlterField(
            model_name=model,
            name="user",
            field=models.ForeignKey(
                db_default=models.Func(
                    function="app_current_user_id", output_field=models.UUIDField()
                ),
                **field,
            ),
        ),
        migrations.RunSQL(_policy(table, OWNER_CONDITION), _policy(table, previous)),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("resumes", "0005_database_level_on_delete"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [operation for table in TABLES for operation in _operations(*table)]

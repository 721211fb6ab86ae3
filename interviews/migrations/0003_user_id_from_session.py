"""Transcript turns carry their session's ``user_id``, and the policies of the table and of
every monthly partition are ``user_id = app_current_user_id()`` on its index instead of a
subquery through the sessions.

As for resume versions (resumes 0006): backfilled from the session, then set from it by a
trigger on every insert and on every update of ``session_id`` or ``user_id`` (a row trigger
on the partitioned table, which PostgreSQL gives every partition, present and future), so a
client's value is never trusted. The partition function of 0002 is replaced by the same
function with the new condition, so the months it makes from now on get it too.
"""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from psycopg import sql

from careeros.db.rls import OWNER_CONDITION, UserIdFromParent

partitions_0002 = importlib.import_module(
    "interviews.migrations.0002_row_level_security_and_partitions"
)


def _set_owner_condition(condition):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        app_role, system_role = settings.DATABASE_APP_ROLE, settings.DATABASE_SYSTEM_ROLE
        values = {
            "owner": sql.Literal(condition).as_string(connection.connection),
            "app_role": sql.Literal(app_role).as_string(connection.connection),
            "system_role": sql.Literal(system_role).as_string(connection.connection),
            "app_role_ident": sql.Identifier(app_role).as_string(connection.connection),
            "system_role_ident": sql.Identifier(system_role).as_string(connection.connection),
        }
        with connection.cursor() as cursor:
            cursor.execute(partitions_0002.ENSURE.format(**values))
            cursor.execute(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = 'interview_transcripts'::regclass"
            )
            tables = ["interview_transcripts", *(name for (name,) in cursor.fetchall())]
            for table in tables:
                cursor.execute(
                    sql.SQL("ALTER POLICY {} ON {} USING ({}) WITH CHECK ({})").format(
                        sql.Identifier(f"{table}_owner"),
                        sql.Identifier(table),
                        sql.SQL(condition),
                        sql.SQL(condition),
                    )
                )

    return run


FIELD = {
    "on_delete": django.db.models.deletion.DB_CASCADE,
    "related_name": "+",
    "to": settings.AUTH_USER_MODEL,
    "editable": False,
}


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0002_row_level_security_and_partitions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="interviewtranscript",
            name="user",
            field=models.ForeignKey(null=True, **FIELD),
        ),
        UserIdFromParent(
            table="interview_transcripts", key="session_id", parent="interview_sessions"
        ),
        migrations.AlterField(
            model_name="interviewtranscript",
            name="user",
            field=models.ForeignKey(
                db_default=models.Func(
                    function="app_current_user_id", output_field=models.UUIDField()
                ),
                **FIELD,
            ),
        ),
        migrations.RunPython(
            _set_owner_condition(OWNER_CONDITION),
            _set_owner_condition(partitions_0002.TRANSCRIPT_OWNER),
        ),
    ]

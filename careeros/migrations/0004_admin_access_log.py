"""The operators' audit trail, under row level security with no owner: the runtime role
reads and writes none of it, the system role (the admin site) all of it."""

import uuid

import django.contrib.postgres.functions
import django.db.models.deletion
import django.db.models.functions.datetime
from django.conf import settings
from django.db import migrations, models

from careeros.db.rls import EnableRowLevelSecurity


class Migration(migrations.Migration):
    dependencies = [
        ("careeros", "0003_session_row_level_security"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AdminAccess",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        db_default=django.contrib.postgres.functions.RandomUUID(),
                        default=uuid.uuid4,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("operator_email", models.TextField()),
                ("method", models.CharField(max_length=10)),
                ("path", models.TextField()),
                ("view", models.TextField()),
                ("object_id", models.TextField(blank=True, default="")),
                ("status_code", models.IntegerField(null=True)),
                (
                    "accessed_at",
                    models.DateTimeField(db_default=django.db.models.functions.datetime.Now()),
                ),
                (
                    "operator",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "db_table": "admin_access_log",
                "indexes": [models.Index(fields=["accessed_at"], name="idx_admin_access_log_at")],
            },
        ),
        EnableRowLevelSecurity("admin_access_log", owner="false"),
    ]

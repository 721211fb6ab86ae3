"""The seed's ``encrypted_data`` (with its TTL index and ``cleanup_expired_data()``), and
the per-user data keys that encrypt it; both owned by their user under forced RLS.

``cleanup_expired_data()`` is the seed's function as written: it runs with the caller's
rights (not SECURITY DEFINER), so row level security decides what it may delete, and it
deletes everything in one statement. The nightly job deletes in batches instead
(``careeros.vault.services.encrypted_data_cleanup``).
"""

import uuid

import django.contrib.postgres.functions
import django.db.models.deletion
import django.db.models.functions.datetime
from django.conf import settings
from django.db import migrations, models

from careeros.db.rls import EnableRowLevelSecurity

CLEANUP_FUNCTION = """
CREATE OR REPLACE FUNCTION cleanup_expired_data()
RETURNS INTEGER
LANGUAGE plpgsql
AS $$
DECLARE
  deleted_count INTEGER;
BEGIN
  DELETE FROM encrypted_data
  WHERE expires_at < now();

  GET DIAGNOSTICS deleted_count = ROW_COUNT;
  RETURN deleted_count;
END;
$$;
"""


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("careeros", "0002_row_level_security"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="EncryptedData",
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
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.DB_CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("encrypted_content", models.BinaryField()),
                (
                    "encryption_method",
                    models.TextField(db_default="aes-256-gcm", default="aes-256-gcm"),
                ),
                ("key_id", models.TextField()),
                ("initialization_vector", models.BinaryField(null=True)),
                ("content_type", models.TextField(null=True)),
                ("content_size", models.IntegerField(null=True)),
                (
                    "created_at",
                    models.DateTimeField(db_default=django.db.models.functions.datetime.Now()),
                ),
                ("expires_at", models.DateTimeField(null=True)),
                ("purpose", models.TextField()),
            ],
            options={
                "verbose_name": "encrypted data row",
                "db_table": "encrypted_data",
                "indexes": [
                    models.Index(
                        condition=models.Q(("expires_at__isnull", False)),
                        fields=["expires_at"],
                        name="idx_encrypted_data_expires",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="DataKey",
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
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.DB_CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("master_key_id", models.TextField()),
                ("wrapped_key", models.BinaryField()),
                ("wrap_nonce", models.BinaryField()),
                (
                    "created_at",
                    models.DateTimeField(db_default=django.db.models.functions.datetime.Now()),
                ),
                ("rewrapped_at", models.DateTimeField(null=True)),
            ],
            options={
                "verbose_name": "data key",
                "db_table": "encrypted_data_keys",
                "indexes": [
                    models.Index(fields=["master_key_id"], name="idx_encrypted_data_keys_master")
                ],
            },
        ),
        EnableRowLevelSecurity("encrypted_data"),
        EnableRowLevelSecurity("encrypted_data_keys"),
        migrations.RunSQL(CLEANUP_FUNCTION, "DROP FUNCTION IF EXISTS cleanup_expired_data()"),
    ]

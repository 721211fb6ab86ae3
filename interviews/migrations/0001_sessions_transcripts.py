"""The seed's interview_sessions, and interview_transcripts as a table partitioned by month.

The seed's partitioning snippet would not run (a LIKE copy is not a partitioned table, and a
partitioned table's primary key must hold its partition key): ``interview_transcripts`` is
created here with ``PARTITION BY RANGE (created_at)`` and the key ``(id, created_at)``; the
model's state (a ``CompositePrimaryKey``) matches it. Partitions come from
``interview_transcripts_partition_ensure`` (migration 0002).
"""

import uuid

import django.contrib.postgres.functions
import django.db.models.deletion
import django.db.models.functions.datetime
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

CREATE_TRANSCRIPTS = """
CREATE TABLE interview_transcripts (
  id UUID NOT NULL DEFAULT gen_random_uuid(),
  session_id UUID NOT NULL REFERENCES interview_sessions(id) ON DELETE CASCADE,
  speaker TEXT NOT NULL CHECK (speaker IN ('user', 'assistant')),
  content TEXT NOT NULL,
  timestamp_ms INTEGER,
  is_encrypted BOOLEAN DEFAULT true,
  ai_extracted_entities JSONB,
  confidence_score DECIMAL(3,2),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE INDEX idx_interview_transcripts_session
  ON interview_transcripts(session_id, created_at);
"""


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="InterviewSession",
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
                ("openai_session_id", models.TextField(blank=True, null=True)),
                (
                    "session_type",
                    models.TextField(
                        choices=[
                            ("career_overview", "Career overview"),
                            ("role_deep_dive", "Role deep dive"),
                            ("skills_assessment", "Skills assessment"),
                        ],
                        db_default="career_overview",
                        default="career_overview",
                        null=True,
                    ),
                ),
                (
                    "status",
                    models.TextField(
                        choices=[
                            ("active", "In progress"),
                            ("completed", "Completed"),
                            ("failed", "Closed unfinished"),
                        ],
                        db_default="active",
                        default="active",
                    ),
                ),
                ("system_prompt", models.TextField(blank=True, null=True)),
                ("session_config", models.JSONField(blank=True, null=True)),
                (
                    "started_at",
                    models.DateTimeField(db_default=django.db.models.functions.datetime.Now()),
                ),
                ("ended_at", models.DateTimeField(blank=True, null=True)),
                (
                    "created_at",
                    models.DateTimeField(db_default=django.db.models.functions.datetime.Now()),
                ),
                (
                    "updated_at",
                    models.DateTimeField(db_default=django.db.models.functions.datetime.Now()),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.DB_CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "db_table": "interview_sessions",
            },
        ),
        migrations.AddIndex(
            model_name="interviewsession",
            index=models.Index(fields=["user", "status"], name="idx_interview_sessions_user"),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(CREATE_TRANSCRIPTS, "DROP TABLE interview_transcripts")
            ],
            state_operations=[
                migrations.CreateModel(
                    name="InterviewTranscript",
                    fields=[
                        (
                            "pk",
                            models.CompositePrimaryKey(
                                "id",
                                "created_at",
                                blank=True,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        (
                            "id",
                            models.UUIDField(
                                db_default=django.contrib.postgres.functions.RandomUUID(),
                                default=uuid.uuid4,
                            ),
                        ),
                        (
                            "speaker",
                            models.TextField(
                                choices=[("user", "You"), ("assistant", "Interviewer")]
                            ),
                        ),
                        ("content", models.TextField()),
                        ("timestamp_ms", models.IntegerField(blank=True, null=True)),
                        (
                            "is_encrypted",
                            models.BooleanField(db_default=True, default=True, null=True),
                        ),
                        ("ai_extracted_entities", models.JSONField(blank=True, null=True)),
                        (
                            "confidence_score",
                            models.DecimalField(
                                blank=True, decimal_places=2, max_digits=3, null=True
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                db_default=django.db.models.functions.datetime.Now(),
                                default=django.utils.timezone.now,
                            ),
                        ),
                        (
                            "session",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.DB_CASCADE,
                                related_name="transcripts",
                                to="interviews.interviewsession",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "interview_transcripts",
                    },
                ),
                migrations.AddIndex(
                    model_name="interviewtranscript",
                    index=models.Index(
                        fields=["session", "created_at"], name="idx_interview_transcripts_session"
                    ),
                ),
            ],
        ),
    ]

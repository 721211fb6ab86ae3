"""update_resume_processing_stage counts a stage's interruptions apart from its attempts
(``p_interrupted``): a claim that takes the stage over from a worker found dead (its lease
ran out) adds one. The "interrupted repeatedly" rule is judged by that count alone, so
attempts spent on transient failures (429s, a database restart) never make a later lost
worker look like the third in a row. A restart forgets both counts."""

from importlib import import_module

from django.db import migrations

previous = import_module("resumes.migrations.0008_stage_function_failure")

FUNCTION = previous.FUNCTION.replace(
    "  p_retry_at TIMESTAMPTZ DEFAULT NULL\n)",
    "  p_retry_at TIMESTAMPTZ DEFAULT NULL,\n  p_interrupted BOOLEAN DEFAULT FALSE\n)",
).replace(
    "'error', to_jsonb(p_error),",
    "'error', to_jsonb(p_error),\n"
    "             'interruptions', CASE WHEN p_restart THEN 0\n"
    "                                   ELSE COALESCE((previous ->> 'interruptions')::int, 0) END\n"
    "                              + CASE WHEN p_interrupted THEN 1 ELSE 0 END,",
)
assert "p_interrupted BOOLEAN" in FUNCTION
assert "WHEN p_interrupted THEN 1" in FUNCTION

OLD_SIGNATURE = previous.NEW_SIGNATURE
NEW_SIGNATURE = (
    "update_resume_processing_stage(UUID, TEXT, TEXT, TEXT, INTEGER, BOOLEAN, TEXT, TIMESTAMPTZ,"
    " BOOLEAN)"
)


class Migration(migrations.Migration):
    dependencies = [("resumes", "0008_stage_function_failure")]

    operations = [
        migrations.RunSQL(
            [f"DROP FUNCTION {OLD_SIGNATURE}", FUNCTION],
            reverse_sql=[f"DROP FUNCTION {NEW_SIGNATURE}", previous.FUNCTION],
        ),
    ]

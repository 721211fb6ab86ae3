"""update_resume_processing_stage records why a stage failed (``p_failure``): a typed kind
(``resumes.schemas.Failure``) beside the message, so the page can say "The AI service is
unavailable" apart from a permanent error or a file that took too long; and, for a stage
pending again after a transient failure, when its retry is due (``p_retry_at``), which the
reconciler waits for instead of cutting the backoff short."""

from importlib import import_module

from django.db import migrations

previous = import_module("resumes.migrations.0004_stage_function_restart")

FUNCTION = previous.FUNCTION.replace(
    "  p_restart BOOLEAN DEFAULT FALSE\n)",
    "  p_restart BOOLEAN DEFAULT FALSE,\n  p_failure TEXT DEFAULT NULL,\n"
    "  p_retry_at TIMESTAMPTZ DEFAULT NULL\n)",
).replace(
    "'error', to_jsonb(p_error),",
    "'error', to_jsonb(p_error),\n"
    "             'failure', to_jsonb(p_failure),\n"
    "             'retry_at', to_jsonb(p_retry_at),",
)
assert "p_failure TEXT" in FUNCTION
assert "to_jsonb(p_failure)" in FUNCTION
assert "to_jsonb(p_retry_at)" in FUNCTION

OLD_SIGNATURE = previous.NEW_SIGNATURE
NEW_SIGNATURE = (
    "update_resume_processing_stage(UUID, TEXT, TEXT, TEXT, INTEGER, BOOLEAN, TEXT, TIMESTAMPTZ)"
)


class Migration(migrations.Migration):
    dependencies = [("resumes", "0007_basics_entity_type")]

    operations = [
        migrations.RunSQL(
            [f"DROP FUNCTION {OLD_SIGNATURE}", FUNCTION],
            reverse_sql=[f"DROP FUNCTION {NEW_SIGNATURE}", previous.FUNCTION],
        ),
    ]

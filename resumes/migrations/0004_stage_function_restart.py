"""update_resume_processing_stage learns to restart a stage (``p_restart``): pending, with its
attempts forgotten. Retrying a failed version then goes through the function too, which
stays the only writer of ``processing_stages``."""

from importlib import import_module

from django.db import migrations

previous = import_module("resumes.migrations.0002_row_level_security_and_stage_function")

FUNCTION = previous.UPDATE_RESUME_PROCESSING_STAGE.replace(
    "  p_progress INTEGER DEFAULT NULL\n)",
    "  p_progress INTEGER DEFAULT NULL,\n  p_restart BOOLEAN DEFAULT FALSE\n)",
).replace(
    "'attempts', COALESCE((previous ->> 'attempts')::int, 0)",
    "'attempts', CASE WHEN p_restart THEN 0 ELSE COALESCE((previous ->> 'attempts')::int, 0) END",
)
assert "p_restart BOOLEAN" in FUNCTION
assert "WHEN p_restart THEN 0" in FUNCTION

OLD_SIGNATURE = "update_resume_processing_stage(UUID, TEXT, TEXT, TEXT, INTEGER)"
NEW_SIGNATURE = "update_resume_processing_stage(UUID, TEXT, TEXT, TEXT, INTEGER, BOOLEAN)"


class Migration(migrations.Migration):
    dependencies = [("resumes", "0003_source_agnostic")]

    operations = [
        migrations.RunSQL(
            [f"DROP FUNCTION {OLD_SIGNATURE}", FUNCTION],
            reverse_sql=[
                f"DROP FUNCTION {NEW_SIGNATURE}",
                previous.UPDATE_RESUME_PROCESSING_STAGE,
            ],
        ),
    ]

"""Row level security on the resume tables, and the seed's update_resume_processing_stage.

Only ``resume_streams`` carries a ``user_id``. Versions, parsed entities and diffs are owned
through their stream, as the seed's example policy for ``resume_versions`` does: the seed's
columns stay exactly as specified, and a version can never be moved to another user's stream
(WITH CHECK applies the same condition to writes).

The seed declares the stage function SECURITY DEFINER, which would let any caller rewrite any
user's version. It is SECURITY INVOKER here, so the caller's row level security applies: a user
context can only touch its own versions, and an unknown or foreign id updates nothing and
returns false. It also keeps ``processing_status``, ``processing_started_at`` and
``processing_completed_at`` in step with the stages, counts attempts per stage (the stuck-work
reconciler gives up after a few), and accepts only the four stages and four statuses.
"""

from django.db import migrations

from careeros.db.rls import EnableRowLevelSecurity

VERSION_OWNER = "stream_id IN (SELECT id FROM resume_streams WHERE user_id = app_current_user_id())"
CHILD_OWNER = (
    "resume_version_id IN (SELECT v.id FROM resume_versions v"
    " JOIN resume_streams s ON s.id = v.stream_id WHERE s.user_id = app_current_user_id())"
)

UPDATE_RESUME_PROCESSING_STAGE = """
CREATE OR REPLACE FUNCTION update_resume_processing_stage(
  p_version_id UUID,
  p_stage TEXT,
  p_status TEXT DEFAULT 'in_progress',
  p_error TEXT DEFAULT NULL,
  p_progress INTEGER DEFAULT NULL
)
RETURNS BOOLEAN
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET search_path = public
AS $$
DECLARE
  previous JSONB;
BEGIN
  IF p_stage IS NULL OR p_stage NOT IN ('upload', 'parse', 'enrich', 'complete') THEN
    RAISE EXCEPTION 'update_resume_processing_stage: % is not a stage', p_stage
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_status IS NULL OR p_status NOT IN ('pending', 'in_progress', 'completed', 'failed') THEN
    RAISE EXCEPTION 'update_resume_processing_stage: % is not a stage status', p_status
      USING ERRCODE = 'invalid_parameter_value';
  END IF;

  SELECT COALESCE(processing_stages -> p_stage, '{}'::jsonb) INTO previous
    FROM resume_versions WHERE id = p_version_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN FALSE;
  END IF;

  UPDATE resume_versions
     SET processing_stages = jsonb_set(
           COALESCE(processing_stages, '{}'::jsonb),
           ARRAY[p_stage],
           jsonb_strip_nulls(jsonb_build_object(
             'status', p_status,
             'started_at', CASE WHEN p_status = 'in_progress' THEN to_jsonb(now())
                                WHEN p_status = 'pending' THEN NULL
                                ELSE previous -> 'started_at' END,
             'completed_at', CASE WHEN p_status IN ('completed', 'failed') THEN to_jsonb(now()) END,
             'error', to_jsonb(p_error),
             'attempts', COALESCE((previous ->> 'attempts')::int, 0)
                         + CASE WHEN p_status = 'in_progress' THEN 1 ELSE 0 END
           ))
         ),
         current_stage = p_stage,
         processing_progress = COALESCE(p_progress, processing_progress),
         processing_status = CASE
           WHEN p_status = 'failed' THEN 'failed'
           WHEN p_stage = 'complete' AND p_status = 'completed' THEN 'completed'
           WHEN p_status = 'pending' THEN 'pending'
           ELSE 'processing' END,
         processing_started_at = CASE WHEN p_status = 'in_progress'
           THEN COALESCE(processing_started_at, now()) ELSE processing_started_at END,
         processing_completed_at = CASE
           WHEN p_status = 'failed' OR (p_stage = 'complete' AND p_status = 'completed')
           THEN now() END,
         updated_at = now()
   WHERE id = p_version_id;
  RETURN TRUE;
END;
$$
"""


class Migration(migrations.Migration):
    dependencies = [
        ("careeros", "0002_row_level_security"),
        ("resumes", "0001_streams_versions_entities_diffs"),
    ]

    operations = [
        EnableRowLevelSecurity("resume_streams"),
        EnableRowLevelSecurity("resume_versions", owner=VERSION_OWNER),
        EnableRowLevelSecurity("parsed_resume_entities", owner=CHILD_OWNER),
        EnableRowLevelSecurity("resume_diffs", owner=CHILD_OWNER),
        migrations.RunSQL(
            UPDATE_RESUME_PROCESSING_STAGE,
            reverse_sql=(
                "DROP FUNCTION IF EXISTS update_resume_processing_stage(UUID, TEXT, TEXT, TEXT, INTEGER)"
            ),
        ),
    ]

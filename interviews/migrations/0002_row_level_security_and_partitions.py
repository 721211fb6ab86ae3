"""Row level security on the interview tables, and the functions that keep the monthly
partitions of interview_transcripts.

Sessions carry a ``user_id``; transcript turns are owned through their session. Row level
security on a partitioned table applies to queries through the parent only: a partition read
by its own name has its own policies, so every partition gets them too, from the one
function that creates partitions.

- ``interview_transcripts_partition_ensure(at)`` creates the partition of ``at``'s month
  (UTC) unless it exists, with row level security enabled and forced and the owner and
  system policies. SECURITY DEFINER, so the runtime role, which may create no table, can
  call it before an insert into a month nobody prepared; it takes nothing but a timestamp.
- ``interview_transcripts_partition_drop(name)`` drops one partition of a month that is
  over; only the system role may call it (the nightly retention job).
"""

from django.conf import settings
from django.db import migrations
from psycopg import sql

from careeros.db.rls import EnableRowLevelSecurity

TRANSCRIPT_OWNER = (
    "session_id IN (SELECT id FROM interview_sessions WHERE user_id = app_current_user_id())"
)

ENSURE = """
CREATE OR REPLACE FUNCTION interview_transcripts_partition_ensure(p_at TIMESTAMPTZ)
RETURNS TEXT
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public
AS $$
DECLARE
  month_start DATE := date_trunc('month', p_at AT TIME ZONE 'UTC')::date;
  part TEXT := 'interview_transcripts_' || to_char(month_start, 'YYYY_MM');
  owner_condition TEXT := {owner};
BEGIN
  IF to_regclass(part) IS NOT NULL THEN
    RETURN part;
  END IF;
  -- Two first inserts of a month at once: the second waits here, then finds the table.
  PERFORM pg_advisory_xact_lock(hashtext(part));
  IF to_regclass(part) IS NOT NULL THEN
    RETURN part;
  END IF;
  EXECUTE format(
    'CREATE TABLE %I PARTITION OF interview_transcripts FOR VALUES FROM (%L) TO (%L)',
    part, month_start::text || ' 00:00:00+00',
    (month_start + interval '1 month')::date::text || ' 00:00:00+00');
  EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', part);
  EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', part);
  EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO %I USING (%s) WITH CHECK (%s)',
    part || '_owner', part, {app_role}, owner_condition, owner_condition);
  EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO %I USING (true) WITH CHECK (true)',
    part || '_system', part, {system_role});
  RETURN part;
END;
$$;
REVOKE ALL ON FUNCTION interview_transcripts_partition_ensure(TIMESTAMPTZ) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION interview_transcripts_partition_ensure(TIMESTAMPTZ)
  TO {app_role_ident}, {system_role_ident};
"""

DROP = """
CREATE OR REPLACE FUNCTION interview_transcripts_partition_drop(p_name TEXT)
RETURNS BOOLEAN
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public
AS $$
BEGIN
  IF p_name !~ '^interview_transcripts_[0-9]{{4}}_[0-9]{{2}}$' OR NOT EXISTS (
       SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'interview_transcripts'::regclass AND c.relname = p_name) THEN
    RETURN FALSE;
  END IF;
  IF (to_date(right(p_name, 7), 'YYYY_MM') + interval '1 month') > (now() AT TIME ZONE 'UTC') THEN
    RAISE EXCEPTION 'interview_transcripts_partition_drop: % is not over yet', p_name
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  EXECUTE format('DROP TABLE %I', p_name);
  RETURN TRUE;
END;
$$;
REVOKE ALL ON FUNCTION interview_transcripts_partition_drop(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION interview_transcripts_partition_drop(TEXT) TO {system_role_ident};
"""

# The months prepared at migration time (this one and the next two); the nightly job keeps
# the window moving.
PREPARE = """
SELECT interview_transcripts_partition_ensure(now() + make_interval(months => m))
  FROM generate_series(0, 2) AS m
"""


def create_functions(apps, schema_editor):
    connection = schema_editor.connection
    app_role, system_role = settings.DATABASE_APP_ROLE, settings.DATABASE_SYSTEM_ROLE
    values = {
        "owner": sql.Literal(TRANSCRIPT_OWNER).as_string(connection.connection),
        "app_role": sql.Literal(app_role).as_string(connection.connection),
        "system_role": sql.Literal(system_role).as_string(connection.connection),
        "app_role_ident": sql.Identifier(app_role).as_string(connection.connection),
        "system_role_ident": sql.Identifier(system_role).as_string(connection.connection),
    }
    with connection.cursor() as cursor:
        cursor.execute(ENSURE.format(**values))
        cursor.execute(DROP.format(**values))
        cursor.execute(PREPARE)


def drop_functions(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'interview_transcripts'::regclass"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(name)))
        cursor.execute("DROP FUNCTION interview_transcripts_partition_ensure(TIMESTAMPTZ)")
        cursor.execute("DROP FUNCTION interview_transcripts_partition_drop(TEXT)")


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0001_sessions_transcripts"),
        ("careeros", "0002_row_level_security"),
    ]

    operations = [
        EnableRowLevelSecurity(table="interview_sessions"),
        EnableRowLevelSecurity(table="interview_transcripts", owner=TRANSCRIPT_OWNER),
        migrations.RunPython(create_functions, drop_functions),
    ]

"""``resume_version_id ... ON DELETE SET NULL``, as the seed declares it, in the database.

Its own migration: Django adds the foreign keys at the end of the migration that creates
the tables, after any operation of that migration could change them.
"""

from django.db import migrations

# Django names the foreign key constraint itself; find it by its column.
SET_NULL_ON_VERSION_DELETE = """
DO $$
DECLARE
  t TEXT;
  c TEXT;
BEGIN
  FOREACH t IN ARRAY ARRAY['career_enrichment', 'career_narratives', 'entry_enrichment'] LOOP
    SELECT con.conname INTO c
      FROM pg_constraint con
      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY(con.conkey)
     WHERE con.conrelid = t::regclass AND con.contype = 'f' AND a.attname = 'resume_version_id';
    EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', t, c);
    EXECUTE format(
      'ALTER TABLE %I ADD CONSTRAINT %I FOREIGN KEY (resume_version_id) '
      'REFERENCES resume_versions(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED',
      t, c);
  END LOOP;
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("enrichment", "0001_enrichment_tables")]

    operations = [migrations.RunSQL(SET_NULL_ON_VERSION_DELETE, migrations.RunSQL.noop)]

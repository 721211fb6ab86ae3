"""Row level security: whose rows a transaction may see, and the one way around it.

Every user-owned table has RLS enabled and forced with two policies, created by the
``EnableRowLevelSecurity`` migration operation:

- ``<table>_owner`` for the runtime role: rows whose owner is ``app_current_user_id()``,
  the transaction-local setting ``app.user_id``. Without it the function returns NULL and
  the policy matches nothing: no context means zero rows, never all rows, and no error.
- ``<table>_system`` for the system role: every row. The system role has its own login
  and database alias; only ``system_context()`` sends queries there, for the admin site
  and system jobs; grep for it to audit every use.

The runtime login cannot switch roles at all (it is a member of none), so the system path
is a second connection, never a ``SET ROLE`` on the runtime one. The user setting is
transaction-local (``set_config(..., true)``), so a persistent or pooled connection never
carries one request's user into the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from uuid import UUID

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState
from psycopg import sql

USER_SETTING = "app.user_id"
# The owner policy of every table with a user_id column.
OWNER_CONDITION = "user_id = app_current_user_id()"

# The alias the ORM uses right now: the innermost user_context or system_context decides.
_current_alias: ContextVar[str] = ContextVar("careeros_db_alias", default=DEFAULT_DB_ALIAS)


class ContextRouter:
    """Send every ORM query to the alias of the innermost context: "system" inside
    ``system_context()``, the runtime alias everywhere else (whatever alias an instance was
    loaded from, so nothing read in the system context is written back through it later)."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        return _current_alias.get()

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return _current_alias.get()

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two logins

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # the system alias is the same database


@contextmanager
def user_context(user_id: UUID | str | None, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the block in a transaction that sees only ``user_id``'s rows (none for None).

    Nests: an inner context restores the outer one's user when it ends.
    """
    connection = connections[using]
    # Outermost, the block's own transaction is the setting's whole life (it ends with
    # it), so there is nothing to restore: one statement instead of three per request.
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using), _routed_to(using):
        with connection.cursor() as cursor:
            previous = None
            if not outermost:
                cursor.execute("SELECT current_setting(%s, true)", [USER_SETTING])
                (previous,) = cursor.fetchone()
            cursor.execute("SELECT set_config(%s, %s, true)", [USER_SETTING, _as_text(user_id)])
        yield
        # After an exception or set_rollback(), the rollback (of the transaction or the
        # savepoint) restores the previous value instead.
        if not outermost and not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, %s, true)", [USER_SETTING, previous or ""])


@contextmanager
def system_context() -> Iterator[BaseDatabaseWrapper]:
    """THE row level security bypass: the block sees every user's rows.

    A transaction on the system alias (the system role's own login); the ORM goes there for
    the block, raw SQL uses the connection it yields. For the operators' admin site and
    system jobs only; never decide to enter it from request or message data.
    """
    alias = settings.SYSTEM_DB_ALIAS
    with transaction.atomic(using=alias), _routed_to(alias):
        yield connections[alias]


@contextmanager
def migration_system_role(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """For data migrations: the owner's migration connection takes the system role for the
    block, so the forced policies let it reach every user's rows. Only the owner, a member
    of the system role, can do this; the runtime login cannot."""
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            (previous,) = cursor.fetchone()
            cursor.execute(sql.SQL("SET LOCAL ROLE {}").format(_system_role()))
        yield
        if not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(previous)))


@contextmanager
def _routed_to(alias: str) -> Iterator[None]:
    token = _current_alias.set(alias)
    try:
        yield
    finally:
        _current_alias.reset(token)


def current_user_id(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The user whose rows the current transaction sees, if any."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT app_current_user_id()")
        (value,) = cursor.fetchone()
    return str(value) if value is not None else None


def _as_text(user_id: UUID | str | None) -> str:
    return "" if user_id is None else str(UUID(str(user_id)))


def _system_role() -> sql.Identifier:
    return sql.Identifier(settings.DATABASE_SYSTEM_ROLE)


def _app_role() -> sql.Identifier:
    return sql.Identifier(settings.DATABASE_APP_ROLE)


class EnableRowLevelSecurity(Operation):
    """Enable and force RLS on ``table`` with the owner and system policies.

    ``owner`` is the SQL condition that makes a row the current user's; the default
    suits tables with a ``user_id`` column, which every table owned through a parent has
    too (``UserIdFromParent``): a condition is a comparison on an indexed column, never a
    subquery, which would be evaluated against the parent for every row.
    """

    reversible = True
    reduces_to_sql = True

    def __init__(self, table: str, owner: str = OWNER_CONDITION) -> None:
        self.table = table
        self.owner = owner

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        kwargs = {"table": self.table}
        if self.owner != OWNER_CONDITION:
            kwargs["owner"] = self.owner
        return (self.__class__.__qualname__, [], kwargs)

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        table = sql.Identifier(self.table)
        owner = sql.SQL(self.owner)  # a literal from a migration file, never user input
        statements = [
            sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(table),
            sql.SQL("ALTER TABLE {} FORCE ROW LEVEL SECURITY").format(table),
            sql.SQL("CREATE POLICY {} ON {} FOR ALL TO {} USING ({}) WITH CHECK ({})").format(
                sql.Identifier(f"{self.table}_owner"), table, _app_role(), owner, owner
            ),
            sql.SQL("CREATE POLICY {} ON {} FOR ALL TO {} USING (true) WITH CHECK (true)").format(
                sql.Identifier(f"{self.table}_system"), table, _system_role()
            ),
        ]
        _execute(schema_editor, statements)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        table = sql.Identifier(self.table)
        _execute(
            schema_editor,
            [
                sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(
                    sql.Identifier(f"{self.table}_owner"), table
                ),
                sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(
                    sql.Identifier(f"{self.table}_system"), table
                ),
                sql.SQL("ALTER TABLE {} NO FORCE ROW LEVEL SECURITY").format(table),
                sql.SQL("ALTER TABLE {} DISABLE ROW LEVEL SECURITY").format(table),
            ],
        )

    def describe(self) -> str:
        return f"Enable and force row level security on {self.table}"


class UserIdFromParent(Operation):
    """Make ``table.user_id`` its parent's, always: backfill it, then a trigger sets it from
    ``parent`` (through the ``key`` column) before every insert and every update of ``key``
    or ``user_id``, so a value a client sends is overwritten, never trusted.

    The trigger runs as the caller (SECURITY INVOKER): a parent the caller's policies hide
    reads as no parent, and the row is refused like any other row-level security violation.
    With the owner's id on the row itself, the table's policy is the plain, indexable
    ``user_id = app_current_user_id()`` instead of a subquery through the parent.
    """

    reversible = True
    reduces_to_sql = False  # it runs its statements itself, some as the system role

    def __init__(self, table: str, key: str, parent: str) -> None:
        self.table = table
        self.key = key
        self.parent = parent

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        kwargs = {"table": self.table, "key": self.key, "parent": self.parent}
        return (self.__class__.__qualname__, [], kwargs)

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        pass

    @property
    def _function(self) -> sql.Identifier:
        return sql.Identifier(f"{self.table}_user_id_from_parent")

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        table, key, parent = (sql.Identifier(name) for name in (self.table, self.key, self.parent))
        # The owner is subject to the forced policies too: every user's rows need the bypass.
        with migration_system_role(schema_editor.connection):
            _execute(
                schema_editor,
                [
                    sql.SQL(
                        "UPDATE {} AS c SET user_id = p.user_id FROM {} AS p "
                        "WHERE p.id = c.{} AND c.user_id IS DISTINCT FROM p.user_id"
                    ).format(table, parent, key)
                ],
            )
        function = sql.SQL(
            """
            CREATE FUNCTION {function}() RETURNS trigger
            LANGUAGE plpgsql VOLATILE SECURITY INVOKER
            SET search_path = public
            AS $$
            BEGIN
              NEW.user_id := (SELECT p.user_id FROM {parent} p WHERE p.id = NEW.{key});
              IF NEW.user_id IS NULL THEN
                RAISE EXCEPTION
                  'new row violates row-level security policy for table "%": no such {key}',
                  TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
              END IF;
              RETURN NEW;
            END;
            $$
            """
        ).format(function=self._function, parent=parent, key=key)
        trigger = sql.SQL(
            "CREATE TRIGGER {} BEFORE INSERT OR UPDATE OF {}, user_id ON {} "
            "FOR EACH ROW EXECUTE FUNCTION {}()"
        ).format(self._function, key, table, self._function)
        _execute(schema_editor, [function, trigger])

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        _execute(
            schema_editor,
            [
                sql.SQL("DROP TRIGGER IF EXISTS {} ON {}").format(
                    self._function, sql.Identifier(self.table)
                ),
                sql.SQL("DROP FUNCTION IF EXISTS {}()").format(self._function),
            ],
        )

    def describe(self) -> str:
        return f"Set {self.table}.user_id from {self.parent} by trigger"


def user_from_parent(**kwargs: Any) -> models.ForeignKey[Any, Any]:
    """The ``user`` foreign key of a table owned through a parent (``UserIdFromParent``).

    The database sets it: an insert that leaves it out sends ``DEFAULT`` (the current
    user's id; the trigger then sets the parent's in any case) and reads the stored value
    back with ``RETURNING``, so a saved instance holds what the database decided.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DB_CASCADE,
        related_name="+",
        editable=False,
        db_default=models.Func(function="app_current_user_id", output_field=models.UUIDField()),
        **kwargs,
    )


def _execute(schema_editor: BaseDatabaseSchemaEditor, statements: list[sql.Composed]) -> None:
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# A model owned by a user without a user_id column of its own names, in this class
# attribute, the relation it is owned through ("user" for profiles, whose key is the
# user's id).
OWNED_THROUGH = "rls_owned_through"


def owned_without_user_id() -> list[str]:
    """The tables of models that declare ``rls_owned_through``."""
    return sorted(
        model._meta.db_table for model in apps.get_models() if getattr(model, OWNED_THROUGH, None)
    )


def unprotected_tables(connection: BaseDatabaseWrapper) -> list[str]:
    """User-owned tables lacking enabled and forced RLS with an owner policy.

    A table is user-owned when it has a ``user_id`` column or its model declares
    ``rls_owned_through`` (profiles, keyed by the user's id); so is every partition of
    such a table (interview transcripts' months).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema()
               AND c.relkind IN ('r', 'p')
               AND (c.relname = ANY(%s) OR EXISTS (
                     SELECT 1 FROM pg_attribute a
                      WHERE a.attrelid = c.oid AND a.attname = 'user_id'
                        AND NOT a.attisdropped)
                    -- A partition of a user-owned table: read by its own name, only its
                    -- own policies apply.
                    OR (c.relispartition AND EXISTS (
                     SELECT 1 FROM pg_class r
                      WHERE r.oid = pg_partition_root(c.oid) AND r.relname = ANY(%s))))
               AND NOT (c.relrowsecurity AND c.relforcerowsecurity AND EXISTS (
                     SELECT 1 FROM pg_policy p
                      WHERE p.polrelid = c.oid AND p.polname = c.relname || '_owner'))
             ORDER BY c.relname
            """,
            [owned_without_user_id(), owned_without_user_id()],
        )
        return [name for (name,) in cursor.fetchall()]


def policies_with_subqueries(connection: BaseDatabaseWrapper) -> list[str]:
    """``table.policy`` of every policy whose condition holds a subquery: each would be
    evaluated against another table for every row, where a plain comparison on an indexed
    ``user_id`` is what the policies are meant to be."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT tablename || '.' || policyname
              FROM pg_policies
             WHERE schemaname = current_schema()
               AND (qual ~* '\\mselect\\M' OR with_check ~* '\\mselect\\M')
             ORDER BY 1
            """
        )
        return [name for (name,) in cursor.fetchall()]

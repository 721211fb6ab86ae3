"""``migrate`` as the schema owner: the runtime role may not create or alter tables.

Afterwards the runtime and system roles are made login roles that can switch to nothing
(careeros.db.roles.login_roles_ensure), with their derived passwords.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import migrate

from careeros.db.roles import login_roles_ensure, owner_connection


class Command(migrate.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        with owner_connection(options["database"]) as connection:
            super().handle(*args, **options)
            with connection.cursor() as cursor:
                login_roles_ensure(cursor)

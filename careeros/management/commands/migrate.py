"""``migrate`` as the schema owner: the runtime role may not create or alter tables."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import migrate

from careeros.db.roles import owner_connection


class Command(migrate.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        with owner_connection(options["database"]):
            super().handle(*args, **options)

"""``flush`` as the schema owner: the runtime role may not TRUNCATE (it would bypass RLS)."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from careeros.db.roles import owner_connection


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with owner_connection(options["database"]):
            super().handle(**options)

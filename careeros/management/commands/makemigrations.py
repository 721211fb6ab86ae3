"""``makemigrations`` as the schema owner: the runtime role may not exist before migrate."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import makemigrations

from careeros.db.roles import owner_connection


class Command(makemigrations.Command):
    def handle(self, *app_labels: Any, **options: Any) -> None:
        with owner_connection():
            super().handle(*app_labels, **options)

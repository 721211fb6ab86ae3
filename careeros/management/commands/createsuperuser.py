"""``createsuperuser`` through the system alias: the runtime role sees no account outside
its own context, so it could neither check the address nor insert the row."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.management.commands import createsuperuser
from django.db import DEFAULT_DB_ALIAS


class Command(createsuperuser.Command):
    def handle(self, *args: Any, **options: Any) -> None:
        if options["database"] == DEFAULT_DB_ALIAS:
            options["database"] = settings.SYSTEM_DB_ALIAS
        super().handle(*args, **options)

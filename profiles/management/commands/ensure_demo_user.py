"""Create (or reset) the demo account the run command prints."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from profiles.services import demo_user_ensure

DEMO_EMAIL = "demo@careeros.local"
DEMO_PASSWORD = "careeros-demo"  # noqa: S105 - a local demo account, printed on purpose


class Command(BaseCommand):
    help = "Create the demo account if it does not exist, and reset its password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default=DEMO_EMAIL)
        parser.add_argument("--password", default=DEMO_PASSWORD)

    def handle(self, *args: Any, **options: Any) -> None:
        _, created = demo_user_ensure(
            email=options["email"], password=options["password"], full_name="Demo Person"
        )
        verb = "Created" if created else "Reset"
        self.stdout.write(f"{verb} the demo account {options['email']}")

"""Export a user's current profile as JSON Resume, DOCX or PDF."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careeros.db.rls import system_context, user_context
from exports.services import FORMATS, NotConfirmed, profile_export
from profiles.models import User


class Command(BaseCommand):
    help = "Write the current profile of the user with e-mail EMAIL as JSON Resume, DOCX or PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="the owner's e-mail address")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument(
            "--confirmed",
            action="store_true",
            help="export the profile as last confirmed instead of the current one",
        )
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="file to write (default: the export's own name; '-' writes to standard output)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            # An operator's command: the address is looked up through the system login.
            with system_context():
                user = User.objects.get(email__iexact=options["user"].strip())
        except User.DoesNotExist:
            raise CommandError(f"No user with the e-mail address {options['user']}.") from None
        try:
            with user_context(user.pk):
                export = profile_export(
                    user=user, format_slug=options["format"], confirmed=options["confirmed"]
                )
        except NotConfirmed as error:
            raise CommandError(f"{error} Confirm it first, or export the current one.") from None
        output: Path | None = options["output"]
        if output is not None and str(output) == "-":
            sys.stdout.buffer.write(export.content)
            return
        path = output or Path(export.filename)
        try:
            path.write_bytes(export.content)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
        self.stdout.write(f"Wrote {path} ({len(export.content):,} bytes, {export.content_type}).")

"""``manage.py cleanup_expired_data``: the nightly cleanup, for deployments without beat."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from careeros.vault.services import CLEANUP_BATCH_SIZE, encrypted_data_cleanup


class Command(BaseCommand):
    help = (
        "Delete the encrypted_data rows past their expires_at, in batches. Does nothing "
        "while another cleanup (the nightly beat job, another run) holds the lock."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=CLEANUP_BATCH_SIZE)

    def handle(self, *args: Any, batch_size: int, **options: Any) -> None:
        def progress(deleted: int, seconds: float) -> None:
            if options["verbosity"] >= 1:
                self.stdout.write(f"\rdeleted {deleted:,} expired rows", ending="")
                self.stdout.flush()

        result = encrypted_data_cleanup(batch_size=batch_size, on_batch=progress)
        if result.locked_out:
            self.stdout.write("Another cleanup is running; nothing done.")
            return
        if result.batches:
            self.stdout.write("")
        self.stdout.write(
            f"Deleted {result.deleted:,} expired rows in {result.batches} batches "
            f"(longest {result.longest_batch_seconds * 1000:.1f} ms)."
        )

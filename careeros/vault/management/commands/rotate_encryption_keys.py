"""``manage.py rotate_encryption_keys``: move every data key to the primary ring key.

Rotation, end to end: put the new key first in ENCRYPTION_KEYS and keep the old ones
after it; deploy (new data keys are wrapped by the new key at once, old ones still
unwrap); run this command (batches, resumable, safe to run twice); then
``--check-unused OLD_ID`` says whether the old key may leave the ring.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careeros.vault.errors import VaultError
from careeros.vault.keys import key_ring
from careeros.vault.services import KeyUsage, data_keys_rotate, vault_key_usage


class Command(BaseCommand):
    help = (
        "Re-wrap every user's data key under the first key of ENCRYPTION_KEYS, in batches, "
        "and report which ring keys are still in use."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--check-unused",
            metavar="KEY_ID",
            help="rotate nothing; fail unless no data key (and so no row) uses KEY_ID",
        )
        parser.add_argument(
            "--report", action="store_true", help="rotate nothing; show what uses each key"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            ring = key_ring()
            primary = ring.primary_id
        except VaultError as error:
            raise CommandError(str(error)) from None
        if options["check_unused"]:
            self._check_unused(options["check_unused"])
            return
        if not options["report"]:
            usage = vault_key_usage(count_rows=False)
            to_move = sum(n for key_id, n in usage.data_keys.items() if key_id != primary)
            stranded = usage.missing_from(ring)
            if to_move == 0:
                self.stdout.write(f"Every data key is wrapped by {primary!r}; nothing to do.")
            else:

                def progress(done: int) -> None:
                    share = min(done / to_move, 1.0) * 100
                    self.stdout.write(
                        f"\rre-wrapped {done:,} of {to_move:,} data keys ({share:.0f}%)",
                        ending="",
                    )
                    self.stdout.flush()

                try:
                    done = data_keys_rotate(batch_size=options["batch_size"], on_batch=progress)
                except VaultError as error:
                    raise CommandError(f"Rotation stopped: {error}.") from None
                self.stdout.write("")
                self.stdout.write(f"Re-wrapped {done:,} data keys under {primary!r}.")
            if stranded:
                self.stderr.write(
                    "Data keys wrapped by keys that are not in ENCRYPTION_KEYS cannot be "
                    f"re-wrapped (their rows cannot be read): {', '.join(stranded)}. Put "
                    "those keys back in the ring (after the primary) and run this again."
                )
        self._report(vault_key_usage())

    def _report(self, usage: KeyUsage) -> None:
        ring = key_ring()
        for key_id in ring:
            keys, rows = usage.data_keys.get(key_id, 0), usage.rows.get(key_id, 0)
            primary = key_id == ring.primary_id
            role = "primary" if primary else "decrypt only"
            if keys:
                verdict = "in use"
            elif primary:
                verdict = "unused"
            else:
                verdict = "unused: may be removed from ENCRYPTION_KEYS"
            self.stdout.write(f"  {key_id} ({role}): {keys:,} data keys, {rows:,} rows; {verdict}")
        for key_id in usage.missing_from(ring):
            self.stdout.write(
                f"  {key_id} (NOT IN ENCRYPTION_KEYS): {usage.data_keys[key_id]:,} data keys, "
                f"{usage.rows.get(key_id, 0):,} rows cannot be read"
            )

    def _check_unused(self, key_id: str) -> None:
        ring = key_ring()
        usage = vault_key_usage()
        keys, rows = usage.data_keys.get(key_id, 0), usage.rows.get(key_id, 0)
        if key_id == ring.primary_id:
            raise CommandError(
                f"{key_id!r} is the primary key (the first of ENCRYPTION_KEYS): put the new "
                "key first and rotate before removing it."
            )
        if keys:
            raise CommandError(
                f"{key_id!r} still wraps {keys:,} data keys ({rows:,} rows): removing it "
                "would make those rows unreadable. Run rotate_encryption_keys with "
                f"{key_id!r} still in the ring first."
            )
        self.stdout.write(
            f"No data key or row uses {key_id!r}: it may be removed from ENCRYPTION_KEYS."
        )

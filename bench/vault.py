"""The vault's speed: encryption throughput, and cleaning 1,000,000 expired rows.

1. AES-256-GCM alone (``careeros.vault.crypto``), by plaintext size: MB/s.
2. The service API on the database (``vault_store``, ``vault_read``, ``vault_read_many``):
   rows/s and MB/s, for a short transcript turn and a whole transcript.
3. The nightly cleanup (``encrypted_data_cleanup``) on 1,000,000 expired rows among
   100,000 live ones: total time, rows/s and the longest batch transaction, the longest
   any row lock is held; meanwhile a user stores and reads in a loop, and their worst
   latency shows whether the cleanup got in their way, and another person deletes their
   account 1 s in. Then, for comparison, the seed's single-statement
   ``cleanup_expired_data()`` on the same rows (one transaction holding every row lock
   until it ends), alone and with the same account deletion.

Runs in a ``careeros_bench_vault`` database of its own (created once, kept). Usage:
``.venv/bin/python bench/vault.py [--rows 1000000] [--batch-size 5000] [--skip-seed-function]``
(honours DATABASE_URL like the app; the embedded server otherwise).
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careeros.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import DatabaseError, connection, connections  # noqa: E402

from careeros.db.rls import system_context  # noqa: E402
from careeros.db.roles import owner_connection  # noqa: E402
from careeros.vault import crypto  # noqa: E402
from careeros.vault.services import (  # noqa: E402
    CLEANUP_BATCH_SIZE,
    content_associated_data,
    encrypted_data_cleanup,
    vault_read,
    vault_read_many,
    vault_shred_user,
    vault_store,
)

USERS = 1_000
LIVE_ROWS = 100_000
PURPOSE = "interview_transcript"
# A transcript turn (~1 KiB of text) and a whole hour-long transcript (~64 KiB).
SERVICE_SIZES = {"1 KiB turn": 1024, "64 KiB transcript": 64 * 1024}
CRYPTO_SIZES = [1024, 16 * 1024, 256 * 1024, 1024 * 1024]
MB = 1_000_000


def prepare() -> list[str]:
    """Create the bench database if needed, empty its vault, return its users' ids."""
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "careeros_bench_vault"
    with owner_connection():
        connection.creation.create_test_db(verbosity=0, keepdb=True, serialize=False)
        # The system login uses the same database (as the tests' mirror does).
        connections[settings.SYSTEM_DB_ALIAS].creation.set_as_test_mirror(connection.settings_dict)
        with connection.cursor() as cursor:
            # users is under forced row level security: the owner works as the system role.
            cursor.execute(f"SET ROLE {settings.DATABASE_SYSTEM_ROLE}")
            cursor.execute("SELECT count(*) FROM users WHERE email LIKE 'vaultbench%%'")
            if cursor.fetchone()[0] < USERS:
                cursor.execute(
                    "INSERT INTO users (id, password, email, is_active, is_staff, is_superuser)"
                    " SELECT gen_random_uuid(), '!', 'vaultbench' || n || '@example.com', true,"
                    " false, false FROM generate_series(1, %s) n"
                    " ON CONFLICT DO NOTHING",
                    [USERS],
                )
            cursor.execute("SELECT id::text FROM users WHERE email LIKE 'vaultbench%%'")
            user_ids = [row[0] for row in cursor.fetchall()]
    # Each run has a key ring of its own: start from empty vault tables.
    with system_context() as system, system.cursor() as cursor:
        cursor.execute("DELETE FROM encrypted_data")
        cursor.execute("DELETE FROM encrypted_data_keys")
    return user_ids


def text_of(size: int) -> str:
    words = ["the", "candidate", "described", "leading", "a", "migration", "of", "billing"]
    out: list[str] = []
    n = 0
    while n < size:
        word = words[len(out) % len(words)]
        out.append(word)
        n += len(word) + 1
    return " ".join(out)[:size]


def load() -> str:
    """The 1/5/15-minute load averages: the machine is shared, figures move with them."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def per_second(count: float, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def bench_crypto() -> None:
    print("AES-256-GCM alone (careeros.vault.crypto.seal / unseal, with associated data):")
    key = crypto.new_key()
    aad = content_associated_data(
        user_id=uuid.uuid4(), record_id=uuid.uuid4(), purpose=PURPOSE, content_type="t", key_id="k"
    )
    for size in CRYPTO_SIZES:
        data = os.urandom(size)
        rounds = max(20, (64 * 1024 * 1024) // size)
        started = time.perf_counter()
        sealed = [crypto.seal(key, data, aad) for _ in range(rounds)]
        sealing = time.perf_counter() - started
        started = time.perf_counter()
        for item in sealed:
            crypto.unseal(key, item.nonce, item.ciphertext, aad)
        opening = time.perf_counter() - started
        total = rounds * size / MB
        print(
            f"  {size // 1024:>5} KiB: encrypt {per_second(total, sealing):8.1f} MB/s"
            f" ({per_second(rounds, sealing):9.0f} ops/s), decrypt"
            f" {per_second(total, opening):8.1f} MB/s ({per_second(rounds, opening):9.0f} ops/s)"
        )


def bench_services(user_ids: list[str], rows: int) -> None:
    print(f"Service API on PostgreSQL ({rows} rows each, one transaction per call):")
    for label, size in SERVICE_SIZES.items():
        text = text_of(size)
        owners = [user_ids[n % 50] for n in range(rows)]
        started = time.perf_counter()
        stored = [vault_store(user=o, purpose=PURPOSE, plaintext=text).pk for o in owners]
        storing = time.perf_counter() - started
        started = time.perf_counter()
        for owner, record_id in zip(owners, stored, strict=True):
            assert vault_read(user=owner, record_id=record_id, purpose=PURPOSE) == text
        reading = time.perf_counter() - started
        by_owner: dict[str, list[uuid.UUID]] = {}
        for owner, record_id in zip(owners, stored, strict=True):
            by_owner.setdefault(owner, []).append(record_id)
        started = time.perf_counter()
        for owner, ids in by_owner.items():
            assert len(vault_read_many(user=owner, record_ids=ids, purpose=PURPOSE)) == len(ids)
        many = time.perf_counter() - started
        volume = rows * size / MB
        print(
            f"  {label}: vault_store {per_second(rows, storing):7.0f} rows/s"
            f" ({per_second(volume, storing):6.1f} MB/s); vault_read"
            f" {per_second(rows, reading):7.0f} rows/s ({per_second(volume, reading):6.1f} MB/s);"
            f" vault_read_many {per_second(rows, many):7.0f} rows/s"
            f" ({per_second(volume, many):6.1f} MB/s)"
        )


def fill_expired(rows: int) -> float:
    """Replace encrypted_data with ``rows`` expired and LIVE_ROWS live rows (opaque bytes).

    Expiry follows insertion order, as it does when it is the creation time plus a
    retention period; 100,000 expired rows expire within any 1,000 seconds.
    """
    started = time.perf_counter()
    with system_context() as system, system.cursor() as cursor:
        cursor.execute("DELETE FROM encrypted_data")
        for expired, count in [(True, rows), (False, LIVE_ROWS)]:
            cursor.execute(
                """
                INSERT INTO encrypted_data (user_id, encrypted_content, key_id,
                    initialization_vector, content_type, content_size, purpose, expires_at)
                SELECT u.id, decode(md5(n::text) || md5((n + 1)::text), 'hex'),
                       'bench-key', decode(substr(md5(n::text), 1, 24), 'hex'),
                       'text/plain; charset=utf-8', 16, %s,
                       CASE WHEN %s THEN now() - interval '1 day' + make_interval(secs => n * 0.01)
                            ELSE now() + interval '30 days' END
                  FROM generate_series(1, %s) n
                  JOIN (SELECT id, row_number() OVER () - 1 AS i FROM users) u
                    ON u.i = n %% (SELECT count(*) FROM users)
                """,
                [PURPOSE, expired, count],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE encrypted_data")
    return time.perf_counter() - started


class UserLoop(threading.Thread):
    """A user storing and reading their transcript turns while the cleanup runs."""

    def __init__(self, user_id: str) -> None:
        super().__init__(daemon=True)
        self.user_id = user_id
        self.latencies: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        text = text_of(1024)
        try:
            while not self.stop.is_set():
                started = time.perf_counter()
                record = vault_store(user=self.user_id, purpose=PURPOSE, plaintext=text)
                vault_read(user=self.user_id, record_id=record.pk, purpose=PURPOSE)
                self.latencies.append(time.perf_counter() - started)
        finally:
            connection.close()


class ShredProbe(threading.Thread):
    """A person deleting their account (all their rows, expired ones too) mid-cleanup:
    their DELETE waits for whatever row locks the cleanup holds on their rows."""

    def __init__(self, user_id: str, delay: float) -> None:
        super().__init__(daemon=True)
        self.user_id, self.delay = user_id, delay
        self.seconds = self.started = 0.0
        self.deleted = 0
        self.error = ""

    def run(self) -> None:
        time.sleep(self.delay)
        started = self.started = time.perf_counter()
        try:
            self.deleted = vault_shred_user(user=self.user_id)
        except DatabaseError as error:
            self.error = str(error).splitlines()[0]
        finally:
            self.seconds = time.perf_counter() - started
            connection.close()


def timed_cleanup(
    run: Callable[[], tuple[int, list[float]]], user_id: str, shredded_id: str | None
) -> None:
    """Run a cleanup while a user stores and reads, and (unless ``shredded_id`` is None)
    another deletes their account 1 s in."""
    loop = UserLoop(user_id)
    loop.start()
    time.sleep(0.5)
    probe = ShredProbe(shredded_id, delay=1.0) if shredded_id else None
    if probe is not None:
        probe.start()
    started = time.perf_counter()
    failure = ""
    try:
        deleted, batches = run()
    except DatabaseError as error:  # the seed's one statement can lose a deadlock
        failure, deleted, batches = str(error).splitlines()[0], 0, []
    ended = time.perf_counter()
    total = ended - started
    loop.stop.set()
    loop.join()
    if probe is not None:
        probe.join()
    longest = max(batches) if batches else total
    ms = sorted(x * 1000 for x in loop.latencies)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    if failure:
        print(f"  FAILED after {total:.1f} s, all its deletes rolled back: {failure}")
    else:
        print(
            f"  deleted {deleted:,} rows in {total:.1f} s ({per_second(deleted, total):,.0f}"
            " rows/s)"
        )
    if batches:
        print(
            f"  {len(batches)} batches; batch transaction median"
            f" {statistics.median(batches) * 1000:.1f} ms, longest {longest * 1000:.1f} ms"
            " (the longest any row lock was held)"
        )
    elif not failure:
        print(f"  one transaction: every row lock held for {longest:.1f} s")
    print(
        f"  a user's store+read meanwhile: {len(ms)} round trips, median"
        f" {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms, worst {ms[-1]:.1f} ms"
    )
    if probe is None:
        return
    outcome = (
        f"failed after {probe.seconds * 1000:.0f} ms: {probe.error}"
        if probe.error
        else (f"{probe.deleted:,} rows in {probe.seconds * 1000:.0f} ms")
    )
    print(
        f"  an account deletion 1 s in (vault_shred_user): {outcome}"
        + ("" if probe.started < ended else " (started after the cleanup ended)")
    )


def batched(batch_size: int) -> tuple[int, list[float]]:
    durations: list[float] = []
    result = encrypted_data_cleanup(
        batch_size=batch_size, on_batch=lambda _deleted, seconds: durations.append(seconds)
    )
    return result.deleted, durations


def seed_function() -> tuple[int, list[float]]:
    with system_context() as system, system.cursor() as cursor:
        cursor.execute("SELECT cleanup_expired_data()")
        return int(cursor.fetchone()[0]), []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=CLEANUP_BATCH_SIZE)
    parser.add_argument("--service-rows", type=int, default=2_000)
    parser.add_argument("--skip-seed-function", action="store_true")
    args = parser.parse_args()
    if not settings.ENCRYPTION_KEYS:
        settings.ENCRYPTION_KEYS = ["bench:" + base64.b64encode(os.urandom(32)).decode()]
    user_ids = prepare()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"machine: {os.cpu_count()} CPUs, load average {load()}; PostgreSQL {version}")
    bench_crypto()
    bench_services(user_ids, args.service_rows)

    print(f"Nightly cleanup, batches of {args.batch_size:,} (encrypted_data_cleanup):")
    filled = fill_expired(args.rows)
    print(f"  filled {args.rows:,} expired + {LIVE_ROWS:,} live rows in {filled:.1f} s")
    timed_cleanup(lambda: batched(args.batch_size), user_ids[-1], user_ids[0])
    with system_context() as system, system.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM encrypted_data WHERE expires_at < now()")
        left = cursor.fetchone()[0]
    print(f"  expired rows left: {left}")
    if not args.skip_seed_function:
        for shredded, title in [(None, "alone"), (user_ids[1], "with an account deletion")]:
            print(f"The seed's cleanup_expired_data(), one statement, {title}:")
            filled = fill_expired(args.rows)
            print(f"  filled {args.rows:,} expired + {LIVE_ROWS:,} live rows in {filled:.1f} s")
            timed_cleanup(seed_function, user_ids[-1], shredded)
    print(f"load average at the end: {load()}")


if __name__ == "__main__":
    main()

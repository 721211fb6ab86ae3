"""Expiry and cleanup: exactly the expired rows go, once, in batches, one run at a time."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from io import StringIO

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

from careeros.celery import app
from careeros.db.rls import system_context, user_context
from careeros.vault import services
from careeros.vault.models import EncryptedData
from careeros.vault.services import CleanupResult, encrypted_data_cleanup, vault_store
from careeros.vault.tasks import encrypted_data_cleanup as cleanup_task
from profiles.models import User
from tests.careeros.vault.conftest import Ring, count, expire
from tests.factories import make_user

# The vault checks its rows through the system login, which sees committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)

TRANSCRIPT = "interview_transcript"


def remaining_ids() -> set[uuid.UUID]:
    with system_context():
        return set(EncryptedData.objects.values_list("pk", flat=True))


def mixed_rows(user: User, other_user: User) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """Expired, live and never-expiring rows of two users: (expired ids, kept ids)."""
    expired, kept = set(), set()
    for owner in [user, other_user]:
        old = [vault_store(user=owner, purpose=TRANSCRIPT, plaintext=f"old {n}") for n in range(3)]
        expire(*old)
        expired |= {r.pk for r in old}
        kept.add(vault_store(user=owner, purpose=TRANSCRIPT, plaintext="live").pk)
        kept.add(vault_store(user=owner, purpose="kept_note", plaintext="forever").pk)
    # Expiring a moment from now is not expired yet.
    soon = vault_store(user=user, purpose=TRANSCRIPT, plaintext="soon")
    expire(soon, seconds_ago=-3600)
    kept.add(soon.pk)
    return expired, kept


def test_cleanup_deletes_exactly_the_expired_rows_and_then_nothing(
    ring: Ring, user: User, other_user: User
) -> None:
    expired, kept = mixed_rows(user, other_user)
    result = encrypted_data_cleanup(batch_size=4)
    assert result.deleted == len(expired) == 6
    assert result.batches == 2  # 4 + 2
    assert result.finished
    assert not result.locked_out
    assert remaining_ids() == kept
    assert encrypted_data_cleanup().deleted == 0
    assert remaining_ids() == kept


def test_the_seeds_function_deletes_the_expired_rows_and_returns_the_count(
    ring: Ring, user: User, other_user: User
) -> None:
    """cleanup_expired_data() runs with the caller's rights: RLS limits what it deletes."""
    _, kept = mixed_rows(user, other_user)
    with connection.cursor() as cursor:  # the runtime role without a user: nothing
        cursor.execute("SELECT cleanup_expired_data()")
        assert cursor.fetchone() == (0,)
    with user_context(other_user.pk), connection.cursor() as cursor:
        cursor.execute("SELECT cleanup_expired_data()")
        assert cursor.fetchone() == (3,)  # only other_user's three
    with system_context() as system, system.cursor() as cursor:
        cursor.execute("SELECT cleanup_expired_data()")
        assert cursor.fetchone() == (3,)
        cursor.execute("SELECT cleanup_expired_data()")
        assert cursor.fetchone() == (0,)
        cursor.execute(
            "SELECT prosecdef, prorettype::regtype::text FROM pg_proc "
            "WHERE proname = 'cleanup_expired_data'"
        )
        assert cursor.fetchone() == (False, "integer")
    assert remaining_ids() == kept


def test_a_cleanup_while_another_holds_the_lock_does_nothing(ring: Ring, user: User) -> None:
    """The advisory lock, held by another connection (another run), makes this a no-op."""
    old = vault_store(user=user, purpose=TRANSCRIPT, plaintext="old")
    expire(old)
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [services.CLEANUP_LOCK_KEY])
        result = encrypted_data_cleanup()
        assert result == CleanupResult(deleted=0, batches=0, locked_out=True)
        assert remaining_ids() == {old.pk}
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [services.CLEANUP_LOCK_KEY])
    finally:
        other.close()
    assert encrypted_data_cleanup().deleted == 1
    # The lock was released: a third run can take it.
    assert not encrypted_data_cleanup().locked_out


def test_a_time_budget_stops_between_batches(ring: Ring, user: User) -> None:
    rows = [vault_store(user=user, purpose=TRANSCRIPT, plaintext="x") for _ in range(3)]
    expire(*rows)
    result = encrypted_data_cleanup(batch_size=1, time_budget_seconds=0)
    assert result.batches <= 1
    assert not result.finished
    assert encrypted_data_cleanup(batch_size=1).deleted == 3 - result.deleted


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_cleanups_delete_each_row_once(ring: Ring) -> None:
    """Two real connections start together; while one deletes, the other finds the lock."""
    person = make_user()
    with user_context(person.pk):
        stored = [vault_store(user=person, purpose=TRANSCRIPT, plaintext="x") for _ in range(40)]
    expire(*stored)
    start = threading.Barrier(2)
    second_done = threading.Event()
    results: dict[str, CleanupResult] = {}
    errors: list[BaseException] = []

    def run(name: str) -> None:
        def hold_until_the_other_tried(deleted: int, seconds: float) -> None:
            # The first run keeps its lock until the second has tried and returned.
            second_done.wait(timeout=30)

        try:
            start.wait()
            if name == "first":
                results[name] = encrypted_data_cleanup(
                    batch_size=10, on_batch=hold_until_the_other_tried
                )
            else:
                # Start just after the first has taken the lock.
                while not _lock_is_held():
                    pass
                results[name] = encrypted_data_cleanup(batch_size=10)
                second_done.set()
        except BaseException as error:  # reported below
            errors.append(error)
            second_done.set()
        finally:
            connections.close_all()  # the runtime and the system connection

    threads = [threading.Thread(target=run, args=(name,)) for name in ["first", "second"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert results["second"].locked_out
    assert results["first"].deleted == 40
    assert sum(r.deleted for r in results.values()) == 40
    assert count("encrypted_data") == 0


@pytest.mark.django_db(transaction=True)
def test_two_cleanups_racing_freely_delete_each_row_once(ring: Ring) -> None:
    """Without choreography: whatever the interleaving, the counts add up to the rows."""
    person = make_user()
    stored = [vault_store(user=person, purpose=TRANSCRIPT, plaintext="x") for _ in range(300)]
    expire(*stored)
    start = threading.Barrier(2)
    results: list[CleanupResult] = []

    def run() -> None:
        try:
            start.wait()
            results.append(encrypted_data_cleanup(batch_size=5))
        finally:
            connections.close_all()  # the runtime and the system connection

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 2
    assert sum(r.deleted for r in results) == 300
    assert count("encrypted_data") == 0


def _lock_is_held() -> bool:
    probe = connections.create_connection("default")
    try:
        with probe.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND ((classid::bigint << 32) | objid::bigint) = %s",
                [services.CLEANUP_LOCK_KEY],
            )
            return bool(cursor.fetchone()[0])
    finally:
        probe.close()


def test_the_command_cleans_up_with_a_progress_line(ring: Ring, user: User) -> None:
    rows = [vault_store(user=user, purpose=TRANSCRIPT, plaintext="x") for _ in range(5)]
    expire(*rows)
    out = StringIO()
    call_command("cleanup_expired_data", "--batch-size", "2", stdout=out)
    assert "\rdeleted 2 expired rows" in out.getvalue()
    assert "Deleted 5 expired rows in 3 batches" in out.getvalue()
    again = StringIO()
    call_command("cleanup_expired_data", stdout=again)
    assert "Deleted 0 expired rows in 0 batches" in again.getvalue()


def test_the_beat_schedule_runs_the_cleanup_nightly_at_two(ring: Ring) -> None:
    """celery beat's schedule has the task at 02:00 every day, and the task exists."""
    entries = [e for e in app.conf.beat_schedule.values() if e["task"] == cleanup_task.name]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert schedule == crontab(hour=2, minute=0)
    assert cleanup_task.name in app.tasks
    assert settings.CELERY_BEAT_SCHEDULE["vault-cleanup-expired-data"]["schedule"] == schedule
    # The next run after 23:10 is at 02:00 the next day.
    last = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
    now = datetime(2026, 3, 3, 23, 10, tzinfo=UTC)
    probe = crontab(hour=2, minute=0, nowfun=lambda: now, app=app)  # app.timezone: UTC
    assert now + probe.remaining_estimate(last) == datetime(2026, 3, 4, 2, 0, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
def test_the_task_cleans_up_on_a_real_worker(ring: Ring, celery_worker_process: str) -> None:
    person = make_user()
    rows = [vault_store(user=person, purpose=TRANSCRIPT, plaintext="x") for _ in range(3)]
    live = vault_store(user=person, purpose=TRANSCRIPT, plaintext="live")
    expire(*rows)
    reply = cleanup_task.delay().get(timeout=60)
    assert reply == {"deleted": 3, "batches": 1, "locked_out": False, "finished": True}
    assert remaining_ids() == {live.pk}
    assert cleanup_task.delay().get(timeout=60)["deleted"] == 0

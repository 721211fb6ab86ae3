"""A worker killed with SIGKILL in the middle of parsing: after a restart, the version
completes exactly once."""

from __future__ import annotations

import os
import signal
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from django.conf import settings
from django.test import Client

from careeros.db.rls import user_context
from resumes.models import ParsedResumeEntity, ResumeDiff
from resumes.sandbox import parse_document
from resumes.schemas import entities_from_extraction
from resumes.tasks import resume_parse_stage, resume_versions_reconcile
from tests.conftest import start_celery_worker, stop_process
from tests.resumes import hostile
from tests.resumes.conftest import upload, wait_for


def _long_resume() -> bytes:
    """A legitimate text resume whose long last section makes parsing take seconds (while
    yielding the usual few entities, so the later stages stay quick)."""
    references = b"".join(
        b"Available on request from former colleagues and managers, line %d.\n" % number
        for number in range(40_000)
    )
    return hostile.plain_text().read_bytes() + b"\nReferences\n" + references


@pytest.mark.django_db(transaction=True)
def test_kill_9_during_parse_then_restart_completes_exactly_once(
    signed_in: Client, user: Any, media_root: Path
) -> None:
    """SIGKILL to the whole worker mid-parse; the reconciler (at beat's interval) takes the
    stage over once its lease runs out, a redelivered message after that changes nothing:
    one parse result, one set of entities, one set of diffs, within 90 s of the kill."""
    data = _long_resume()
    first = start_celery_worker(f"doomed-{uuid.uuid4().hex[:8]}@localhost")
    second = None
    try:
        response = upload(signed_in, [("long.txt", data)])
        version_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
        wait_for(
            version_id,
            until=lambda v: v.stages.get("parse").status == "in_progress",
            timeout=60,
        )
        os.killpg(first.pid, signal.SIGKILL)
        killed = time.monotonic()
        first.wait()
        stuck = wait_for(version_id, until=lambda v: True)
        assert stuck.processing_status == "processing"
        assert stuck.stages.get("parse").status == "in_progress"

        second = start_celery_worker(f"survivor-{uuid.uuid4().hex[:8]}@localhost")
        # Beat runs the reconciler every RESUME_RECONCILE_EVERY_SECONDS; nothing is faked: the
        # stage waits for its lease (no longer renewed) to run out.
        beat = settings.CELERY_BEAT_SCHEDULE["resumes-reconcile-stuck-versions"]
        every = cast(timedelta, beat["schedule"])
        requeued = 0
        while requeued == 0 and time.monotonic() - killed < 120:
            time.sleep(every.total_seconds())
            requeued = resume_versions_reconcile.delay().get(timeout=30)
        assert requeued == 1
        done = wait_for(version_id, timeout=120)
        recovery = time.monotonic() - killed
        print(f"\nrecovery after kill -9: {recovery:.1f} s")
        assert done.processing_status == "completed", done.processing_stages
        assert recovery <= 90
        # The redelivered message ran after completion and must have changed nothing.
        resume_parse_stage.delay(version_id, user_id=str(user.pk)).get(timeout=60)
    finally:
        stop_process(first)
        if second is not None:
            stop_process(second)

    final = wait_for(version_id)
    assert final.stages.get("parse").attempts == 2
    assert final.stages.get("parse").status == "completed"
    assert final.stages.get("complete").attempts == 1
    assert final.updated_at == done.updated_at
    expected = entities_from_extraction(parse_document(data, "txt").extraction)
    with user_context(user.pk):
        assert ParsedResumeEntity.objects.filter(resume_version_id=version_id).count() == len(
            expected
        )
        assert ResumeDiff.objects.filter(resume_version_id=version_id).count() == 1

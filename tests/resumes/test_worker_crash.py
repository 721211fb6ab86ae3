"""A worker killed with SIGKILL in the middle of parsing: after a restart, the version
completes exactly once."""

from __future__ import annotations

import os
import signal
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db.models import F
from django.test import Client

from careeros.db.rls import system_context, user_context
from resumes.models import ParsedResumeEntity, ResumeDiff, ResumeVersion
from resumes.sandbox import parse_document
from resumes.schemas import entities_from_extraction
from resumes.tasks import resume_parse_stage, resume_versions_reconcile
from tests.resumes import hostile
from tests.resumes.conftest import start_worker, stop_worker, upload, wait_for


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
    """SIGKILL to the whole worker mid-parse; the reconciler and a redelivered message
    after a restart give one parse result, one set of entities, one set of diffs."""
    data = _long_resume()
    first = start_worker(f"doomed-{uuid.uuid4().hex[:8]}@localhost")
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
        first.wait()
        stuck = wait_for(version_id, until=lambda v: True)
        assert stuck.processing_status == "processing"
        assert stuck.stages.get("parse").status == "in_progress"

        second = start_worker(f"survivor-{uuid.uuid4().hex[:8]}@localhost")
        # Time passes: the version has been stuck for longer than the timeout.
        with system_context():
            ResumeVersion.objects.filter(pk=version_id).update(
                updated_at=F("updated_at")
                - timedelta(seconds=settings.RESUME_STUCK_AFTER_SECONDS + 1)
            )
        # Beat runs the reconciler; the broker also redelivers the lost message.
        assert resume_versions_reconcile.delay().get(timeout=30) == 1
        resume_parse_stage.delay(version_id, user_id=str(user.pk))
        done = wait_for(version_id, timeout=120)
        assert done.processing_status == "completed", done.processing_stages
        # The redelivered message ran after completion and must have changed nothing.
        resume_parse_stage.delay(version_id, user_id=str(user.pk)).get(timeout=60)
    finally:
        stop_worker(first)
        if second is not None:
            stop_worker(second)

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

"""A Redis outage during uploads: every committed upload is accepted, none waits on the
broker, and all of them complete once it is back, each exactly once."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from careeros.db.rls import system_context
from careeros.embedded import default_data_dir
from careeros.embedded.redis import EmbeddedRedis
from resumes.models import ResumeVersion
from resumes.schemas import STAGES
from resumes.tasks import resume_versions_reconcile
from tests.resumes import hostile
from tests.resumes.conftest import upload, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

UPLOADS = 6
OUTAGE_SECONDS = 15


@pytest.fixture
def embedded_redis() -> EmbeddedRedis:
    redis = EmbeddedRedis(default_data_dir())
    if not redis.is_running() or redis.url() != settings.REDIS_URL:
        pytest.skip("the broker is not the embedded Redis this test can stop and start")
    return redis


def test_uploads_across_a_broker_outage_are_accepted_and_complete_once(
    signed_in: Client,
    user: Any,
    pipeline_worker: str,
    embedded_redis: EmbeddedRedis,
    settings: Any,
) -> None:
    settings.RESUME_UNQUEUED_AFTER_SECONDS = 1
    content = hostile.plain_text().read_bytes()
    statuses: list[int] = []
    seconds: list[float] = []
    embedded_redis.stop()
    outage_started = time.monotonic()
    try:
        for number in range(UPLOADS):
            started = time.monotonic()
            response = upload(signed_in, [(f"cv-{number}.txt", content)], stream="Outage")
            seconds.append(time.monotonic() - started)
            statuses.append(response.status_code)
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - outage_started)))
    finally:
        embedded_redis.ensure_running()
    print(  # the figures the report quotes (pytest -s shows them)
        f"\nbroker outage: {UPLOADS} uploads, statuses {statuses}, "
        f"slowest request {max(seconds):.2f} s"
    )
    # Accepted: the redirect to the new version, never a server error, never a long wait.
    assert statuses == [302] * UPLOADS
    assert max(seconds) < 2.0, seconds
    with system_context():
        versions = list(ResumeVersion.objects.filter(stream__name="Outage"))
    assert len(versions) == UPLOADS
    # Nothing reached the broker: every version still waits at its first stage.
    assert {v.processing_status for v in versions} == {"pending"}

    # What beat does every RESUME_RECONCILE_EVERY_SECONDS once the broker is back.
    time.sleep(settings.RESUME_UNQUEUED_AFTER_SECONDS + 0.1)
    back = time.monotonic()
    assert resume_versions_reconcile() == UPLOADS
    finished = [wait_for(version.pk, timeout=120) for version in versions]
    print(f"completed {len(finished)} in {time.monotonic() - back:.1f} s after the broker returned")
    assert [v.processing_status for v in finished] == ["completed"] * UPLOADS, [
        v.error for v in finished
    ]
    # Exactly once: each stage of each version claimed once, one version per upload.
    for version in finished:
        assert [version.stages.get(stage).attempts for stage in STAGES] == [1] * len(STAGES)
    with system_context():
        assert ResumeVersion.objects.filter(stream__name="Outage").count() == UPLOADS
    # A second reconcile finds nothing left to hand over.
    assert resume_versions_reconcile() == 0

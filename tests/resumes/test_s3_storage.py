"""Originals in S3 (django-storages) against a real S3-compatible HTTP server: moto's."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.storage import storages
from django.test import Client
from moto.server import ThreadedMotoServer

from careeros.db.rls import user_context
from resumes.models import ResumeVersion
from tests.resumes import hostile
from tests.resumes.conftest import upload, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def s3_bucket(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A moto S3 server on loopback, a bucket, and S3 as the default storage here and in
    any worker started afterwards (through the same environment variables as production)."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    bucket = f"careeros-test-{uuid.uuid4().hex[:8]}"
    endpoint = f"http://{host}:{port}"
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    storages["default"].connection.meta.client.create_bucket(Bucket=bucket)  # type: ignore[attr-defined]
    try:
        yield bucket
    finally:
        server.stop()


def test_upload_is_stored_in_s3_processed_and_downloaded(
    s3_bucket: str, signed_in: Client, user: Any, request: pytest.FixtureRequest
) -> None:
    """The original goes to the bucket, the worker reads it from there, the owner downloads it."""
    request.getfixturevalue("celery_worker_process")
    original = hostile.one_page_pdf().read_bytes()
    response = upload(signed_in, [("cv.pdf", original)])
    version_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    version = wait_for(version_id)
    assert version.processing_status == "completed", version.processing_stages

    client = storages["default"].connection.meta.client  # type: ignore[attr-defined]
    listed = client.list_objects_v2(Bucket=s3_bucket)
    keys = [item["Key"] for item in listed.get("Contents", [])]
    assert keys == [version.storage_path]
    assert client.get_object(Bucket=s3_bucket, Key=keys[0])["Body"].read() == original

    download = signed_in.get(f"/resumes/versions/{version_id}/file/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == original  # type: ignore[attr-defined]
    download.close()
    with user_context(user.pk):
        assert ResumeVersion.objects.get().file_type == "pdf"

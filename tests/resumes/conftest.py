from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from careeros.db.rls import system_context, user_context
from profiles.models import User
from resumes import services
from resumes.models import ResumeVersion


@pytest.fixture
def media_root(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Uploads go to a temporary folder, for this process and any worker it starts."""
    root = tmp_path / "media"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    monkeypatch.setenv("MEDIA_ROOT", str(root))
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    return root


@pytest.fixture
def pipeline_worker(
    transactional_db: None, media_root: Path, request: pytest.FixtureRequest
) -> str:
    """A real Celery worker sharing this test's upload folder (started after it is set)."""
    return str(request.getfixturevalue("celery_worker_process"))


def upload(
    client: Client, files: list[tuple[str, bytes]], *, stream: str = "Backend roles", **extra: Any
) -> Any:
    """POST files to the upload view into a new (or, with ``stream_id``, existing) stream."""
    data: dict[str, Any] = {
        "documents": [SimpleUploadedFile(name, content) for name, content in files],
        "new_stream_name": stream,
        "new_stream_description": "",
        **extra,
    }
    return client.post("/resumes/upload/", data)


def uploaded_version(
    user: User, content: bytes = b"Ada Lovelace\nAnalyst", *, stream: str = "Main"
) -> ResumeVersion:
    """``content`` uploaded as ``user`` into the stream ``stream`` (created if new), its
    stages not enqueued: the version's first stage is the caller's to run."""
    with user_context(user.pk):
        found = services.resume_stream_create(user=user, name=stream)
        return services.resume_version_upload(
            user=user,
            stream=found,
            filename="cv.txt",
            content=io.BytesIO(content),
            size=len(content),
            enqueue=False,
        )


def wait_for(
    version_id: Any, *, until: Callable[[ResumeVersion], bool] | None = None, timeout: float = 90
) -> ResumeVersion:
    """Poll the version row (as the system, reading committed state) until ``until``."""
    until = until or (lambda version: version.is_terminal)
    deadline = time.monotonic() + timeout
    while True:
        with system_context():
            version = ResumeVersion.objects.select_related("stream").get(pk=version_id)
        if until(version):
            return version
        if time.monotonic() > deadline:
            pytest.fail(
                f"version {version_id} still {version.processing_status} at "
                f"{version.current_stage} after {timeout} s: {version.processing_stages}"
            )
        time.sleep(0.1)

"""Download all my data: a real worker builds the ZIP with progress; it holds every owned
row, the uploads and the decrypted vault content; only its owner downloads it, while kept."""

from __future__ import annotations

import io
import json
import time
import zipfile
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from careeros.db.rls import system_context, user_context
from careeros.vault.services import vault_store
from exports.archive import data_export_build, data_exports_cleanup
from exports.jsonresume import json_resume
from exports.models import DataExport
from profiles.models import User
from tests.exports.sample import sample_snapshot, seed_profile

pytestmark = pytest.mark.django_db(transaction=True)


def _fill(user: User, tmp_path: Path) -> bytes:
    seed_profile(user, 6)
    path = tmp_path / f"{user.pk}.json"
    path.write_text(json.dumps(json_resume(sample_snapshot(8))))
    call_command("import_resume", str(path), user=user.email, stdout=StringIO())
    with user_context(user.pk):
        vault_store(
            user=user, purpose="interview_transcript", plaintext=f"Transcript of {user.email}"
        )
    return path.read_bytes()


def _wait(client: Client, export_id: object, timeout: float = 120) -> list[str]:
    """Poll the status partial until it answers 286; the progress texts seen on the way."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(f"/account/data/archive/{export_id}/status_hx")
        seen.append(response.content.decode())
        if response.status_code == 286:
            return seen
        assert response.status_code == 200
        time.sleep(0.05)
    pytest.fail(f"the archive was not built within {timeout} s")


def test_a_worker_builds_the_archive_of_everything_owned(
    client: Client,
    user: User,
    other_user: User,
    vault_keys: None,
    media_root: Path,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    """Every owned table as JSON, the original upload byte for byte, the transcript
    decrypted, nothing of the other person; the other person cannot fetch it."""
    original = _fill(user, tmp_path)
    _fill(other_user, tmp_path)
    request.getfixturevalue("celery_worker_process")
    client.force_login(user)
    assert client.post("/account/data/archive/").status_code == 302
    with user_context(user.pk):
        export = DataExport.objects.get()
    seen = _wait(client, export.pk)
    assert "is ready" in seen[-1]
    response = client.get(f"/account/data/archive/{export.pk}/download")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    response.close()
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    for table in (
        "work_experience",
        "education",
        "skill",
        "project",
        "certification",
        "profiles",
        "resume_streams",
        "resume_versions",
        "parsed_resume_entities",
        "resume_diffs",
        "merge_decisions",
        "encrypted_data",
        "data_exports",
    ):
        assert f"tables/{table}.json" in names
    jobs = json.loads(archive.read("tables/work_experience.json"))
    assert {job["company"] for job in jobs} >= {"Northwind Traders", "Globex Corporation"}
    assert all(job["user_id"] == str(user.pk) for job in jobs)
    uploads = [n for n in names if n.startswith("uploads/")]
    assert len(uploads) == 1
    assert archive.read(uploads[0]) == original
    transcripts = [n for n in names if n.startswith("vault/interview_transcript/")]
    assert [archive.read(n).decode() for n in transcripts] == [f"Transcript of {user.email}"]
    everything = b"".join(archive.read(n) for n in names)
    assert other_user.email.encode() not in everything
    assert str(other_user.pk).encode() not in everything

    client.force_login(other_user)
    assert client.get(f"/account/data/archive/{export.pk}/download").status_code == 404
    assert client.get(f"/account/data/archive/{export.pk}/status_hx").status_code == 404
    page = client.get("/account/data/").content.decode()
    assert "Download the archive" not in page


def test_an_expired_archive_is_not_served_and_is_cleaned_up(
    client: Client, user: User, media_root: Path
) -> None:
    """Past its expiry the download is 404 and the cleanup deletes file and row."""
    with user_context(user.pk):
        export = DataExport.objects.create(user=user)
    assert data_export_build(export_id=export.pk, user_id=user.pk) == "completed"
    assert data_export_build(export_id=export.pk, user_id=user.pk) == "skipped"
    client.force_login(user)
    response = client.get(f"/account/data/archive/{export.pk}/download")
    assert response.status_code == 200
    response.close()
    files = [p for p in media_root.rglob("*.zip")]
    assert len(files) == 1
    with user_context(user.pk):
        DataExport.objects.filter(pk=export.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
    assert client.get(f"/account/data/archive/{export.pk}/download").status_code == 404
    with system_context():
        assert data_exports_cleanup() == 1
    assert not files[0].exists()
    with user_context(user.pk):
        assert not DataExport.objects.exists()


def test_archive_views_need_sign_in(client: Client, user: User) -> None:
    """Signed out, asking for an archive redirects to sign-in and creates nothing."""
    assert client.post("/account/data/archive/").status_code == 302
    with user_context(user.pk):
        assert not DataExport.objects.exists()

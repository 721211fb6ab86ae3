"""Renaming and deleting streams, deleting a version: files and parsed data go, the
profile keeps what they added, its history saying the source was removed."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from careeros.db.rls import user_context
from exports.jsonresume import json_resume
from profiles.models import User, WorkExperience
from resumes.models import ParsedResumeEntity, ResumeDiff, ResumeStream, ResumeVersion
from tests.exports.sample import sample_snapshot

pytestmark = pytest.mark.django_db(transaction=True)


def _import(user: User, tmp_path: Path, stream: str = "Imported", count: int = 6) -> ResumeVersion:
    path = tmp_path / f"{user.pk}-{stream}.json"
    path.write_text(json.dumps(json_resume(sample_snapshot(count))))
    call_command("import_resume", str(path), user=user.email, stream=stream, stdout=StringIO())
    with user_context(user.pk):
        return ResumeVersion.objects.filter(stream__name=stream).latest("version_number")


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_deleting_a_version_keeps_the_profile_and_its_history(
    client: Client, user: User, media_root: Path, tmp_path: Path
) -> None:
    """The file, parsed entities and diffs go; the jobs it added stay, saying so."""
    first = _import(user, tmp_path)
    second = _import(user, tmp_path)
    assert len(_files(media_root)) == 2
    client.force_login(user)
    response = client.post(f"/resumes/versions/{second.pk}/delete/")
    assert response.status_code == 302
    response = client.post(f"/resumes/versions/{first.pk}/delete/", follow=True)
    assert "now say their source was removed" in response.content.decode()
    assert _files(media_root) == []
    with user_context(user.pk):
        assert not ResumeVersion.objects.exists()
        assert not ParsedResumeEntity.objects.exists()
        assert not ResumeDiff.objects.exists()
        stream = ResumeStream.objects.get()
        assert stream.latest_version_id is None
        jobs = list(WorkExperience.objects.for_user(user).current())
    assert len(jobs) == 2
    origin = jobs[0].origin
    assert origin is not None
    assert origin.removed
    assert origin.url == ""
    history = client.get(f"/profile/work/{jobs[0].logical_entity_id}/").content.decode()
    assert "the source was removed since" in history
    assert f"/resumes/versions/{first.pk}/" not in history


def test_renaming_a_stream(client: Client, user: User, media_root: Path, tmp_path: Path) -> None:
    """A new name and description; a name another stream has is refused with a reason."""
    version = _import(user, tmp_path)
    _import(user, tmp_path, stream="Other")
    client.force_login(user)
    stream_id = version.stream_id
    client.post(
        f"/resumes/streams/{stream_id}/rename/", {"name": "Data roles", "description": "For data"}
    )
    response = client.post(f"/resumes/streams/{stream_id}/rename/", {"name": "Other"}, follow=True)
    assert "You already have a stream called “Other”" in response.content.decode()
    with user_context(user.pk):
        stream = ResumeStream.objects.get(pk=stream_id)
    assert (stream.name, stream.description) == ("Data roles", "For data")


def test_deleting_a_stream_deletes_every_version_and_file(
    client: Client, user: User, media_root: Path, tmp_path: Path
) -> None:
    """The stream, its versions and their files go; another stream's stay."""
    version = _import(user, tmp_path)
    _import(user, tmp_path)
    kept = _import(user, tmp_path, stream="Kept")
    client.force_login(user)
    assert client.post(f"/resumes/streams/{version.stream_id}/delete/").status_code == 302
    with user_context(user.pk):
        assert list(ResumeStream.objects.values_list("name", flat=True)) == ["Kept"]
        assert list(ResumeVersion.objects.values_list("pk", flat=True)) == [kept.pk]
    assert len(_files(media_root)) == 1


def test_a_second_user_can_neither_rename_nor_delete(
    client: Client, user: User, other_user: User, media_root: Path, tmp_path: Path
) -> None:
    """Another person gets 404 for the first person's stream and version; nothing changes."""
    version = _import(user, tmp_path)
    client.force_login(other_user)
    assert client.post(f"/resumes/versions/{version.pk}/delete/").status_code == 404
    assert client.post(f"/resumes/streams/{version.stream_id}/delete/").status_code == 404
    response = client.post(f"/resumes/streams/{version.stream_id}/rename/", {"name": "Mine"})
    assert response.status_code == 404
    with user_context(user.pk):
        assert ResumeStream.objects.get().name == "Imported"
        assert ResumeVersion.objects.count() == 1
    assert len(_files(media_root)) == 1


def test_delete_and_rename_need_sign_in_and_post(
    client: Client, user: User, media_root: Path, tmp_path: Path
) -> None:
    """Signed out they redirect to sign-in; GET is not allowed."""
    version = _import(user, tmp_path)
    assert client.post(f"/resumes/versions/{version.pk}/delete/").status_code == 302
    client.force_login(user)
    assert client.get(f"/resumes/versions/{version.pk}/delete/").status_code == 405
    with user_context(user.pk):
        assert ResumeVersion.objects.count() == 1

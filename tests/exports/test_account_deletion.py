"""Delete my account: after the password again, every row, file and the vault key go;
the audit line says how much, never whose; nobody else's data is touched."""

from __future__ import annotations

import json
import logging
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connection
from django.test import Client

from careeros.db.rls import system_context, user_context
from careeros.vault.services import vault_store
from exports.archive import data_export_build
from exports.jsonresume import json_resume
from exports.models import DataExport
from profiles.models import User
from profiles.services import profile_confirm
from profiles.snapshots import profile_snapshot
from resumes.models import ParsedResumeEntity, ResumeDiff, ResumeStream, ResumeVersion
from tests.exports.conftest import owned_rows
from tests.exports.sample import sample_snapshot, seed_profile
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def account_exists(person: User) -> bool:
    """Whether the account's row is still there (the users table shows it in its own context)."""
    with user_context(person.pk):
        return User.objects.filter(pk=person.pk).exists()


def _fill(user: User, tmp_path: Path) -> None:
    """A profile, an imported resume (file, parsed entities, diffs, merge decisions), a
    vault transcript, a confirmed profile and a data archive."""
    seed_profile(user, 6)
    path = tmp_path / f"{user.pk}.json"
    path.write_text(json.dumps(json_resume(sample_snapshot(12))))
    call_command("import_resume", str(path), user=user.email, stdout=StringIO())
    with user_context(user.pk):
        vault_store(user=user, purpose="interview_transcript", plaintext="I led the migration.")
        profile_confirm(user=user)
        export = DataExport.objects.create(user=user)
    assert data_export_build(export_id=export.pk, user_id=user.pk) == "completed"


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_deleting_an_account_leaves_nothing_of_it(
    client: Client,
    user: User,
    other_user: User,
    media_root: Path,
    tmp_path: Path,
    vault_keys: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Rows in every table, stored files and the vault key are gone; the other person's
    data is intact; one audit line without the person's e-mail, name or id."""
    _fill(user, tmp_path)
    _fill(other_user, tmp_path)
    before = owned_rows(user.pk)
    assert before["encrypted_data_keys"] == 1
    assert before["merge_decisions"] > 0
    assert before["user_confirmed_profile"] == 1
    others_before = owned_rows(other_user.pk)
    mine = [p for p in _files(media_root) if str(user.pk) in str(p)]
    theirs = [p for p in _files(media_root) if str(other_user.pk) in str(p)]
    assert len(mine) == len(theirs) == 2  # the upload and the archive

    client.force_login(user)
    elsewhere = Client()
    elsewhere.force_login(user)
    others_browser = Client()
    others_browser.force_login(other_user)
    assert client.get("/account/data/delete/").status_code == 200
    with caplog.at_level(logging.INFO):
        response = client.post("/account/data/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"

    left = {table: count for table, count in owned_rows(user.pk).items() if count}
    assert left == {}
    assert not any(str(user.pk) in str(p) for p in media_root.rglob("*"))
    assert all(p.exists() for p in theirs)
    assert owned_rows(other_user.pk) == others_before
    with user_context(other_user.pk):
        assert len(profile_snapshot(user=other_user).entities) > 0

    audits = [r for r in caplog.records if r.name == "careeros.audit"]
    assert [r.getMessage() for r in audits] == ["account deleted"]
    line = json.dumps(audits[0].__dict__, default=str)
    for personal in (user.email, str(user.pk), "Ada Lovelace"):
        assert personal not in line
    assert audits[0].__dict__["files"] == 2
    assert audits[0].__dict__["rows"] > 20
    # No log line at all names the person (the vault's included).
    for record in caplog.records:
        assert str(user.pk) not in record.getMessage(), record.name
    # Signed out: the session is gone too, and so is the one in another browser; the
    # other person stays signed in.
    assert client.get("/account/data/").status_code == 302
    assert elsewhere.get("/account/data/").status_code == 302
    with system_context():
        assert Session.objects.count() == 1
    assert others_browser.get("/account/data/").status_code == 200


def test_a_wrong_password_deletes_nothing(
    client: Client, user: User, media_root: Path, tmp_path: Path, vault_keys: None
) -> None:
    """The wrong password: 422 with what went wrong, and every row and file stays."""
    _fill(user, tmp_path)
    before = owned_rows(user.pk)
    client.force_login(user)
    response = client.post("/account/data/delete/", {"password": "not it"})
    assert response.status_code == 422
    assert "That is not your password. Nothing was deleted" in response.content.decode()
    assert owned_rows(user.pk) == before
    assert len(_files(media_root)) == 2


def test_deletion_needs_sign_in(client: Client, user: User) -> None:
    """Signed out, the page redirects to sign-in and a POST deletes nothing."""
    response = client.post("/account/data/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert account_exists(user)


def test_a_second_user_deletes_only_themselves(
    client: Client, user: User, other_user: User, media_root: Path, tmp_path: Path
) -> None:
    """Another person deleting their account (with their password) removes only theirs."""
    seed_profile(user, 5)
    client.force_login(other_user)
    client.post("/account/data/delete/", {"password": PASSWORD})
    assert not account_exists(other_user)
    assert account_exists(user)
    assert owned_rows(user.pk)["work_experience"] == 1


def test_deleting_a_user_in_sql_cascades_as_the_seed_says(
    user: User, other_user: User, media_root: Path, tmp_path: Path, vault_keys: None
) -> None:
    """DELETE FROM users, in plain SQL as the application's role: the database's own
    ON DELETE CASCADE leaves no row of the user in any table; the other user keeps all."""
    _fill(user, tmp_path)
    _fill(other_user, tmp_path)
    others_before = owned_rows(other_user.pk)
    # The users table shows the runtime role only the row of the user in context.
    with user_context(user.pk), connection.cursor() as cursor:
        cursor.execute("DELETE FROM users WHERE id = %s", [user.pk])
    left = {table: count for table, count in owned_rows(user.pk).items() if count}
    assert left == {}
    assert owned_rows(other_user.pk) == others_before


def test_deleting_a_resume_version_in_sql_keeps_the_stream(
    user: User, media_root: Path, tmp_path: Path, vault_keys: None
) -> None:
    """The seed's resume_versions → parsed entities and diffs CASCADE, and the stream's
    latest version SET NULL, in the database itself."""
    _fill(user, tmp_path)
    with user_context(user.pk):
        version = ResumeVersion.objects.get()
        assert version.parsed_entities.exists()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM resume_versions WHERE id = %s", [version.pk])
        stream = ResumeStream.objects.get()
        assert stream.latest_version_id is None
        assert not ParsedResumeEntity.objects.exists()
        assert not ResumeDiff.objects.exists()


def test_deleting_an_account_deletes_its_objects_in_s3(
    s3_bucket: str, client: Client, user: User, other_user: User, tmp_path: Path
) -> None:
    """With S3 storage the upload and the archive objects of the account are deleted; the
    other person's stay."""
    for person in (user, other_user):
        path = tmp_path / f"{person.pk}.json"
        path.write_text(json.dumps(json_resume(sample_snapshot(5))))
        call_command("import_resume", str(path), user=person.email, stdout=StringIO())
        with user_context(person.pk):
            export = DataExport.objects.create(user=person)
        assert data_export_build(export_id=export.pk, user_id=person.pk) == "completed"
    s3 = storages["default"].connection.meta.client  # type: ignore[attr-defined]

    def keys() -> list[str]:
        return [item["Key"] for item in s3.list_objects_v2(Bucket=s3_bucket).get("Contents", [])]

    assert len([k for k in keys() if str(user.pk) in k]) == 2
    client.force_login(user)
    assert client.post("/account/data/delete/", {"password": PASSWORD}).status_code == 302
    assert [k for k in keys() if str(user.pk) in k] == []
    assert len([k for k in keys() if str(other_user.pk) in k]) == 2

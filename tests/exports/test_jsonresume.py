"""JSON Resume: the export is valid against the published schema, a published theme renders
it, and CareerOS reads its own export back into a fresh account without losing a fact."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from careeros.db.rls import user_context
from exports.jsonresume import json_resume
from profiles.entities import ENTITY_SPECS
from profiles.models import User
from profiles.snapshots import profile_snapshot
from resumes.models import ResumeVersion
from tests.exports.conftest import render_with_theme
from tests.exports.sample import sample_snapshot, seed_basics, seed_profile
from tests.factories import make_user


def _validate(schema: dict[str, Any], document: dict[str, Any]) -> None:
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def facts(user: User) -> set[tuple[str, str, str]]:
    """Every (entity type, field, value) of the user's current profile."""
    with user_context(user.pk):
        snapshot = profile_snapshot(user=user)
    return {
        (entity.entity_type, name, json.dumps(value, sort_keys=True))
        for entity in snapshot.entities
        for name, value in entity.fields.items()
        if value not in (None, "", [])
    }


@pytest.mark.django_db
def test_export_is_valid_against_the_published_schema(
    user: User, jsonresume_schema: dict[str, Any]
) -> None:
    """A profile with every field of every type filled validates against @jsonresume/schema."""
    seed_profile(user, 15)
    with user_context(user.pk):
        document = json_resume(profile_snapshot(user=user))
    _validate(jsonresume_schema, document)
    assert {
        len(document[s]) for s in ("work", "education", "skills", "projects", "certificates")
    } == {3}
    assert document["basics"] == {"name": "Ada Lovelace", "email": user.email}


@pytest.mark.django_db
def test_the_basics_fill_json_resumes_basics(user: User, jsonresume_schema: dict[str, Any]) -> None:
    """Headline, summary, the resume's e-mail, phone, location and links are exported."""
    seed_basics(user)
    with user_context(user.pk):
        document = json_resume(profile_snapshot(user=user))
    _validate(jsonresume_schema, document)
    assert document["basics"] == {
        "name": "Ada Lovelace",
        "email": "ada@resume.example",
        "label": "Data engineer",
        "phone": "+44 20 7946 0958",
        "summary": "Builds billing pipelines.",
        "location": {"address": "London, GB"},
        "url": "https://ada.dev",
        "profiles": [{"network": "GitHub", "url": "https://github.com/ada"}],
    }


def test_a_date_the_schema_cannot_hold_is_kept_as_text(jsonresume_schema: dict[str, Any]) -> None:
    """A free-text date ("Summer 2019") leaves the standard field empty and is kept beside it."""
    snapshot = sample_snapshot(1)
    snapshot.entities[0].fields["start_date"] = "Summer 2019"
    document = json_resume(snapshot)
    _validate(jsonresume_schema, document)
    assert "startDate" not in document["work"][0]
    assert document["work"][0]["startDateText"] == "Summer 2019"


def test_the_schema_check_can_fail(jsonresume_schema: dict[str, Any]) -> None:
    """The validation used above rejects a document the schema forbids (a bad date)."""
    document = json_resume(sample_snapshot(1))
    document["work"][0]["startDate"] = "March 2020"
    with pytest.raises(AssertionError):
        _validate(jsonresume_schema, document)


def test_a_published_theme_renders_the_export(jsonresume_theme: Path, tmp_path: Path) -> None:
    """jsonresume-theme-even turns the export into HTML with the profile's facts in it."""
    document = json_resume(sample_snapshot(10))
    html = render_with_theme(jsonresume_theme, document, tmp_path)
    assert "<html" in html
    for text in ("Ada Lovelace", "Northwind Traders", "Data Engineer", "University of Leeds"):
        assert text in html
    assert "Open Ledger 1" in html
    assert "AWS Certified Solutions Architect" in html


@pytest.mark.django_db(transaction=True)
def test_round_trip_into_a_fresh_account_loses_no_fact(
    user: User, media_root: Path, tmp_path: Path
) -> None:
    """Profile → JSON Resume → import_resume into a new user → the same facts, none lost,
    none changed, none added, every entity applied without review."""
    seed_profile(user, 25)
    seed_basics(user)
    path = tmp_path / "resume.json"
    call_command(
        "export_profile", user=user.email, format="jsonresume", output=path, stdout=StringIO()
    )
    fresh = make_user(full_name="Ada Lovelace")
    out = StringIO()
    call_command("import_resume", str(path), user=fresh.email, stdout=out)
    assert "Completed" in out.getvalue()
    before, after = facts(user), facts(fresh)
    assert before - after == set(), "lost or changed"
    assert after - before == set(), "added or changed"
    assert len(before) > 100
    with user_context(fresh.pk):
        version = ResumeVersion.objects.get()
        counts = {
            spec.entity_type: spec.model.objects.for_user(fresh).current().count()
            for spec in ENTITY_SPECS
        }
    assert version.file_type == "json"
    assert counts == {
        "basics": 1,
        "work_experience": 5,
        "education": 5,
        "skill": 5,
        "project": 5,
        "certification": 5,
    }


@pytest.mark.django_db(transaction=True)
def test_evidence_points_at_the_json_pointer_line(
    user: User, media_root: Path, tmp_path: Path
) -> None:
    """Each imported value's evidence is its own value, on the line naming its JSON pointer."""
    path = tmp_path / "resume.json"
    path.write_text(json.dumps(json_resume(sample_snapshot(1))))
    call_command("import_resume", str(path), user=user.email, stdout=StringIO())
    with user_context(user.pk):
        version = ResumeVersion.objects.get()
        entity = version.parsed_entities.exclude(entity_type="basics").get()
    raw = version.raw_content or ""
    evidence = entity.entity_data["evidence"]
    start, end = evidence["title"][0]
    assert raw[start:end] == "Data Engineer"
    line = raw[:end].rsplit("\n", 1)[-1]
    assert line == "/work/0/position\tData Engineer"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"[" * 5000 + b"]" * 5000, "nests 5000 levels deep"),
        (b'{"basics": {"name": "' + b"x" * (3 * 1024 * 1024) + b'"}}', "larger than 2 MB"),
        (b'{"basics": {"name": "Ada"', "not valid JSON"),
        (b'{"orders": [1, 2, 3]}', "not a JSON Resume"),
        (
            b'{"skills": [' + b",".join(b'{"name": "s"}' for _ in range(25000)) + b"]}",
            "holds 25000 values",
        ),
    ],
)
def test_hostile_json_is_refused_with_a_reason(content: bytes, message: str) -> None:
    """Depth bombs, oversized or malformed files, other JSON and value floods are refused."""
    from resumes.files import detect
    from resumes.reading import UnreadableDocument, read_document

    with pytest.raises(UnreadableDocument, match=message):
        read_document(content, detect(content, "cv.json").kind)


@pytest.mark.django_db
def test_export_views_serve_only_the_signed_in_persons_profile(
    client: Client, user: User, other_user: User
) -> None:
    """Each person downloads their own profile in every format; nobody else's facts leak."""
    seed_profile(user, 10)
    client.force_login(other_user)
    response = client.get("/account/data/profile.jsonresume")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    document = json.loads(response.content)
    assert document["basics"]["email"] == other_user.email
    assert "work" not in document
    for slug in ("docx", "pdf"):
        body = client.get(f"/account/data/profile.{slug}").content
        assert b"Northwind" not in body
    client.force_login(user)
    document = json.loads(client.get("/account/data/profile.jsonresume").content)
    assert document["work"][0]["name"] == "Northwind Traders"
    assert client.get("/account/data/profile.pdf").content.startswith(b"%PDF-")
    assert client.get("/account/data/profile.docx").content.startswith(b"PK")
    assert client.get("/account/data/profile.exe").status_code == 404
    page = client.get("/account/data/")
    assert page.status_code == 200
    assert b"JSON Resume" in page.content


@pytest.mark.django_db
def test_export_views_need_sign_in(client: Client) -> None:
    """Signed out, the exports redirect to sign-in."""
    response = client.get("/account/data/profile.jsonresume")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db(transaction=True)
def test_export_command(user: User, tmp_path: Path) -> None:
    """export_profile writes each format to -o; an unknown user is an error."""
    seed_profile(user, 5)
    for slug, head in (("jsonresume", b"{"), ("docx", b"PK"), ("pdf", b"%PDF-")):
        path = tmp_path / f"out.{slug}"
        out = StringIO()
        call_command("export_profile", user=user.email, format=slug, output=path, stdout=out)
        assert path.read_bytes().startswith(head)
        assert f"Wrote {path}" in out.getvalue()
    with pytest.raises(CommandError, match="No user"):
        call_command("export_profile", user="nobody@example.com", format="pdf")


@pytest.mark.django_db(transaction=True)
def test_the_confirmed_profile_exports_as_confirmed(
    client: Client, user: User, other_user: User, tmp_path: Path
) -> None:
    """?confirmed=1 and --confirmed export the snapshot as confirmed, not later edits; a
    person who never confirmed gets 404 and a command error."""
    from profiles.models import WorkExperience
    from profiles.services import entity_create, profile_confirm

    seed_profile(user, 5)
    with user_context(user.pk):
        profile_confirm(user=user)
        entity_create(
            model=WorkExperience, user=user, fields={"title": "Later job", "company": "Later Co"}
        )
    client.force_login(user)
    confirmed = json.loads(client.get("/account/data/profile.jsonresume?confirmed=1").content)
    current = json.loads(client.get("/account/data/profile.jsonresume").content)
    assert [w["name"] for w in confirmed["work"]] == ["Northwind Traders"]
    assert "Later Co" in [w["name"] for w in current["work"]]
    assert "?confirmed=1" in client.get("/account/data/").content.decode()
    path = tmp_path / "confirmed.json"
    call_command(
        "export_profile",
        user=user.email,
        format="jsonresume",
        confirmed=True,
        output=path,
        stdout=StringIO(),
    )
    assert json.loads(path.read_text())["work"] == confirmed["work"]
    client.force_login(other_user)
    assert client.get("/account/data/profile.pdf?confirmed=1").status_code == 404
    with pytest.raises(CommandError, match="not confirmed"):
        call_command("export_profile", user=other_user.email, format="pdf", confirmed=True)


@pytest.mark.django_db(transaction=True)
def test_a_hostile_json_upload_fails_with_its_reason(
    user: User, media_root: Path, tmp_path: Path
) -> None:
    """Through import_resume, a depth bomb ends as a failed version with the reason."""
    path = tmp_path / "bomb.json"
    path.write_bytes(b'{"basics": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    with pytest.raises(CommandError, match="nests 100001 levels deep"):
        call_command("import_resume", str(path), user=user.email, stdout=StringIO())
    with user_context(user.pk):
        assert ResumeVersion.objects.get().processing_status == "failed"

"""LinkedIn data-export import: the ZIP goes through the pipeline like any resume, its
career CSVs become profile entities with evidence, and hostile ZIPs are refused."""

from __future__ import annotations

import io
import os
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from careeros.db.rls import user_context
from profiles.entities import ENTITY_SPECS
from profiles.models import User
from profiles.snapshots import profile_snapshot
from resumes.extraction.linkedin import linkedin_date
from resumes.files import detect
from resumes.models import ResumeVersion
from resumes.reading import UnreadableDocument, read_document
from tests.exports.linkedin import linkedin_export


@pytest.mark.django_db(transaction=True)
def test_a_linkedin_export_fills_the_profile(user: User, media_root: Path, tmp_path: Path) -> None:
    """Jobs, school, skills, certificate and project arrive through merge review, with
    LinkedIn's dates as YYYY-MM and a current job left open."""
    path = tmp_path / "Basic_LinkedInDataExport_12-01-2026.zip"
    path.write_bytes(linkedin_export())
    out = StringIO()
    call_command("import_resume", str(path), user=user.email, stdout=out)
    assert "Completed" in out.getvalue()
    with user_context(user.pk):
        snapshot = profile_snapshot(user=user)
        version = ResumeVersion.objects.get()
    assert version.file_type == "linkedin"
    by_type = {
        spec.entity_type: [e.fields for e in snapshot.of_type(spec.entity_type)]
        for spec in ENTITY_SPECS
    }
    jobs = {job["company"]: job for job in by_type["work_experience"]}
    assert jobs["Tessellate Analytics"]["title"] == "Staff Data Engineer"
    assert jobs["Tessellate Analytics"]["start_date"] == "2021-03"
    assert jobs["Tessellate Analytics"]["end_date"] is None
    assert jobs["Orbital Freight"]["end_date"] == "2021-02"
    assert jobs["Orbital Freight"]["location"] == "Bengaluru, Karnataka, India"
    (school,) = by_type["education"]
    assert school["institution"] == "College of Engineering Pune"
    assert school["degree"] == "Bachelor of Technology - BTech, Computer Engineering"
    assert (school["start_date"], school["end_date"]) == ("2013", "2017")
    assert school["description"] == "Robotics club"
    assert sorted(s["name"] for s in by_type["skill"]) == ["Apache Kafka", "Python", "Snowflake"]
    (certificate,) = by_type["certification"]
    assert certificate["issuing_organization"] == "Databricks"
    assert certificate["credential_id"] == "DB-998877"
    assert (certificate["issue_date"], certificate["expiration_date"]) == ("2023-09", "2025-09")
    (project,) = by_type["project"]
    assert project["url"] == "https://github.com/example/lakehouse"
    raw = version.raw_content or ""
    assert "/positions/0/Company Name\tTessellate Analytics" in raw
    assert "Karthik" not in raw, "files other than the career ones are never read"
    assert "private words" not in raw


def test_linkedin_dates() -> None:
    """LinkedIn's date forms become YYYY-MM or YYYY; anything else is left out."""
    assert linkedin_date("Mar 2021") == "2021-03"
    assert linkedin_date("2017") == "2017"
    assert linkedin_date("9/2019") == "2019-09"
    assert linkedin_date("2020-11-05") == "2020-11"
    assert linkedin_date("someday") is None


def _zip(files: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: _zip({"Positions.csv": b"Title\n", **{f"f{i}.csv": b"x" for i in range(600)}}),
            "has 601 files",
        ),
        (lambda: _zip({"Positions.csv": b"Title\n" + b"A" * (20 * 2**20)}), "suspiciously well"),
        (
            lambda: _zip(
                {"Positions.csv": b"Company Name,Title\n" + os.urandom(3 * 2**20).hex().encode()}
            ),
            "larger than 5 MB",
        ),
        (lambda: _zip({"Connections.csv": b"First Name\nA\n"}), "not a Word"),
    ],
    ids=["entries", "ratio", "csv-size", "no-career-file"],
)
def test_hostile_zips_are_refused_with_a_reason(build: object, message: str) -> None:
    """Too many entries, a compression bomb, an oversized CSV, a ZIP that is no export."""
    data = build()  # type: ignore[operator]
    with pytest.raises(UnreadableDocument, match=message):
        read_document(data, detect(data, "export.zip").kind)

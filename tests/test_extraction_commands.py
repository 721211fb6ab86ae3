"""The parse_resume and evaluate_extraction management commands (no database)."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "resumes"


def test_parse_resume_prints_json_resume() -> None:
    """parse_resume prints the extraction as JSON Resume."""
    out = StringIO()
    call_command(
        "parse_resume", str(FIXTURES / "lebenslauf_de.txt"), "--provider", "rules", stdout=out
    )
    data = json.loads(out.getvalue())
    assert data["basics"]["name"] == "Lukas Schneider"
    assert data["work"][0]["name"] == "Sternwerk GmbH"
    assert "evidence" not in json.dumps(data)


def test_parse_resume_with_evidence() -> None:
    """--evidence prints the typed result with spans and the model label."""
    out = StringIO()
    call_command("parse_resume", str(FIXTURES / "cv_fr.docx"), "--evidence", stdout=out)
    data = json.loads(out.getvalue())
    assert data["_model"] == "rules-1"
    assert data["basics"]["evidence"]["email"]


def test_parse_resume_reports_unreadable_files(tmp_path: Path) -> None:
    """A damaged file gives a clear command error."""
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 nothing else")
    with pytest.raises(CommandError, match="damaged"):
        call_command("parse_resume", str(broken))


def test_evaluate_extraction_prints_sections_and_overall(tmp_path: Path) -> None:
    """evaluate_extraction prints P/R/F1 per section and a last 'overall F1' line."""
    for path in FIXTURES.iterdir():
        if path.suffix in (".txt", ".json", ".docx", ".pdf"):
            shutil.copy(path, tmp_path / path.name)
    out = StringIO()
    call_command("evaluate_extraction", str(tmp_path), "--provider", "rules", stdout=out)
    lines = out.getvalue().strip().splitlines()
    annotated = [
        p for p in FIXTURES.iterdir() if p.suffix != ".json" and p.with_suffix(".json").exists()
    ]
    assert lines[0].startswith(f"{len(annotated)} documents")
    sections = {line.split()[0] for line in lines[2:-1]}
    assert {"basics", "work", "education", "skills", "certificates"} <= sections
    assert lines[-1].startswith("overall F1: ")
    assert float(lines[-1].split(": ")[1]) >= 0.97


def test_evaluate_extraction_needs_ground_truth(tmp_path: Path) -> None:
    """A folder without annotated documents is an error."""
    with pytest.raises(CommandError, match="No documents"):
        call_command("evaluate_extraction", str(tmp_path))

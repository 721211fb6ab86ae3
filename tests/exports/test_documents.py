"""DOCX and PDF exports: one column, real headings, a text layer, and CareerOS's own reader
reads them back at F1 ≥ 0.98 (the extraction scorer against the profile's JSON Resume)."""

from __future__ import annotations

import io
import uuid
from typing import Any

import docx
import pypdf
import pytest

from exports.documents import docx_bytes, pdf_bytes
from exports.jsonresume import json_resume
from profiles.snapshots import ProfileSnapshot, SnapshotEntity
from resumes.extraction import get_provider
from resumes.extraction.evaluation import score_document, total
from resumes.reading import read_document
from tests.exports.sample import sample_snapshot

# A profile written apart from the sample the template was checked with.
_OTHER: list[tuple[str, dict[str, Any]]] = [
    (
        "work_experience",
        {
            "title": "Head of Research",
            "company": "Meridian Health Labs",
            "location": "Toronto, Canada",
            "start_date": "2019-09",
            "end_date": None,
            "description": "Leads a team of nine scientists working on sepsis prediction.",
        },
    ),
    (
        "work_experience",
        {
            "title": "Research Scientist",
            "company": "Bluefin Robotics",
            "location": "Boston, MA",
            "start_date": "2014-02",
            "end_date": "2019-08",
            "description": "Designed sonar signal filters.\n• Filed two patents on beamforming",
        },
    ),
    (
        "education",
        {
            "institution": "McGill University",
            "degree": "Doctor of Philosophy",
            "field_of_study": "Electrical Engineering",
            "start_date": "2009",
            "end_date": "2014",
        },
    ),
    ("skill", {"name": "MATLAB", "category": "Tools"}),
    ("skill", {"name": "Signal processing", "category": "Methods"}),
    ("skill", {"name": "PyTorch", "category": "Tools"}),
    (
        "project",
        {
            "title": "Sepsis Early Warning",
            "description": "A bedside model that flags patients six hours earlier.",
            "technologies": ["PyTorch", "FHIR"],
            "start_date": "2021-01",
            "end_date": "2023-06",
            "role": "Principal Investigator",
            "achievements": ["Deployed in four hospitals"],
        },
    ),
    (
        "certification",
        {
            "name": "Certified Clinical Research Professional",
            "issuing_organization": "Society of Clinical Research Associates",
            "credential_id": "SOCRA-55120",
            "issue_date": "2020-05",
        },
    ),
]


def _other() -> ProfileSnapshot:
    return ProfileSnapshot(
        full_name="Imani Okafor",
        email="imani.okafor@example.org",
        entities=[
            SnapshotEntity(
                entity_type=kind, logical_entity_id=uuid.uuid4(), version=1, fields=fields
            )
            for kind, fields in _OTHER
        ],
    )


def _f1(snapshot: ProfileSnapshot, data: bytes, kind: str) -> float:
    extraction = get_provider("rules").extract(read_document(data, kind))
    scores = score_document(json_resume(snapshot), extraction.to_json_resume())
    return total(scores.values()).f1


@pytest.mark.parametrize("render", [docx_bytes, pdf_bytes], ids=["docx", "pdf"])
@pytest.mark.parametrize("snapshot", [sample_snapshot(25), _other()], ids=["sample", "other"])
def test_careeros_reads_its_own_export_back(render: Any, snapshot: ProfileSnapshot) -> None:
    """The offline reader recovers the exported profile at F1 ≥ 0.98."""
    kind = "docx" if render is docx_bytes else "pdf"
    assert _f1(snapshot, render(snapshot), kind) >= 0.98


def test_the_f1_gate_can_fail() -> None:
    """Scoring another person's export against this profile falls far below the gate."""
    assert _f1(_other(), pdf_bytes(sample_snapshot(25)), "pdf") < 0.5


def test_docx_has_real_headings_and_one_column() -> None:
    """Name as Title, sections as Heading 1, entries as Heading 2, no tables or columns."""
    document = docx.Document(io.BytesIO(docx_bytes(_other())))
    styles = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    assert styles[0] == ("Title", "Imani Okafor")
    assert ("Heading 1", "Experience") in styles
    assert ("Heading 2", "Head of Research, Meridian Health Labs") in styles
    assert ("List Bullet", "Filed two patents on beamforming") in styles
    assert not document.tables
    assert all(
        len(section._sectPr.xpath("./w:cols[@w:num>1]")) == 0 for section in document.sections
    )


def test_pdf_has_selectable_text_and_an_outline() -> None:
    """The PDF's text layer holds every entry, and its bookmarks name the sections."""
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes(_other())))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for value in ("Meridian Health Labs", "McGill University", "SOCRA-55120", "PyTorch"):
        assert value in text
    titles = [str(item.title) for item in reader.outline if not isinstance(item, list)]
    nested = [
        str(i.title)
        for item in reader.outline
        if isinstance(item, list)
        for i in item
        if not isinstance(i, list)
    ]
    assert "Imani Okafor" in titles
    assert {"Experience", "Education", "Skills"} <= set(nested)

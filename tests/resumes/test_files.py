"""File type from bytes, DOCX checks, and the resource-limited parsing child."""

from __future__ import annotations

from typing import Any

import pytest

from resumes.files import detect
from resumes.reading import UnreadableDocument
from resumes.sandbox import ParseFailed, parse_document, sniff_document
from tests.resumes import hostile


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("cv.pdf", hostile.OWN_PDF.read_bytes(), "pdf"),
        ("cv.txt", hostile.OWN_TEXT.read_bytes(), "txt"),
        ("cv.md", b"# Ada Lovelace\n\n## Experience\n", "md"),
        ("cv.bin", hostile.docx_plain(), "docx"),
        ("cv.docx", hostile.OWN_PDF.read_bytes(), "pdf"),
    ],
)
def test_type_comes_from_the_bytes_not_the_name(name: str, content: bytes, kind: str) -> None:
    """PDF, DOCX and text are recognised whatever the file is called."""
    assert detect(content, name).kind == kind


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (hostile.executable(), "Windows program"),
        (b"\x7fELF\x02\x01\x01" + b"\0" * 100, "Linux program"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "PNG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Word"),
        (bytes(range(256)) * 40, "not recognised"),
    ],
)
def test_non_documents_are_refused_with_a_reason(content: bytes, message: str) -> None:
    """Programs, images, old Office files and binary noise are named and refused."""
    with pytest.raises(UnreadableDocument, match=message):
        detect(content, "resume.pdf")


def test_docx_zip_bomb_is_refused_from_the_directory(settings: Any) -> None:
    """A part declaring hundreds of MB is refused before anything inflates it."""
    with pytest.raises(UnreadableDocument, match="zip bomb"):
        detect(hostile.docx_zip_bomb(200), "cv.docx")


def test_docx_ratio_bomb_under_the_total_cap_is_refused(settings: Any) -> None:
    """A part compressed beyond any real document's ratio is refused."""
    settings.RESUME_DOCX_LIMITS = {**settings.RESUME_DOCX_LIMITS, "max_uncompressed_bytes": 2**40}
    with pytest.raises(UnreadableDocument, match="compressed suspiciously well"):
        detect(hostile.docx_zip_bomb(50), "cv.docx")


def test_docx_with_external_entity_is_refused() -> None:
    """A DOCTYPE (XXE) in a DOCX part is refused before python-docx parses it."""
    with pytest.raises(UnreadableDocument, match="DOCTYPE"):
        detect(hostile.docx_with_external_entity(), "cv.docx")


def test_zip_that_is_not_a_docx_is_refused() -> None:
    """A zip archive without a Word document inside is not taken for one."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(UnreadableDocument, match="not a Word"):
        detect(out.getvalue(), "cv.docx")


@pytest.mark.parametrize("member", ["[Content_Types].xml", "word/document.xml", "word/styles.xml"])
def test_a_docx_whose_directory_understates_a_part_is_refused_by_name(member: str) -> None:
    """The size checks pass (the directory claims less); reading the part fails its CRC,
    and that reader error is a clear refusal, not an exception escaping the check."""
    damaged = hostile.docx_understated_size(member)
    with pytest.raises(UnreadableDocument, match=r"damaged \(Bad CRC-32.*save it again"):
        detect(damaged, "cv.docx")
    with pytest.raises(ParseFailed, match=r"Word document is damaged"):
        sniff_document(damaged, "cv.docx")


def test_the_docx_readers_error_is_a_clear_message_too() -> None:
    """Given the damaged file directly, python-docx's BadZipFile in the parsing child ends
    as the reader's own refusal, naming the damage."""
    with pytest.raises(ParseFailed, match=r"could not be read as a Word document.*damaged"):
        parse_document(hostile.docx_understated_size("word/document.xml"), "docx")


def test_sniffing_runs_in_the_sandbox_child() -> None:
    """The type decision itself runs in the limited child: the parent gets the answer."""
    assert sniff_document(hostile.docx_plain(), "cv.docx") == "docx"
    assert sniff_document(hostile.OWN_PDF.read_bytes(), "cv.docx") == "pdf"
    with pytest.raises(ParseFailed, match="Windows program"):
        sniff_document(hostile.executable(), "cv.pdf")


def test_sandbox_parses_a_resume() -> None:
    """The child returns the text, pages, extraction and model label."""
    parsed = parse_document(hostile.two_page_pdf().read_bytes(), "pdf")
    assert parsed.pages == 2
    assert parsed.extraction.work
    assert parsed.model_label == "rules-1"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (hostile.pdf_encrypted, "password-protected"),
        (hostile.pdf_without_text, "no text layer"),
    ],
)
def test_sandbox_reports_unreadable_pdfs(build: Any, message: str) -> None:
    """Encrypted and text-less PDFs end with the reader's message."""
    with pytest.raises(ParseFailed, match=message):
        parse_document(build(), "pdf")


def test_sandbox_memory_limit_stops_an_inflation_bomb(settings: Any) -> None:
    """A PDF inflating far past the memory budget ends the child, not this process."""
    settings.RESUME_PARSE_LIMITS = {**settings.RESUME_PARSE_LIMITS, "memory_mb": 256}
    with pytest.raises(ParseFailed) as failure:
        parse_document(hostile.pdf_inflation_bomb(1024), "pdf")
    assert failure.value.message


def test_sandbox_cpu_limit(settings: Any) -> None:
    """A parse that needs more CPU seconds than allowed is killed by RLIMIT_CPU."""
    settings.RESUME_PARSE_LIMITS = {**settings.RESUME_PARSE_LIMITS, "cpu_seconds": 1}
    # About 2 CPU seconds of parsing (×250, 0.8 s since the reader got faster, passed
    # under the limit on a quiet machine).
    with pytest.raises(ParseFailed, match="processing time"):
        parse_document(hostile.plain_text().read_bytes() * 1000, "txt")


def test_sandbox_wall_clock_limit(settings: Any) -> None:
    """A parse running past the wall-clock limit is killed."""
    settings.RESUME_PARSE_LIMITS = {**settings.RESUME_PARSE_LIMITS, "wall_seconds": 0.3}
    with pytest.raises(ParseFailed, match="longer than"):
        parse_document(hostile.plain_text().read_bytes() * 250, "txt")

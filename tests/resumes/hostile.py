"""Builders of hostile and broken files for the pipeline's tests, made on the fly."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "resumes"
# Our own resumes, for tests that need any well-formed document of a type.
OWN_PDF = FIXTURES / "sidebar_en.pdf"
OWN_TEXT = FIXTURES / "linkedin_ng.txt"


def corpus(name: str) -> Path:
    """A document of the shared dev corpus; the test skips when it is not beside the checkout."""
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{name} needs ../shared/corpus beside the checkout")
    return path


def two_page_pdf() -> Path:
    return corpus("dev08_resumegenerator_pdfprint.pdf")


def one_page_pdf() -> Path:
    return corpus("dev10_resumematcher_single_column.pdf")


def plain_text() -> Path:
    return corpus("dev09_resumegenerator_plaintext.txt")


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF with a correct cross-reference table from numbered object bodies."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def pdf_inflation_bomb(megabytes: int = 1024) -> bytes:
    """A one-page PDF whose content stream inflates to ``megabytes`` MB (about 1000:1)."""
    compressor = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    stream = b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream",
        ]
    )


def pdf_encrypted(passphrase: str = "secret") -> bytes:  # noqa: S107 - a test file
    writer = PdfWriter()
    for page in PdfReader(OWN_PDF).pages:
        writer.add_page(page)
    writer.encrypt(user_password=passphrase, owner_password=passphrase)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_without_text() -> bytes:
    """What a scanner produces, minus the image: pages and no text layer."""
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_plain(
    text: str = "Ada Lovelace\nExperience\nAnalyst at Engines Ltd, 1842 - 1843",
) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_zip_bomb(megabytes: int = 500) -> bytes:
    """A DOCX with one part that inflates to ``megabytes`` MB."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx_plain())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for item in source.infolist():
            bomb.writestr(item, source.read(item))
        with bomb.open("word/media/padding.bin", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                part.write(chunk)
    return out.getvalue()


def docx_with_external_entity() -> bytes:
    """A DOCX whose document.xml declares a DOCTYPE with an external entity (XXE)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(docx_plain())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as hostile,
    ):
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                declaration, rest = data.split(b"?>", 1)
                data = (
                    declaration
                    + b'?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                    + rest.replace(b"Ada Lovelace", b"&xxe;")
                )
            hostile.writestr(item, data)
    return out.getvalue()


def docx_understated_size(member: str = "[Content_Types].xml", declared: int = 10) -> bytes:
    """A DOCX whose zip directory says ``member`` inflates to ``declared`` bytes, fewer than
    it does: it passes the size checks, then any reader of that part fails its CRC."""
    data = bytearray(docx_plain())
    name = member.encode()
    at = 0
    while True:
        at = data.index(b"PK\x01\x02", at)  # a central directory entry
        name_length = int.from_bytes(data[at + 28 : at + 30], "little")
        if bytes(data[at + 46 : at + 46 + name_length]) == name:
            data[at + 24 : at + 28] = declared.to_bytes(4, "little")  # uncompressed size
            return bytes(data)
        at += 46


def executable() -> bytes:
    """A Windows executable's header and stub (named .pdf by the tests)."""
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
        + b"\x00" * 50
        + (b"This program cannot be run in DOS mode.\r\r\n$" + bytes(range(256)) * 16)
    )

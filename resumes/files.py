"""Deciding what an uploaded file is, and refusing hostile ones before any parser sees them.

The type comes from the bytes (magic numbers and container structure), never from the
file name or the browser's Content-Type; the name only picks between text dialects (TXT or
Markdown). A DOCX is a zip archive, so its directory is checked (entry count, declared
uncompressed size, compression ratio) and its XML parts are refused if they declare a
DOCTYPE, before python-docx inflates anything. What survives still only gets parsed in a
resource-limited child process (``resumes.sandbox``).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from resumes.reading import UnreadableDocument
from resumes.reading.jsonresume import load as load_json_resume
from resumes.reading.linkedin import sections_in as linkedin_sections

# Extensions a person may pick in the upload form (the bytes still decide).
ACCEPTED_EXTENSIONS = (".pdf", ".docx", ".txt", ".md", ".json", ".zip")

_EXECUTABLES = (
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"\xcf\xfa\xed\xfe", "a macOS program"),
    (b"\xce\xfa\xed\xfe", "a macOS program"),
    (b"\xca\xfe\xba\xbe", "a macOS program or Java class"),
    (b"#!", "a script"),
)
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_OTHER_ARCHIVES = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Word (.doc) or Office file; save it as DOCX or PDF",
    ),
    (b"{\\rtf", "an RTF file; save it as DOCX or PDF"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)


@dataclass(frozen=True)
class Detected:
    kind: str  # pdf, docx, txt, md: what resumes.reading.read_document takes


def detect(data: bytes, filename: str = "") -> Detected:
    """The file's type from its content; raises ``UnreadableDocument`` with the reason."""
    if not data.strip():
        raise UnreadableDocument("The file is empty.")
    head = data[:1024]
    for magic, what in _EXECUTABLES:
        if data.startswith(magic):
            raise UnreadableDocument(
                f"This file is {what}, not a document. Upload a PDF, DOCX or TXT resume."
            )
    for magic, what in _IMAGES:
        if data.startswith(magic):
            raise UnreadableDocument(
                f"This is a {what} image, not a document. Upload the resume as PDF or DOCX."
            )
    for magic, what in _OTHER_ARCHIVES:
        if data.startswith(magic):
            raise UnreadableDocument(f"This is {what}; CareerOS reads PDF, DOCX and TXT.")
    # PDF readers accept the header anywhere in the first kilobyte.
    if b"%PDF-" in head:
        return Detected("pdf")
    if data.startswith(b"PK\x03\x04"):
        if _is_linkedin_export(data):
            check_linkedin(data)
            return Detected("linkedin")
        check_docx(data)
        return Detected("docx")
    if _is_text(data):
        start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if start == b"{" or (start == b"[" and filename.lower().endswith(".json")):
            # A JSON Resume (or a JSON file that is not one, which it says).
            load_json_resume(data)
            return Detected("json")
        return Detected("md" if filename.lower().endswith(".md") else "txt")
    raise UnreadableDocument(
        "This file's type is not recognised. Upload a PDF, DOCX or TXT resume."
    )


def _is_text(data: bytes) -> bool:
    sample = data[:65536]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True  # UTF-16 with a byte order mark
    if b"\x00" in sample:
        return False
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 4:  # not just a character cut by the sample's end
            text = sample.decode("latin-1")
        else:
            text = sample[: error.start].decode("utf-8")
    printable = sum(ch.isprintable() or ch in "\r\n\t\f" for ch in text)
    return printable >= 0.95 * max(len(text), 1)


# What the zip and inflate readers raise on a damaged archive: a bad CRC (a directory that
# understates a part's size), a truncated or corrupt stream, an encrypted or oddly
# compressed part.
DAMAGED_ARCHIVE: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
)


def damaged_docx_message(error: BaseException) -> str:
    detail = str(error).strip().rstrip(".")
    reason = f" ({detail})" if detail else ""
    return (
        f"This Word document is damaged{reason}. Open it in Word and save it again, "
        "or export it to PDF, then upload that."
    )


def check_docx(data: bytes) -> None:
    """``_check_docx``, with every reader error on a damaged archive refused by name."""
    try:
        _check_docx(data)
    except DAMAGED_ARCHIVE as error:
        raise UnreadableDocument(damaged_docx_message(error)) from error


def _check_docx(data: bytes) -> None:
    """Refuse zip bombs and XML tricks before python-docx opens the archive.

    The checks read only the zip's central directory and at most a few kilobytes of each
    XML part, so they cost nothing however large the archive claims to inflate to.
    """
    limits = settings.RESUME_DOCX_LIMITS
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UnreadableDocument(
            "This file is a damaged zip archive, not a Word document."
        ) from error
    with archive:
        entries = archive.infolist()
        names = {entry.filename for entry in entries}
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            if "mimetype" in names:
                raise UnreadableDocument(
                    "This looks like an OpenDocument file; save it as DOCX or PDF."
                )
            raise UnreadableDocument("This zip archive is not a Word (DOCX) document.")
        if len(entries) > limits["max_entries"]:
            raise UnreadableDocument(
                f"This Word document has {len(entries)} parts; that is not a resume."
            )
        declared = sum(entry.file_size for entry in entries)
        if declared > limits["max_uncompressed_bytes"]:
            raise UnreadableDocument(
                "This Word document would unpack to "
                f"{declared // (1024 * 1024)} MB; it was refused as a possible zip bomb."
            )
        for entry in entries:
            if entry.file_size > limits["ratio_floor_bytes"] and entry.file_size > limits[
                "max_ratio"
            ] * max(entry.compress_size, 1):
                raise UnreadableDocument(
                    "This Word document is compressed suspiciously well "
                    f"({entry.filename}); it was refused as a possible zip bomb."
                )
        for entry in entries:
            if entry.filename.endswith((".xml", ".rels")):
                with archive.open(entry) as part:
                    start = part.read(4096)
                if b"<!DOCTYPE" in start.upper() or b"<!ENTITY" in start.upper():
                    raise UnreadableDocument(
                        "This Word document declares a DOCTYPE or entities, which Word never "
                        "writes; it was refused for safety."
                    )


def _is_linkedin_export(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except DAMAGED_ARCHIVE:
        return False  # check_docx says what is wrong with it
    return "word/document.xml" not in names and bool(linkedin_sections(names))


def check_linkedin(data: bytes) -> None:
    """Refuse zip bombs before any CSV of a LinkedIn export is inflated: the same checks of
    the zip directory as for DOCX (entry count, declared size, compression ratio)."""
    limits = settings.RESUME_ZIP_LIMITS
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
    if len(entries) > limits["max_entries"]:
        raise UnreadableDocument(
            f"This zip archive has {len(entries)} files; a LinkedIn export has a few dozen. "
            "It was refused."
        )
    declared = sum(entry.file_size for entry in entries)
    if declared > limits["max_uncompressed_bytes"]:
        raise UnreadableDocument(
            f"This zip archive would unpack to {declared // (1024 * 1024)} MB; it was refused "
            "as a possible zip bomb."
        )
    for entry in entries:
        if entry.file_size > limits["ratio_floor_bytes"] and entry.file_size > limits[
            "max_ratio"
        ] * max(entry.compress_size, 1):
            raise UnreadableDocument(
                f"This zip archive is compressed suspiciously well ({entry.filename}); it was "
                "refused as a possible zip bomb."
            )


class SizeCappedUploadHandler(FileUploadHandler):
    """Abort an upload as soon as it exceeds the request's ``RESUME_MAX_REQUEST_BYTES`` or the
    person's remaining storage (``quota_remaining``, set by the view from
    ``RESUME_STORAGE_QUOTA_BYTES``); drop a single file over ``RESUME_MAX_UPLOAD_BYTES``.

    Runs first among the upload handlers: a declared Content-Length above the request's
    allowance stops the request before a byte of the body is read; a body that turns out
    larger (chunked, or lying) is stopped at the first chunk past it. Either way nothing is
    buffered or written to disk. ``request.upload_too_large`` tells the view what happened,
    ``request.upload_refusal`` why ("request" or "quota"). One file over the file cap is
    dropped at its first chunk past it (what was written of it is closed and deleted) while
    the request's other files go on; ``request.upload_refused`` names the dropped files.
    """

    quota_remaining: int | None = None

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> tuple[QueryDict, MultiValueDict[str, UploadedFile]] | None:
        self.limit = settings.RESUME_MAX_REQUEST_BYTES
        self.reason = "request"
        if self.quota_remaining is not None and self.quota_remaining < self.limit:
            self.limit, self.reason = max(self.quota_remaining, 0), "quota"
        self.received = 0
        if content_length > self.limit + 64 * 1024:  # room for the form's other fields
            # Answering here ends parsing: the body is never read.
            self._mark(self.reason)
            return QueryDict(), MultiValueDict()
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file_received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.file_received += len(raw_data)
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse(self.reason)
        if self.file_received > settings.RESUME_MAX_UPLOAD_BYTES:
            refused = getattr(self.request, "upload_refused", [])
            refused.append(self.file_name or "a file")
            self.request.upload_refused = refused  # type: ignore[union-attr]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _mark(self, reason: str) -> None:
        self.request.upload_too_large = True  # type: ignore[union-attr]
        self.request.upload_refusal = reason  # type: ignore[union-attr]

    def _refuse(self, reason: str) -> None:
        self._mark(reason)
        raise StopUpload(connection_reset=True)

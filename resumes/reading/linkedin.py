"""A LinkedIn data export ("Get a copy of your data"): the ZIP of CSV files a member
downloads, read as text.

Only the files that describe a career are read (``Profile.csv``, ``Email Addresses.csv``,
``Positions.csv``, ``Education.csv``, ``Skills.csv``, ``Certifications.csv``,
``Projects.csv``), each at most ``MAX_CSV_BYTES`` inflated; the rest of the archive
(messages, connections…) is never opened. As for JSON Resume, the raw text lists every
value after a pointer naming its file, row and column (``/positions/0/Company Name``), so
evidence is the value on its line. The archive's directory was checked before (entry
count, declared size, compression ratio: ``resumes.files.check_linkedin``).
"""

from __future__ import annotations

import csv
import io
import zipfile

from resumes.reading.jsonresume import pointer
from resumes.reading.model import ResumeText, UnreadableDocument, _Builder

# file name (any folder) -> section
FILES = {
    "profile.csv": "profile",
    "email addresses.csv": "emails",
    "positions.csv": "positions",
    "education.csv": "education",
    "skills.csv": "skills",
    "certifications.csv": "certifications",
    "projects.csv": "projects",
}
# A career's CSV is a few kilobytes; this leaves room for a very long one.
MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


def sections_in(names: list[str]) -> dict[str, str]:
    """The archive's career files: section -> entry name."""
    found: dict[str, str] = {}
    for name in names:
        base = name.rsplit("/", 1)[-1].lower()
        if base in FILES and FILES[base] not in found:
            found[FILES[base]] = name
    return found


def _rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    with archive.open(name) as member:
        data = member.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        raise UnreadableDocument(
            f"{name} in this LinkedIn export is larger than {MAX_CSV_BYTES // 2**20} MB; "
            "it was refused."
        )
    text = data.decode("utf-8-sig", errors="replace")
    # LinkedIn puts a "Notes:" preamble before the header of some files.
    lines = text.splitlines()
    while lines and lines[0].startswith("Notes:"):
        lines = lines[1:]
        while lines and lines[0].strip() and "," not in lines[0]:
            lines = lines[1:]
        while lines and not lines[0].strip():
            lines = lines[1:]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    rows: list[dict[str, str]] = []
    for index, row in enumerate(reader):
        if index >= MAX_ROWS:
            raise UnreadableDocument(f"{name} holds more than {MAX_ROWS} rows; it was refused.")
        rows.append({str(k).strip(): (v or "").strip() for k, v in row.items() if k})
    return rows


def read_linkedin(data: bytes) -> ResumeText:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UnreadableDocument("This file is a damaged zip archive.") from error
    builder = _Builder()
    with archive:
        found = sections_in(archive.namelist())
        if not found:
            raise UnreadableDocument(
                "This zip archive is not a LinkedIn data export: it has none of Profile.csv, "
                "Positions.csv, Education.csv, Skills.csv, Certifications.csv, Projects.csv."
            )
        for section, name in found.items():
            for index, row in enumerate(_rows(archive, name)):
                for column, value in row.items():
                    if value:
                        builder.add(
                            [(pointer((section, index, column)), 0.0, 0.0), (value, 0.0, 0.0)]
                        )
    text = builder.build("linkedin")
    if not text.raw.strip():
        raise UnreadableDocument("This LinkedIn export holds no profile data.")
    return text

"""Reading resume files into text with layout: ``read_document(data, kind)``.

A pure function of its input (no database, no network), so the pipeline can run it in a
resource-limited subprocess. The raw text it returns is what evidence spans index into.
"""

from __future__ import annotations

from resumes.reading.model import Cell, Line, ResumeText, UnreadableDocument

__all__ = ["KINDS", "Cell", "Line", "ResumeText", "UnreadableDocument", "read_document"]

KINDS = ("pdf", "docx", "txt", "md", "json", "linkedin")
# Fewer visible characters than this on every page: an image of a resume, not text.
MIN_TEXT_CHARS = 40


def read_document(data: bytes, kind: str) -> ResumeText:
    """Read ``data`` of file type ``kind`` (pdf, docx, txt, md, json, linkedin: the ZIP of a
    LinkedIn data export)."""
    kind = kind.lower().lstrip(".")
    if kind == "pdf":
        from resumes.reading.layout import build
        from resumes.reading.pdf import read_pdf

        pages, sizes = read_pdf(data)
        text = build(pages, sizes)
        if len(text.raw.strip()) < MIN_TEXT_CHARS:
            raise UnreadableDocument(
                "This PDF has no text layer — it looks like a scanned resume. "
                "Upload the original document, or a PDF exported from it."
            )
        return text
    if kind == "docx":
        from resumes.reading.docx import read_docx

        text = read_docx(data)
    elif kind == "linkedin":
        from resumes.reading.linkedin import read_linkedin

        text = read_linkedin(data)
    elif kind == "json":
        from resumes.reading.jsonresume import read_json_resume

        text = read_json_resume(data)
    elif kind in ("txt", "md", "text", "markdown"):
        from resumes.reading.plain import decode, read_text

        text = read_text(decode(data), "md" if kind in ("md", "markdown") else "txt")
    else:
        raise UnreadableDocument(
            f"Files of type {kind!r} cannot be read; use PDF, DOCX, TXT or JSON Resume."
        )
    if not text.raw.strip():
        raise UnreadableDocument("This document contains no text.")
    return text

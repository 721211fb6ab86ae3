"""A profile as an ATS-friendly resume: DOCX (python-docx) and PDF (reportlab).

One template, two renderers. ``layout(snapshot)`` lays the resume out as a list of
``Block``s (the name, a contact line, section headings, entry heading lines, detail lines,
paragraphs and bullets), in one column with real headings and plain selectable text: what
applicant tracking systems, and CareerOS's own reader, read best. ``docx_bytes`` and
``pdf_bytes`` print the blocks without adding or changing a word.

reportlab prints the PDF: a pure-Python library maintained since 2000, with standard
fonts that need no files, a real text layer and document outlines (bookmarks) for the
headings; it has no system dependency (unlike WeasyPrint's Pango) and no browser (unlike
an HTML-to-PDF printer).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from xml.sax.saxutils import escape

import docx
from docx.shared import Pt
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from profiles.snapshots import ProfileSnapshot, SnapshotEntity

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Kind(StrEnum):
    NAME = "name"
    CONTACT = "contact"
    SECTION = "section"
    ENTRY = "entry"
    DETAIL = "detail"
    PARAGRAPH = "paragraph"
    BULLET = "bullet"


@dataclass(frozen=True)
class Block:
    kind: Kind
    text: str


def human_date(value: str | None) -> str:
    """``2021-03`` as ``Mar 2021``; anything else as written."""
    if not value:
        return ""
    parts = value.strip().split("-")
    if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return value.strip()


def period(start: str | None, end: str | None, *, open_ended: bool = True) -> str:
    first, last = human_date(start), human_date(end)
    if first and last:
        return f"{first} – {last}"
    if first:
        return f"{first} – Present" if open_ended else first
    return last


def _join(*parts: str | None, separator: str = " | ") -> str:
    return separator.join(part.strip() for part in parts if part and part.strip())


def _paragraphs(text: str | None) -> list[Block]:
    blocks: list[Block] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith(("• ", "- ", "* ")):
            blocks.append(Block(Kind.BULLET, line[2:].strip()))
        else:
            blocks.append(Block(Kind.PARAGRAPH, line))
    return blocks


def _work(fields: dict[str, Any]) -> list[Block]:
    blocks = [Block(Kind.ENTRY, _join(fields.get("title"), fields.get("company"), separator=", "))]
    detail = _join(fields.get("location"), period(fields.get("start_date"), fields.get("end_date")))
    if detail:
        blocks.append(Block(Kind.DETAIL, detail))
    return blocks + _paragraphs(fields.get("description"))


def _education(fields: dict[str, Any]) -> list[Block]:
    blocks = [Block(Kind.ENTRY, fields.get("institution") or "")]
    degree = _join(fields.get("degree"), fields.get("field_of_study"), separator=", ")
    gpa = f"GPA {fields['gpa']}" if fields.get("gpa") else ""
    detail = _join(
        degree, period(fields.get("start_date"), fields.get("end_date"), open_ended=False), gpa
    )
    if detail:
        blocks.append(Block(Kind.DETAIL, detail))
    return blocks + _paragraphs(fields.get("description"))


def _project(fields: dict[str, Any]) -> list[Block]:
    blocks = [Block(Kind.ENTRY, fields.get("title") or "")]
    detail = _join(
        fields.get("role"),
        period(fields.get("start_date"), fields.get("end_date"), open_ended=False),
        fields.get("url"),
    )
    if detail:
        blocks.append(Block(Kind.DETAIL, detail))
    if fields.get("technologies"):
        blocks.append(Block(Kind.DETAIL, "Technologies: " + ", ".join(fields["technologies"])))
    blocks += _paragraphs(fields.get("description"))
    blocks += [Block(Kind.BULLET, item) for item in fields.get("achievements") or [] if item]
    return blocks


def _certificate(fields: dict[str, Any]) -> list[Block]:
    blocks = [Block(Kind.ENTRY, fields.get("name") or "")]
    # Issued and expiry as one range ("Mar 2023 – Mar 2026"): a labelled expiry would read
    # as a second organisation.
    dates = period(fields.get("issue_date"), fields.get("expiration_date"), open_ended=False)
    detail = _join(
        fields.get("issuing_organization"),
        dates,
        f"Credential ID: {fields['credential_id']}" if fields.get("credential_id") else "",
        fields.get("credential_url"),
    )
    if detail:
        blocks.append(Block(Kind.DETAIL, detail))
    return blocks + _paragraphs(fields.get("description"))


def _skills(entities: list[SnapshotEntity]) -> list[Block]:
    """Skills grouped by category, one line a group (``Languages: Python, Go``)."""
    groups: dict[str, list[str]] = {}
    for entity in entities:
        name = entity.fields.get("name")
        if name:
            groups.setdefault(entity.fields.get("category") or "", []).append(name)
    blocks = [
        Block(Kind.PARAGRAPH, ", ".join(names)) for group, names in groups.items() if not group
    ]
    blocks += [
        Block(Kind.PARAGRAPH, f"{group}: {', '.join(names)}")
        for group, names in groups.items()
        if group
    ]
    return blocks


def _newest_first(entities: list[SnapshotEntity]) -> list[SnapshotEntity]:
    return sorted(
        entities,
        key=lambda e: str(e.fields.get("start_date") or e.fields.get("issue_date") or ""),
        reverse=True,
    )


def layout(snapshot: ProfileSnapshot) -> list[Block]:
    """The resume, top to bottom."""
    blocks: list[Block] = [Block(Kind.NAME, snapshot.full_name or snapshot.email)]
    if snapshot.email:
        blocks.append(Block(Kind.CONTACT, snapshot.email))
    sections = (
        ("Experience", "work_experience", _work),
        ("Education", "education", _education),
        ("Projects", "project", _project),
        ("Certifications", "certification", _certificate),
    )
    for heading, entity_type, build in sections:
        entities = _newest_first(snapshot.of_type(entity_type))
        if entities:
            blocks.append(Block(Kind.SECTION, heading))
            for entity in entities:
                blocks += build(entity.fields)
    skills = snapshot.of_type("skill")
    if skills:
        blocks.append(Block(Kind.SECTION, "Skills"))
        blocks += _skills(skills)
    return [block for block in blocks if block.text]


# -- DOCX -------------------------------------------------------------------------------


def docx_bytes(snapshot: ProfileSnapshot) -> bytes:
    """The resume as a Word document: Title, Heading 1/2 and List Bullet styles, one column."""
    document = docx.Document()
    document.core_properties.title = f"Resume of {snapshot.full_name or snapshot.email}"
    document.core_properties.author = snapshot.full_name or ""
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    # Style ids looked up once: python-docx's paragraph.style = … looks the default style up
    # again on every paragraph, which is most of the time of a long profile.
    styles = {
        Kind.NAME: document.styles["Title"].style_id,
        Kind.SECTION: document.styles["Heading 1"].style_id,
        Kind.ENTRY: document.styles["Heading 2"].style_id,
        Kind.BULLET: document.styles["List Bullet"].style_id,
    }
    for block in layout(snapshot):
        paragraph = document.add_paragraph(block.text)
        style = styles.get(block.kind)
        if style is not None:
            paragraph._p.get_or_add_pPr().style = style
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- PDF --------------------------------------------------------------------------------


def pdf_bytes(snapshot: ProfileSnapshot) -> bytes:
    """The resume as a PDF with a text layer and an outline of its headings."""
    styles = {
        Kind.NAME: ParagraphStyle("name", fontName="Helvetica-Bold", fontSize=20, leading=24),
        Kind.CONTACT: ParagraphStyle("contact", fontName="Helvetica", fontSize=10, leading=14),
        Kind.SECTION: ParagraphStyle(
            "section", fontName="Helvetica-Bold", fontSize=14, leading=18, spaceBefore=10
        ),
        Kind.ENTRY: ParagraphStyle(
            "entry", fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=6
        ),
        Kind.DETAIL: ParagraphStyle("detail", fontName="Helvetica", fontSize=10, leading=13),
        Kind.PARAGRAPH: ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13),
        Kind.BULLET: ParagraphStyle(
            "bullet", fontName="Helvetica", fontSize=10, leading=13, leftIndent=12, bulletIndent=2
        ),
    }
    out = io.BytesIO()
    title = f"Resume of {snapshot.full_name or snapshot.email}"
    template = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=snapshot.full_name or "",
        creator="CareerOS",
    )
    story: list[Any] = []
    for index, block in enumerate(layout(snapshot)):
        text = escape(block.text)
        if block.kind == Kind.BULLET:
            story.append(Paragraph(text, styles[block.kind], bulletText="•"))
        elif block.kind in (Kind.NAME, Kind.SECTION):
            anchor = f"h{index}"
            level = 0 if block.kind == Kind.NAME else 1
            story.append(
                _Heading(
                    f'<a name="{anchor}"/>{text}', styles[block.kind], anchor, block.text, level
                )
            )
        else:
            story.append(Paragraph(text, styles[block.kind]))
        if block.kind == Kind.CONTACT:
            story.append(Spacer(1, 4))
    template.build(story)
    return out.getvalue()


class _Heading(Paragraph):
    """A paragraph that adds itself to the PDF's outline (bookmarks)."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, title: str, level: int) -> None:
        super().__init__(text, style)
        self._key, self._title, self._level = key, title, level

    def draw(self) -> None:
        super().draw()
        self.canv.bookmarkHorizontal(self._key, 0, self.height)
        self.canv.addOutlineEntry(self._title, self._key, level=self._level)

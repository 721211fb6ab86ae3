"""Word documents through python-docx (heading styles, list paragraphs, tab stops, tables),
and the same documents converted to PDF by LibreOffice."""

from __future__ import annotations

import io
import random
from typing import Any

import docx
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Cm, Pt

from resumes.extraction.labels import Role
from resumes.extraction.synth.compose import paired, sidebar_parts
from resumes.extraction.synth.doc import Doc, Line

FONTS = ("Liberation Sans", "Liberation Serif", "DejaVu Sans", "Calibri", "Arial")


def _runs(paragraph: Any, line: Line, *, bold: bool = False, italic: bool = False) -> None:
    for span in line.spans:
        run = paragraph.add_run(span.text)
        run.bold = bold or "bold" in span.style or None
        run.italic = italic or None


def _emit(container: Any, lines: list[Line], look: dict[str, Any], first: list[bool]) -> None:
    """Paragraphs for ``lines`` in a document or a table cell."""

    def paragraph(style: str | None = None) -> Any:
        if first[0] and hasattr(container, "paragraphs") and not hasattr(container, "sections"):
            first[0] = False
            p = container.paragraphs[0]
            if style:
                p.style = style
            return p
        return container.add_paragraph(style=style)

    for line, aside in paired(lines):
        role = line.role
        if role is Role.NAME:
            p = paragraph("Title")
            _runs(p, line)
        elif role is Role.HEADING:
            p = paragraph(f"Heading {look['heading_level']}")
            _runs(p, line)
        elif role is Role.BULLET:
            p = paragraph("List Bullet")
            _runs(p, line)
        elif aside is not None and look["dates"] == "table":
            table = container.add_table(rows=1, cols=2)
            table.autofit = False
            left, right = table.rows[0].cells
            left.width, right.width = Cm(3.5), Cm(13.5)
            left.paragraphs[0].add_run(aside.text)
            _runs(right.paragraphs[0], line, bold=role is Role.ENTRY)
        else:
            p = paragraph()
            _runs(p, line, bold=role is Role.ENTRY, italic="italic" in line.style)
            if aside is not None:
                p.paragraph_format.tab_stops.add_tab_stop(Cm(look["tab"]), WD_TAB_ALIGNMENT.RIGHT)
                p.add_run("\t" + aside.text)
            if role is Role.ENTRY:
                p.paragraph_format.space_before = Pt(8)


def render_docx(doc: Doc, rng: random.Random, *, dates: str, sidebar: bool) -> bytes:
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = rng.choice(FONTS)
    normal.font.size = Pt(rng.choice((9.5, 10, 10.5, 11)))
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    look = {"heading_level": rng.choice((1, 1, 2)), "dates": dates, "tab": 17.0}
    if sidebar:
        head, side, body = sidebar_parts(doc.lines)
        _emit(document, head, look, [False])
        table = document.add_table(rows=1, cols=2)
        table.autofit = False
        left, right = table.rows[0].cells
        left.width, right.width = Cm(5.5), Cm(11.5)
        # A right tab stop inside each cell's own width: one past it would set the dates
        # outside the cell, where LibreOffice clips them.
        _emit(left, side, {**look, "tab": 5.0}, [True])
        _emit(right, body, {**look, "tab": 11.0}, [True])
    else:
        _emit(document, doc.lines, look, [False])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def families(base_style: Any, sidebar_style: Any) -> list[Any]:
    from resumes.extraction.synth.families import Family

    out = []
    for name, dates, sidebar, style in (
        ("headings", "tab", False, base_style),
        ("datetable", "table", False, lambda r, lang: base_style(r, lang, dates_with_place=False)),
        ("sidebar", "tab", True, sidebar_style),
    ):

        def render(d: Doc, r: random.Random, dates: str = dates, sidebar: bool = sidebar) -> bytes:
            return render_docx(d, r, dates=dates, sidebar=sidebar)

        out.append(Family(f"docx-{name}", "python-docx", "docx", style, render))
        out.append(
            Family(
                f"lo-{name}", "libreoffice", "pdf", style, render, needs="libreoffice", convert=True
            )
        )
    return out

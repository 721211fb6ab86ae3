"""Word documents through python-docx: headers, body paragraphs and tables in order, footers."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from resumes.reading.model import ResumeText, UnreadableDocument, _Builder

DEFAULT_SIZE = 11.0


def _paragraph_layout(paragraph: Paragraph) -> dict[str, object]:
    style = paragraph.style
    style_name = (style.name or "") if style is not None else ""
    heading = style_name.startswith(("Heading", "Title"))
    runs = [r for r in paragraph.runs if r.text.strip()]
    sizes = [r.font.size.pt for r in runs if r.font.size is not None]
    size = max(sizes) if sizes else None
    if size is None and style is not None and style.font.size is not None:
        size = style.font.size.pt
    if size is None:
        size = 16.0 if style_name == "Title" else 13.0 if heading else DEFAULT_SIZE
    bold = heading or (bool(runs) and all(r.bold for r in runs))
    properties = paragraph._p.pPr
    numbered = properties is not None and properties.find(qn("w:numPr")) is not None
    bullet = numbered or "List" in style_name
    return {"size": float(size), "bold": bool(bold), "bullet": bullet}


def _blocks(container: Document | _Cell) -> Iterator[Paragraph | Table]:
    body = container.element.body if isinstance(container, Document) else container._tc
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, container)
        elif child.tag == qn("w:tbl"):
            yield Table(child, container)


def _emit_paragraph(
    builder: _Builder,
    paragraph: Paragraph,
    gap: bool,
    *,
    furniture: bool = False,
    before: Sequence[str] = (),
    after: Sequence[str] = (),
) -> bool:
    """One line per text line of the paragraph; ``before``/``after`` are cells of a table
    row printed beside its first line."""
    text = paragraph.text
    layout = _paragraph_layout(paragraph)
    layout["furniture"] = furniture
    added = False
    for part in text.replace("\r", "\n").replace("\v", "\n").split("\n"):
        cells = [(c.strip(), 0.0, 0.0) for c in part.split("\t")]
        if not added:
            cells = [(c, 0.0, 0.0) for c in before] + cells + [(c, 0.0, 0.0) for c in after]
        if builder.add(cells, gap_before=gap and not added, **layout):  # type: ignore[arg-type]
            added = True
    return added


def _emit_table(builder: _Builder, table: Table) -> None:
    for row in table.rows:
        cells: list[_Cell] = []
        for cell in row.cells:
            if not any(cell._tc is seen._tc for seen in cells):
                cells.append(cell)
        single = all(len([p for p in c.paragraphs if p.text.strip()]) <= 1 for c in cells)
        if single and not any(c.tables for c in cells):
            builder.add([(c.text.strip(), 0.0, 0.0) for c in cells], gap_before=True)
            continue
        if len(cells) == 2 and not any(c.tables for c in cells):
            # An entry beside a one-line cell (its dates, or a label): the short cell belongs
            # on the entry's first line, as a date printed to the right of a title does.
            texts = [[p for p in c.paragraphs if p.text.strip()] for c in cells]
            short = [i for i, t in enumerate(texts) if len(t) == 1 and len(t[0].text) <= 40]
            if len(short) == 1:
                side = texts[short[0]][0].text.strip()
                main = cells[1 - short[0]]
                extra = {"before": [side]} if short[0] == 0 else {"after": [side]}
                _emit_container(builder, main, first_line=extra)
                continue
        # A layout table (sidebar and main column): read each cell as its own column.
        for cell in cells:
            _emit_container(builder, cell)


def _emit_container(
    builder: _Builder,
    container: Document | _Cell,
    first_line: dict[str, list[str]] | None = None,
) -> None:
    gap = True
    for block in _blocks(container):
        if isinstance(block, Table):
            _emit_table(builder, block)
            gap = True
        elif block.text.strip():
            extra = first_line or {}
            _emit_paragraph(builder, block, gap, **extra)  # type: ignore[arg-type]
            first_line = None
            gap = False
        else:
            gap = True


def read_docx(data: bytes) -> ResumeText:
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise UnreadableDocument(
            "This file could not be read as a Word document; it may be damaged."
        ) from error
    builder = _Builder()
    seen_headers: set[str] = set()
    for section in document.sections:
        for paragraph in section.header.paragraphs:
            if paragraph.text.strip() and paragraph.text not in seen_headers:
                seen_headers.add(paragraph.text)
                _emit_paragraph(builder, paragraph, True)
        for table in section.header.tables:
            _emit_table(builder, table)
    _emit_container(builder, document)
    seen_footers: set[str] = set()
    for section in document.sections:
        for paragraph in section.footer.paragraphs:
            if paragraph.text.strip() and paragraph.text not in seen_footers:
                seen_footers.add(paragraph.text)
                # Kept in the raw text, but a running footer is not content.
                _emit_paragraph(builder, paragraph, True, furniture=True)
    return builder.build("docx")

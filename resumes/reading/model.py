"""The text of a resume as read from its file: one raw string plus the layout of its lines."""

from __future__ import annotations

from dataclasses import dataclass, field


class UnreadableDocument(Exception):
    """The file cannot be read as a resume; ``message`` is safe to show to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Cell:
    """A run of text on a line, separated from its neighbours by a wide gap (a table column,
    a right-aligned date). ``start``/``end`` index into ``ResumeText.raw``."""

    start: int
    end: int
    text: str
    x0: float = 0.0
    x1: float = 0.0


@dataclass(frozen=True, slots=True)
class Line:
    """One visual line in reading order. ``start`` indexes into ``ResumeText.raw``; the line's
    text is ``raw[start:start + len(text)]``. Geometry is in points from the page's top left;
    plain-text formats leave it zero."""

    text: str
    start: int
    cells: tuple[Cell, ...]
    page: int = 0
    # Which column / side-by-side card of the page the line belongs to.
    block: int = 0
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0
    bold: bool = False
    # Icon glyphs printed before cells (from icon fonts): (cell index, "github").
    icons: tuple[tuple[int, str], ...] = ()
    # Link targets of cells (PDF link annotations): (cell index, URI).
    links: tuple[tuple[int, str], ...] = ()
    # A repeated page header/footer: kept in the raw text, not content.
    furniture: bool = False
    # A list item (bullet glyph, "- " or a Word list paragraph).
    bullet: bool = False
    # Starts a new block (a paragraph in DOCX/TXT, a vertical gap in PDF).
    gap_before: bool = False

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True, slots=True)
class ResumeText:
    """A document's text. ``raw`` is what evidence spans index into and what is stored as
    the resume version's raw content."""

    raw: str
    lines: tuple[Line, ...]
    kind: str
    pages: int = 1
    warnings: tuple[str, ...] = field(default=())


class _Builder:
    """Accumulates lines into one raw string while recording offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.lines: list[Line] = []

    def add(
        self,
        cells: list[tuple[str, float, float]],
        *,
        separator: str = "\t",
        **layout: object,
    ) -> Line | None:
        cells = [(t, a, b) for t, a, b in cells if t]
        if not cells:
            return None
        start = self.length
        built: list[Cell] = []
        pieces: list[str] = []
        offset = start
        for index, (text, x0, x1) in enumerate(cells):
            if index:
                pieces.append(separator)
                offset += len(separator)
            built.append(Cell(offset, offset + len(text), text, x0, x1))
            pieces.append(text)
            offset += len(text)
        text = "".join(pieces)
        line = Line(text=text, start=start, cells=tuple(built), **layout)  # type: ignore[arg-type]
        self.parts.append(text + "\n")
        self.length += len(text) + 1
        self.lines.append(line)
        return line

    def build(self, kind: str, pages: int = 1) -> ResumeText:
        return ResumeText(raw="".join(self.parts), lines=tuple(self.lines), kind=kind, pages=pages)

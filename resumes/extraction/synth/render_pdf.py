"""Hand-made PDF text layers through reportlab, with the quirks other producers write on
purpose:

- ``scaled``: every string set in a 1-pt font scaled up by the text matrix (what "Save as
  PDF" from Word on macOS writes);
- ``px``: font sizes in CSS pixels under a 0.75 text matrix (what Chromium writes);
- ``spaces``: word spaces written as other code points (no-break, en, thin spaces, or two);
- ``hyphens``: a hyphen written as U+2010 or as hyphen + soft hyphen;
- ``adjacent``: every word drawn as its own string, no space character between them;
- ``icons``: pictograph glyphs (outside the Private Use Area) before contact details;
- ``superscript``: small raised link markers after URLs;
- ``letterspaced``: headings set with wide character spacing.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from resumes.extraction.labels import Role
from resumes.extraction.synth.compose import paired, sidebar_parts
from resumes.extraction.synth.doc import Doc, Line

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation"))
FACES = {
    "DejaVuSans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "LiberationSans": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    "LiberationSerif": ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
}
ICONS = {
    "email": "✉",
    "phone": "☎",
    "location": "⌂",
    "website": "➚",
    "linkedin": "☍",
    "github": "⚙",
    "gitlab": "⚙",
}
SPACES = ("\u00a0", "\u2002", "\u2009 ", "  ", "\u00a0 ")


def _register() -> list[tuple[str, str]]:
    faces = []
    for name, (regular, bold) in FACES.items():
        paths = [d / f for f in (regular, bold) for d in FONT_DIRS if (d / f).is_file()]
        if len(paths) < 2:
            continue
        for face, path in ((name, paths[0]), (f"{name}-Bold", paths[1])):
            if face not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(face, str(path)))
        faces.append((name, f"{name}-Bold"))
    return faces


@dataclass
class Quirks:
    scaled: bool = False
    px: bool = False
    spaces: bool = False
    hyphens: bool = False
    adjacent: bool = False
    icons: bool = False
    superscript: bool = False
    letterspaced: bool = False
    # How headings stand out (drawn per document): scale of the body size, and weight.
    heading_scale: float = 1.25
    heading_bold: bool = True


@dataclass
class Pen:
    """Draws strings with the producer's quirks."""

    canvas: Canvas
    quirks: Quirks
    rng: random.Random
    regular: str
    bold: str
    links: int = 0

    def width(self, text: str, bold: bool, size: float) -> float:
        return float(pdfmetrics.stringWidth(text, self.bold if bold else self.regular, size))

    def _mangle(self, text: str) -> str:
        if self.quirks.hyphens and "-" in text:
            text = text.replace("-", self.rng.choice(("\u2010", "-\u00ad")))
        if self.quirks.spaces and " " in text:
            # Only the spaces the font has a glyph for, as a producer writes them.
            face = pdfmetrics.getFont(self.regular).face
            spaces = [s for s in SPACES if all(ord(c) in face.charToGlyph for c in s)]
            words = text.split(" ")
            text = words[0]
            for word in words[1:]:
                text += (self.rng.choice(spaces) if self.rng.random() < 0.5 else " ") + word
        return text

    def _draw(
        self, x: float, y: float, text: str, font: str, size: float, spacing: float = 0.0
    ) -> None:
        c = self.canvas
        t = c.beginText()
        if self.quirks.scaled:
            t.setTextTransform(size, 0, 0, size, x, y)
            t.setFont(font, 1)
            t.setCharSpace(spacing / size)
        elif self.quirks.px:
            t.setTextTransform(0.75, 0, 0, 0.75, x, y)
            t.setFont(font, size / 0.75)
            t.setCharSpace(spacing / 0.75)
        else:
            t.setTextOrigin(x, y)
            t.setFont(font, size)
            t.setCharSpace(spacing)
        t.textOut(text)
        c.drawText(t)

    def string(
        self, x: float, y: float, text: str, bold: bool, size: float, spacing: float = 0.0
    ) -> float:
        """Draw ``text`` at ``x``; return the x after it."""
        font = self.bold if bold else self.regular
        if self.quirks.adjacent and " " in text:
            space = self.width(" ", bold, size)
            for index, word in enumerate(text.split(" ")):
                if index:
                    x += space
                if word:
                    self._draw(x, y, self._mangle(word), font, size, spacing)
                    x += self.width(word, bold, size) + spacing * len(word)
            return x
        self._draw(x, y, self._mangle(text), font, size, spacing)
        return x + self.width(text, bold, size) + spacing * len(text)

    def icon(self, x: float, y: float, glyph: str, size: float) -> float:
        """A pictograph from a font that has it (DejaVu Sans)."""
        self._draw(x, y, glyph, "DejaVuSans", size)
        return x + float(pdfmetrics.stringWidth(glyph, "DejaVuSans", size))

    def marker(self, x: float, y: float, size: float) -> float:
        self.links += 1
        mark = str(self.links)
        self._draw(x + 0.5, y + size * 0.38, mark, self.regular, size * 0.55)
        return x + 0.5 + self.width(mark, False, size * 0.55)


@dataclass
class Column:
    pen: Pen
    x: float
    width: float
    top: float
    bottom: float
    y: float = 0.0
    page_break: Any = None
    pages: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.y = self.top

    def advance(self, height: float) -> None:
        if self.y - height < self.bottom:
            if self.page_break is None:
                self.y = self.bottom  # a sidebar never breaks: it runs out
                return
            self.page_break()
            self.y = self.top
        self.y -= height

    def write(
        self,
        line: Line,
        *,
        size: float,
        bold: bool = False,
        indent: float = 0.0,
        right: str | None = None,
        left: str | None = None,
        left_width: float = 0.0,
        spacing: float = 0.0,
        prefix: str = "",
    ) -> None:
        """Wrap ``line``'s spans into rows; ``right``/``left`` text sits on the first row."""
        pen = self.pen
        words: list[tuple[str, bool, tuple[str, ...]]] = []
        for span in line.spans:
            span_bold = bold or "bold" in span.style
            icons = [s[5:] for s in span.style if s.startswith("icon:")]
            if pen.quirks.icons and icons and icons[0] in ICONS:
                words.append((ICONS[icons[0]], False, ("icon",)))
            pieces = span.text.split(" ")
            for index, piece in enumerate(pieces):
                words.append((piece, span_bold, span.style if index == len(pieces) - 1 else ()))
                if index < len(pieces) - 1:
                    words.append((" ", span_bold, ()))
        x0 = self.x + indent + left_width
        limit = self.x + self.width - (pen.width(right, False, size) + 12 if right else 0)
        rows: list[list[tuple[str, bool, tuple[str, ...]]]] = [[]]
        x = x0 + pen.width(prefix, False, size)
        for word in words:
            w = pen.width(word[0], word[1], size) + spacing * len(word[0])
            if word[0] != " " and x + w > limit and rows[-1]:
                while rows[-1] and rows[-1][-1][0] == " ":
                    rows[-1].pop()
                rows.append([])
                x = x0 + pen.width(prefix, False, size)
                limit = self.x + self.width
            if word[0] == " " and not rows[-1]:
                continue
            rows[-1].append(word)
            x += w
        for number, row in enumerate(rows):
            self.advance(size * 1.35)
            y = self.y
            if number == 0 and left:
                pen.string(self.x + indent, y, left, False, size * 0.95)
            x = x0
            if number == 0 and prefix:
                pen.string(x, y, prefix, False, size)
            x += pen.width(prefix, False, size)
            # Consecutive words of one weight go out as one string (spaces included).
            run = ""
            run_bold = False
            for text, word_bold, style in row:
                if "icon" in style:
                    x = pen.string(x, y, run, run_bold, size, spacing) if run else x
                    run = ""
                    x = pen.icon(x, y, text, size) + pen.width(" ", False, size)
                    continue
                if run and word_bold != run_bold:
                    x = pen.string(x, y, run, run_bold, size, spacing)
                    run = ""
                run_bold = word_bold
                run += text
                if "link" in style and pen.quirks.superscript:
                    x = pen.string(x, y, run, run_bold, size, spacing)
                    run = ""
                    x = pen.marker(x, y, size)
            if run:
                pen.string(x, y, run, run_bold, size, spacing)
            if number == 0 and right:
                w = pen.width(right, False, size)
                pen.string(self.x + self.width - w, y, right, False, size)


def render_reportlab(doc: Doc, rng: random.Random, *, quirks: Quirks, layout: str) -> bytes:
    faces = _register()
    regular, bold = rng.choice(faces)
    buffer = io.BytesIO()
    pagesize = rng.choice((A4, LETTER))
    canvas = Canvas(buffer, pagesize=pagesize, invariant=True)
    canvas.setTitle(doc.person.basics.name)
    width, height = pagesize
    margin = rng.choice((42.0, 50.0, 56.0))
    pen = Pen(canvas, quirks, rng, regular, bold)
    body = rng.choice((9.5, 10.0, 10.5))
    quirks = replace(
        quirks, heading_scale=rng.choice((1.0, 1.1, 1.25, 1.25)), heading_bold=rng.random() < 0.7
    )
    main = Column(pen, margin, width - 2 * margin, height - margin, margin)
    main.page_break = canvas.showPage
    columns = {"main": main}
    lines = doc.lines
    if layout in ("sidebar-left", "sidebar-right"):
        side_width = (width - 2 * margin) * 0.3
        head, side_lines, main_lines = sidebar_parts(lines)
        for line in head:
            _write(main, line, None, body, quirks, layout="one")
        main.advance(body)
        top = main.y
        side_x = margin if layout == "sidebar-left" else width - margin - side_width
        main_x = margin + side_width + 18 if layout == "sidebar-left" else margin
        side = Column(pen, side_x, side_width, top, margin)
        main.x, main.width, main.top, main.y = (
            main_x,
            width - 2 * margin - side_width - 18,
            top,
            top,
        )
        columns["side"] = side
        for line, aside in paired(side_lines):
            _write(side, line, aside, body * 0.95, quirks, layout="one")

        def page_break() -> None:
            canvas.showPage()
            main.top = height - margin
            main.x, main.width = margin, width - 2 * margin

        main.page_break = page_break
    else:
        main_lines = lines
    for line, aside in paired(main_lines):
        _write(main, line, aside, body, quirks, layout=layout)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _write(
    column: Column, line: Line, aside: Line | None, body: float, quirks: Quirks, *, layout: str
) -> None:
    role = line.role
    date_width = 78.0 if layout == "datecol" else 0.0
    if role is Role.NAME:
        column.write(line, size=body * 2.1, bold=True)
        column.advance(body * 0.4)
    elif role is Role.HEADING:
        column.advance(body * 0.7)
        spacing = 1.8 if quirks.letterspaced else 0.0
        column.write(
            line, size=body * quirks.heading_scale, bold=quirks.heading_bold, spacing=spacing
        )
        column.pen.canvas.setLineWidth(0.5)
        column.pen.canvas.line(column.x, column.y - 3, column.x + column.width, column.y - 3)
        column.advance(body * 0.35)
    elif aside is not None:
        if role is Role.ENTRY:
            column.advance(body * 0.35)
        if layout == "datecol":
            column.write(
                line, size=body, bold=role is Role.ENTRY, left=aside.text, left_width=date_width
            )
        else:
            column.write(line, size=body, bold=role is Role.ENTRY, right=aside.text)
    elif role is Role.BULLET:
        column.write(line, size=body, indent=date_width + 8, prefix="• ")
    else:
        if role is Role.ENTRY:
            column.advance(body * 0.35)
        indent = date_width if line.entry is not None else 0.0
        column.write(
            line,
            size=body * (0.9 if "small" in line.style else 1.0),
            bold=role is Role.ENTRY,
            indent=indent,
        )


def families(base_style: Any, sidebar_style: Any) -> list[Any]:
    from resumes.extraction.synth.families import Family

    out = []
    for name, quirks, layout, style in (
        ("rl-macword", Quirks(scaled=True, spaces=True, hyphens=True), "one", base_style),
        ("rl-pxmatrix", Quirks(px=True, adjacent=True, icons=True), "one", base_style),
        (
            "rl-datecol",
            Quirks(letterspaced=True, superscript=True, hyphens=True),
            "datecol",
            lambda r, lang: base_style(r, lang, dates_with_place=False),
        ),
        (
            "rl-sidebar-right",
            Quirks(scaled=True, adjacent=True, icons=True),
            "sidebar-right",
            sidebar_style,
        ),
    ):

        def render(
            d: Doc, r: random.Random, quirks: Quirks = quirks, layout: str = layout
        ) -> bytes:
            return render_reportlab(d, r, quirks=quirks, layout=layout)

        out.append(Family(name, "reportlab", "pdf", style, render))
    return out

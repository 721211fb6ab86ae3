"""Typst renderer (the ``typst`` package compiles in-process): one column with dates at the
right, a date column at the left, a shaded sidebar."""

from __future__ import annotations

import random
from typing import Any

import typst

from resumes.extraction.labels import Role
from resumes.extraction.synth.compose import paired, sidebar_parts
from resumes.extraction.synth.doc import Doc, Line

FONTS = (
    "Liberation Sans",
    "Liberation Serif",
    "DejaVu Sans",
    "Libertinus Serif",
    "New Computer Modern",
)
DATE_COLUMN = 2.9  # cm


def literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def content(line: Line, *, bold: bool = False, italic: bool = False) -> str:
    parts = []
    for span in line.spans:
        piece = f"#{literal(span.text)}"
        if bold or "bold" in span.style:
            piece = f"#strong[{piece}]"
        if italic:
            piece = f"#emph[{piece}]"
        parts.append(piece)
    return "[" + "".join(parts) + "]"


def _body(lines: list[Line], look: dict[str, Any]) -> str:
    out: list[str] = []
    indent = f"{DATE_COLUMN + 0.35:.2f}cm"
    for line, aside in paired(lines):
        role = line.role
        inner = content(line, bold=role is Role.ENTRY, italic="italic" in line.style)
        if role is Role.ENTRY and look["entry_size"] != "1em":
            inner = f"[#text(size: {look['entry_size']}, {inner})]"
        if role is Role.NAME:
            out.append(f'#text(size: {look["name"]}pt, weight: "bold", {inner})')
        elif role is Role.HEADING:
            out.append(f"#section_head({inner})")
        elif aside is not None:
            dates = content(aside)
            if look["dates"] == "left":
                out.append(
                    f"#grid(columns: ({DATE_COLUMN}cm, 1fr), column-gutter: 0.35cm, "
                    f"text(size: 0.9em, {dates}), {inner})"
                )
            else:
                out.append(
                    f"#grid(columns: (1fr, auto), column-gutter: 8pt, {inner}, "
                    f'text(style: "italic", {dates}))'
                )
        else:
            text = f"{look['marker']} {inner}" if role is Role.BULLET else f"#{inner}"
            if role is Role.BULLET:
                text = f"#grid(columns: (0.9em, 1fr), [{look['marker']}], {inner})"
            if look["dates"] == "left" and line.entry is not None:
                text = f"#pad(left: {indent})[{text}]"
            elif role in (Role.CONTACT, Role.HEADLINE) and look["center"]:
                text = f"#align(center)[{text}]"
            out.append(text)
    return "\n\n".join(out)


def render_typst(doc: Doc, rng: random.Random, *, dates: str, sidebar: bool) -> bytes:
    look = {
        "dates": dates,
        "name": rng.choice((18, 20, 22, 24)),
        # Entry names larger than the body in some templates, as large as headings even.
        "entry_size": rng.choice(("1em", "1em", "1em", "1.1em", "1.25em")),
        "marker": rng.choice(("•", "–", "▪")),
        "center": rng.random() < 0.4,
    }
    font = rng.choice(FONTS)
    size = rng.choice((9.5, 10, 10.5, 11))
    rule = "line(length: 100%, stroke: 0.5pt)" if rng.random() < 0.6 else "v(0pt)"
    head_case = "upper(t)" if rng.random() < 0.4 else "t"
    head_size = rng.choice(("1em", "1.1em", "1.25em", "1.25em"))
    head_weight = rng.choice(("regular", "semibold", "bold", "bold"))
    head_fill = rng.choice(("black", 'rgb("#1f4e79")', 'rgb("#8a2d2d")'))
    preamble = f"""#set page(paper: "{rng.choice(("a4", "us-letter"))}", margin: 1.7cm)
#set text(font: ({literal(font)},), size: {size}pt)
#set par(spacing: 0.6em, leading: 0.5em)
#let section_head(t) = block(above: 1.1em, below: 0.6em)[
  #text(size: {head_size}, weight: "{head_weight}", fill: {head_fill})[#{head_case}]
  #v(-0.5em)
  #{rule}
]
"""
    if sidebar:
        head, side, body = sidebar_parts(doc.lines)
        source = (
            preamble
            + _body(head, look)
            + "\n\n#grid(columns: (5.2cm, 1fr), column-gutter: 0.6cm,\n"
            + f'block(fill: rgb("#eef2f5"), inset: 8pt, width: 100%)[\n{_body(side, look)}\n],\n'
            + f"[\n{_body(body, look)}\n])\n"
        )
    else:
        source = preamble + _body(doc.lines, look) + "\n"
    return bytes(typst.compile(source.encode()))


def families(base_style: Any, sidebar_style: Any) -> list[Any]:
    from resumes.extraction.synth.families import Family

    out = []
    for name, dates, sidebar, style in (
        ("classic", "right", False, base_style),
        ("datecol", "left", False, lambda r, lang: base_style(r, lang, dates_with_place=False)),
        ("sidebar", "right", True, sidebar_style),
    ):

        def render(d: Doc, r: random.Random, dates: str = dates, sidebar: bool = sidebar) -> bytes:
            return render_typst(d, r, dates=dates, sidebar=sidebar)

        out.append(Family(f"typst-{name}", "typst", "pdf", style, render))
    return out

"""HTML/CSS templates printed to PDF by headless Chromium (Debian's ``chromium``): one and
two columns, sidebars left and right, date columns left and right, a Europass-like grid and
an academic CV."""

from __future__ import annotations

import html
import random
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from resumes.extraction.labels import Role
from resumes.extraction.synth.compose import Style, paired
from resumes.extraction.synth.doc import Doc, Line

CHROMIUM = "chromium"
FONTS = (
    '"Liberation Sans", Arial, sans-serif',
    '"DejaVu Sans", sans-serif',
    '"Liberation Serif", Georgia, serif',
    '"DejaVu Serif", serif',
)
ICONS = {
    "email": "✉",
    "phone": "☎",
    "location": "⌂",
    "website": "⌘",
    "linkedin": "in",
    "github": "⚙",
    "gitlab": "⚙",
}


def _spans(line: Line, icons: bool) -> str:
    out = []
    for span in line.spans:
        text = html.escape(span.text)
        if "bold" in span.style:
            text = f"<b>{text}</b>"
        if "link" in span.style:
            target = span.text if span.text.startswith("http") else f"https://{span.text}"
            text = f'<a href="{html.escape(target)}">{text}</a>'
        icon = next((s[5:] for s in span.style if s.startswith("icon:")), None)
        if icons and icon in ICONS:
            text = f'<span class="icon">{ICONS[icon]}</span>{text}'
        out.append(text)
    return "".join(out)


CLASSES = {
    Role.NAME: "name",
    Role.HEADLINE: "headline",
    Role.CONTACT: "contact",
    Role.HEADING: "heading",
    Role.ENTRY: "entry",
    Role.DETAIL: "detail",
    Role.BULLET: "bullet",
    Role.TEXT: "text",
    Role.SKILLS: "skills",
    Role.KEYWORDS: "keywords",
    Role.SUBHEADING: "sub",
    Role.OTHER: "text",
}


def _line(line: Line, icons: bool) -> str:
    classes = [CLASSES.get(line.role, "text")] + [h for h in ("italic", "small") if h in line.style]
    tag = "li" if line.role is Role.BULLET else "div"
    return f'<{tag} class="{" ".join(classes)}">{_spans(line, icons)}</{tag}>'


def _groups(lines: list[Line]) -> list[list[Line]]:
    """Consecutive lines of one entry together; every other line alone."""
    groups: list[list[Line]] = []
    for line in lines:
        if (
            line.entry is not None
            and groups
            and groups[-1][0].entry == line.entry
            and groups[-1][0].section == line.section
            and line.role is not Role.HEADING
            and groups[-1][0].role is not Role.HEADING
        ):
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _flow(lines: list[Line], layout: str, icons: bool, cards: tuple[str, ...] = ()) -> str:
    """The lines of one column, entries laid out as ``layout`` says; the entries of the
    ``cards`` sections set as cards, two side by side."""
    out: list[str] = []
    deck: list[str] = []
    for group in _groups(lines):
        head = group[0]
        card = head.entry is not None and head.section.value in cards
        if deck and not card:
            out.append(f'<div class="cards">{"".join(deck)}</div>')
            deck = []
        if card:
            deck.append(f'<div class="card">{_flow(group, layout, icons)}</div>')
            continue
        if head.role is Role.HEADING:
            if layout == "europass":
                out.append(
                    f'<div class="eu-row"><div class="eu-label heading">{_spans(head, icons)}'
                    '</div><div class="eu-rule"></div></div>'
                )
            else:
                out.append(_line(head, icons))
            continue
        if head.entry is None or (len(group) == 1 and head.role is not Role.ENTRY):
            out.append(
                _line(head, icons)
                if head.role is not Role.BULLET
                else f"<ul>{_line(head, icons)}</ul>"
            )
            continue
        dates = [ln for ln in group if "dates" in ln.style]
        rest = [ln for ln in group if "dates" not in ln.style]
        body = _items(rest, icons)
        date_html = "".join(f'<div class="date">{_spans(d, icons)}</div>' for d in dates)
        if layout in ("datecol-left", "europass", "academic"):
            out.append(
                f'<div class="dl">{"<div class=dcell>" + date_html + "</div>"}'
                f'<div class="dbody">{body}</div></div>'
            )
        elif layout == "datecol-right":
            out.append(
                f'<div class="dr"><div class="dbody">{body}</div>'
                f'<div class="dcell">{date_html}</div></div>'
            )
        else:
            # Dates at the right of the entry's first line.
            pairs = paired(group)
            parts = []
            for line, aside in pairs:
                if aside is not None:
                    parts.append(
                        f'<div class="row">{_line(line, icons)}'
                        f'<div class="date">{_spans(aside, icons)}</div></div>'
                    )
                else:
                    parts.append(_line(line, icons))
            out.append(f'<div class="item">{_wrap_bullets(parts)}</div>')
    if deck:
        out.append(f'<div class="cards">{"".join(deck)}</div>')
    return "\n".join(out)


def _wrap_bullets(parts: list[str]) -> str:
    out: list[str] = []
    in_list = False
    for part in parts:
        if part.startswith("<li"):
            if not in_list:
                out.append("<ul>")
                in_list = True
        elif in_list:
            out.append("</ul>")
            in_list = False
        out.append(part)
    if in_list:
        out.append("</ul>")
    return "".join(out)


def _items(lines: list[Line], icons: bool) -> str:
    return _wrap_bullets([_line(ln, icons) for ln in lines])


CSS = """
@page { size: %(page)s; margin: %(margin)s; }
body { font-family: %(font)s; font-size: %(size)spx; color: #222; margin: 0; line-height: 1.3; }
.name { font-size: %(name)spx; font-weight: 700; %(name_align)s }
.headline { font-size: 1.1em; color: #555; %(name_align)s }
.contact { margin: 1px 0; %(contact_align)s }
.heading { font-size: %(heading_size)sem; font-weight: %(heading_weight)s; color: %(accent)s;
  margin: 14px 0 6px; %(heading)s }
.entry { font-weight: %(entry_weight)s; font-size: %(entry_size)sem; margin-top: 7px; }
.item { margin-bottom: 4px; }
.detail.italic { font-style: italic; }
.small { font-size: 0.88em; }
ul { margin: 2px 0 2px 0; padding-left: 18px; list-style-type: %(bullet)s; }
li { margin: 1px 0; }
.row { display: flex; justify-content: space-between; gap: 12px; align-items: baseline; }
.row .entry, .row .detail { margin-top: 0; }
.date { white-space: nowrap; color: #444; }
.dl { display: grid; grid-template-columns: %(date_col)spx 1fr; column-gap: %(gap)spx;
  margin-top: 6px; }
.dr { display: grid; grid-template-columns: 1fr %(date_col)spx; column-gap: %(gap)spx;
  margin-top: 6px; }
.dr .dcell { text-align: right; }
.dl .entry, .dr .entry { margin-top: 0; }
.icon { font-family: "DejaVu Sans"; margin-right: 4px; }
a { color: inherit; text-decoration: none; }
.page { display: grid; grid-template-columns: %(columns)s; column-gap: 22px; }
.side { %(side_css)s }
.eu-row { display: grid; grid-template-columns: %(date_col)spx 1fr; column-gap: %(gap)spx;
  align-items: center; margin-top: 10px; }
.eu-label { text-align: right; }
.eu-label.heading { margin: 0; font-size: 1.05em; }
.eu-rule { border-top: 1px solid #7a9; }
.cards { display: grid; grid-template-columns: 1fr 1fr; column-gap: 20px; row-gap: 6px; }
.europass .dcell { text-align: right; color: #335; }
"""


def render_html(doc: Doc, rng: random.Random, *, layout: str) -> str:
    icons = rng.random() < 0.5
    # Projects and certificates as cards, two to a row (entries side by side).
    cards = ("projects", "certificates") if rng.random() < 0.3 else ()
    upper = rng.random() < 0.5
    serif = layout == "academic"
    values = {
        "page": rng.choice(("A4", "letter")),
        "margin": rng.choice(("14mm", "18mm", "12mm 16mm")),
        "font": FONTS[rng.choice((2, 3))] if serif else FONTS[rng.choice((0, 1, 0))],
        "size": rng.choice((12, 13, 13.5, 14)),
        "name": rng.choice((26, 30, 34)),
        "name_align": "text-align: center;" if serif or rng.random() < 0.3 else "",
        "contact_align": "text-align: center;" if serif else "",
        "heading": (
            f"text-transform: uppercase; letter-spacing: {rng.choice((0.05, 0.12, 0.2))}em;"
            if upper
            else ""
        )
        + ("border-bottom: 1px solid #999;" if rng.random() < 0.6 else ""),
        # Headings and entries are not always bigger or bolder: some templates set them
        # apart by colour alone.
        "heading_size": rng.choice((1.0, 1.0, 1.1, 1.2, 1.4)),
        "heading_weight": rng.choice((400, 600, 700, 700)),
        "accent": rng.choice(("#222", "#1f4e79", "#8a2d2d", "#2d6a4f")),
        "entry_weight": rng.choice((400, 600, 700)),
        # Entry names larger than the body in some templates, as large as headings even.
        "entry_size": rng.choice((1.0, 1.0, 1.0, 1.1, 1.2)),
        "bullet": rng.choice(("disc", "circle", "square", '"– "', '"▸ "')),
        "date_col": rng.choice((96, 110, 130)),
        "gap": rng.choice((8, 14, 24, 40)),
        "columns": "1fr",
        "side_css": "",
    }
    lines = doc.lines
    # A date column wide enough for the longest date printed (a fixed width, as templates do).
    longest = max((len(ln.text) for ln in lines if "dates" in ln.style), default=0)
    values["date_col"] = max(int(values["date_col"]), int(longest * float(values["size"]) * 0.58))
    entry_layout = {
        "datecol-left": "datecol-left",
        "datecol-right": "datecol-right",
        "europass": "europass",
        "academic": "academic",
    }.get(layout, "right")
    head = [ln for ln in lines if ln.section.value == "header" and "side" not in ln.style]
    rest = [ln for ln in lines if ln not in head]
    side = [ln for ln in rest if "side" in ln.style]
    main = [ln for ln in rest if "side" not in ln.style]
    header_html = "\n".join(_line(ln, icons) for ln in head)
    main_html, side_html = _flow(main, entry_layout, icons, cards), _flow(side, "right", icons)
    if side:
        shade = rng.choice(("#eef1f4", "#f4efe8", "#e8f0ec", "#ffffff"))
        values["side_css"] = f"background: {shade}; padding: 10px;"
        if layout == "sidebar-left":
            values["columns"] = "32% 1fr"
            body = (
                f'<div class="page"><div class="side">{side_html}</div>'
                f'<div class="main">{main_html}</div></div>'
            )
        elif layout == "sidebar-right":
            values["columns"] = "1fr 31%"
            body = (
                f'<div class="page"><div class="main">{main_html}</div>'
                f'<div class="side">{side_html}</div></div>'
            )
        else:  # two columns of equal weight
            values["columns"] = "1.25fr 1fr"
            values["side_css"] = ""
            body = (
                f'<div class="page"><div class="main">{main_html}</div>'
                f'<div class="side">{side_html}</div></div>'
            )
        if rng.random() < 0.5 and layout != "twocol":
            header_html = f'<div class="side" style="margin-bottom:10px">{header_html}</div>'
    else:
        body = f'<div class="{layout}">{main_html}</div>'
    css = CSS % values
    language = doc.person.language
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        f"<style>{css}</style></head><body>{header_html}{body}</body></html>"
    )


def print_pdf(page: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "resume.html", Path(folder) / "resume.pdf"
        source.write_text(page, encoding="utf-8")
        subprocess.run(  # noqa: S603 - a fixed binary, files we wrote
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-pdf-header-footer",
                f"--user-data-dir={folder}/profile",
                f"--print-to-pdf={target}",
                source.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return target.read_bytes()


def families(base_style: Any, sidebar: Callable[[tuple[str, ...]], Any]) -> list[Any]:
    from resumes.extraction.synth.families import Family

    def twocol(rng: random.Random, language: str) -> Style:
        style: Style = sidebar(("education", "skills", "certificates"))(rng, language)
        return style

    def academic(rng: random.Random, language: str) -> Style:
        style: Style = base_style(
            rng,
            language,
            order=("summary", "education", "work", "projects", "certificates", "skills"),
            entry="one-line",
            degree="degree-first",
            dates_with_place=False,
        )
        return style

    def europass(rng: random.Random, language: str) -> Style:
        style: Style = base_style(
            rng, language, contact="lines", heading_case="as-is", dates_with_place=False
        )
        return style

    def datecol(rng: random.Random, language: str) -> Style:
        style: Style = base_style(rng, language, dates_with_place=False)
        return style

    layouts: list[tuple[str, Any]] = [
        ("onecol", base_style),
        ("twocol", twocol),
        ("sidebar-left", sidebar(("contact", "skills", "certificates"))),
        ("sidebar-right", sidebar(("skills", "certificates"))),
        ("datecol-left", datecol),
        ("datecol-right", datecol),
        ("europass", europass),
        ("academic", academic),
    ]
    out = []
    for layout, style in layouts:

        def render(d: Doc, r: random.Random, layout: str = layout) -> bytes:
            return print_pdf(render_html(d, r, layout=layout))

        out.append(Family(f"html-{layout}", "chromium", "pdf", style, render, needs=CHROMIUM))
    return out

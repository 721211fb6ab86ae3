"""LaTeX renderer, compiled by pdfTeX or by XeTeX (whose PDFs xdvipdfmx writes), as many
academic and technical CVs are made. What their text layers hold that other producers' do
not: Type 1 fonts with no space characters (PDFium infers the spaces from the gaps),
ligatures, words hyphenated at line ends, small-capital or ruled headings, list markers from
a maths font, justified paragraphs, page numbers. Layouts: dates pushed right by ``\\hfill``,
a date column at the left (as moderncv sets it), a sidebar as a second column (paracol)."""

from __future__ import annotations

import os
import random
import re
import subprocess
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

from resumes.extraction.labels import Role
from resumes.extraction.synth.compose import paired, sidebar_parts
from resumes.extraction.synth.doc import Doc, Line, Span

# pdfTeX's fonts, by their packages; XeTeX's, by family name (fontspec).
PDFTEX_FONTS = (
    "\\usepackage{lmodern}",
    "\\usepackage{lmodern}",
    "\\usepackage{mathptmx}",
    "\\usepackage{mathpazo}",
    "\\usepackage{charter}",
    "\\usepackage[scaled]{helvet}\\renewcommand{\\familydefault}{\\sfdefault}",
)
XETEX_FONTS = (
    "Latin Modern Roman",
    "DejaVu Serif",
    "DejaVu Sans",
    "Liberation Serif",
    "Liberation Sans",
)
MARKERS = ("\\textbullet", "$\\circ$", "--", "$\\bullet$", "$\\triangleright$", "$\\cdot$")
# Characters LaTeX reads as commands, and those pdfTeX's default encoding has no glyph for.
_ESCAPES = {
    "\\": "\\textbackslash{}",
    "{": "\\{",
    "}": "\\}",
    "$": "\\$",
    "&": "\\&",
    "#": "\\#",
    "^": "\\^{}",
    "_": "\\_",
    "%": "\\%",
    "~": "\\textasciitilde{}",
    "<": "\\textless{}",
    ">": "\\textgreater{}",
    "|": "\\textbar{}",
    "\u00a0": "~",
    "\u2009": "\\,",
    "\u202f": "\\,",
    "\u2002": "\\enspace{}",
    "▪": "\\ensuremath{\\scriptscriptstyle\\blacksquare}",
    "→": "\\ensuremath{\\rightarrow}",
    "★": "\\ensuremath{\\star}",
}
# "--", "``", "?`" and the like are ligatures to TeX: an empty group between keeps them apart.
_LIGATURE = re.compile(r"(?<=[-`'?!])(?=[-`'])|(?<=[?!])(?=`)")
DATE_COLUMN = 2.6  # cm


def tex(text: str) -> str:
    """``text`` as LaTeX prints it: specials escaped, runs of spaces a quad."""
    out = _LIGATURE.sub("{}", "".join(_ESCAPES.get(char, char) for char in text))
    return re.sub(r" {2,}", "\\\\quad ", out)


def _link(span: Span) -> str | None:
    text = span.text.strip()
    if "@" in text and " " not in text:
        return f"mailto:{text}"
    if re.match(r"(https?://)?[\w-]+(\.[\w-]+)+(/\S*)?$", text):
        return text if text.startswith("http") else f"https://{text}"
    return None


def content(line: Line, *, bold: bool = False, italic: bool = False) -> str:
    parts = []
    for span in line.spans:
        piece = tex(span.text)
        if "link" in span.style and (target := _link(span)):
            piece = f"\\href{{{tex(target)}}}{{{piece}}}"
        if "bold" in span.style and not bold:
            piece = f"\\textbf{{{piece}}}"
        parts.append(piece)
    text = "".join(parts)
    if bold:
        text = f"\\textbf{{{text}}}"
    if italic:
        text = f"\\textit{{{text}}}"
    return text


def _heading(look: dict[str, Any], inner: str) -> str:
    head = {
        "ruled": f"{{\\large\\bfseries {inner}}}\\par\\vspace{{-0.6ex}}"
        "\\rule{\\linewidth}{0.4pt}",
        "smallcaps": f"{{\\Large\\scshape {inner}}}",
        "coloured": f"{{\\large\\bfseries\\color{{headcolour}} {inner}}}",
        "underlined": f"{{\\bfseries\\MakeUppercase{{{inner}}}}}\\par\\vspace{{-0.4ex}}"
        "\\rule{\\linewidth}{0.8pt}",
    }[look["heading"]]
    return f"\\par\\vspace{{1.2ex}}\\noindent {head}\\par\\vspace{{0.5ex}}"


def _body(lines: list[Line], look: dict[str, Any], *, column: bool) -> str:
    """The lines as paragraphs; bullets as itemize lists; dates beside their entries."""
    out: list[str] = []
    in_list = False
    datecol = look["dates"] == "left" and not column
    offset = f"{DATE_COLUMN + 0.4:.1f}cm"
    for line, aside in paired(lines):
        role = line.role
        if in_list and role is not Role.BULLET:
            out.append("\\end{itemize}")
            in_list = False
        bold = role is Role.ENTRY and "bold" in line.style
        inner = content(line, bold=bold, italic="italic" in line.style)
        if role is Role.ENTRY and look["entry_size"]:
            inner = f"{{{look['entry_size']} {inner}}}"
        if "small" in line.style:
            inner = f"{{\\small {inner}}}"
        if role is Role.NAME:
            out.append(f"{{{look['name']}\\bfseries {inner}}}\\par\\vspace{{0.6ex}}")
        elif role is Role.HEADING:
            out.append(_heading(look, inner))
        elif role is Role.BULLET:
            if not in_list:
                indent = offset if datecol else "1.2em"
                out.append(
                    f"\\begin{{itemize}}[leftmargin={indent},itemsep=0pt,topsep=1pt,"
                    f"parsep=0pt,label={{{look['marker']}}}]"
                )
                in_list = True
            out.append(f"\\item {inner}")
        elif aside is not None and datecol:
            dates = content(aside)
            out.append(
                f"\\noindent\\makebox[{DATE_COLUMN}cm][{look['align']}]{{\\small {dates}}}"
                f"\\hspace{{0.4cm}}\\parbox[t]{{\\dimexpr\\linewidth-{offset}}}{{{inner}}}\\par"
            )
        elif aside is not None:
            out.append(f"\\noindent {inner}\\hfill {{\\itshape {content(aside)}}}\\par")
        elif datecol and line.entry is not None:
            out.append(f"\\noindent\\hangindent={offset}\\hangafter=0 {inner}\\par")
        elif role in (Role.CONTACT, Role.HEADLINE) and look["center"]:
            out.append(f"{{\\centering {inner}\\par}}")
        else:
            out.append(f"\\noindent {inner}\\par")
    if in_list:
        out.append("\\end{itemize}")
    return "\n".join(out)


def source(doc: Doc, rng: random.Random, *, engine: str, dates: str, sidebar: bool) -> str:
    """The LaTeX document."""
    look = {
        "dates": dates,
        "name": rng.choice(("\\LARGE", "\\huge", "\\Huge")),
        "entry_size": rng.choice(("", "", "", "\\large")),
        "marker": rng.choice(MARKERS),
        "center": rng.random() < 0.4,
        "heading": rng.choice(("ruled", "smallcaps", "coloured", "underlined")),
        "align": rng.choice(("l", "r")),
    }
    if engine == "xelatex":
        fonts = f"\\usepackage{{fontspec}}\n\\setmainfont{{{rng.choice(XETEX_FONTS)}}}"
    else:
        fonts = "\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n" + rng.choice(
            PDFTEX_FONTS
        )
    ragged = "\\raggedright" if rng.random() < 0.5 else ""  # else justified
    paper = rng.choice(("a4paper", "letterpaper"))
    size = rng.choice(("10pt", "11pt", "11pt", "12pt"))
    colour = rng.choice(("0.12,0.3,0.47", "0.54,0.18,0.18", "0.2,0.2,0.2"))
    preamble = f"""\\documentclass[{size},{paper}]{{article}}
{fonts}
\\usepackage{{amssymb}}
\\usepackage[margin={rng.choice(("1.5cm", "1.8cm", "2cm", "2.5cm"))}]{{geometry}}
\\usepackage{{xcolor}}
\\usepackage{{enumitem}}
\\usepackage{{paracol}}
\\usepackage[hidelinks]{{hyperref}}
\\definecolor{{headcolour}}{{rgb}}{{{colour}}}
\\setlength{{\\parindent}}{{0pt}}
\\setlength{{\\parskip}}{{{rng.choice(("0pt", "2pt", "3pt"))}}}
\\pagestyle{{{"plain" if rng.random() < 0.3 else "empty"}}}
\\begin{{document}}
{ragged}
"""
    if sidebar:
        head, side, rest = sidebar_parts(doc.lines)
        body = (
            _body(head, look, column=False)
            + f"\n\\columnratio{{{rng.choice((0.28, 0.3, 0.33))}}}\n"
            + f"\\setlength{{\\columnsep}}{{{rng.choice(('0.6cm', '0.8cm', '1cm'))}}}\n"
            + "\\begin{paracol}{2}\n{\\small\\raggedright\n"
            + _body(side, look, column=True)
            + "\n\\par}\n\\switchcolumn\n"
            + _body(rest, look, column=True)
            + "\n\\end{paracol}\n"
        )
    else:
        body = _body(doc.lines, look, column=False)
    return preamble + body + "\n\\end{document}\n"


def render_latex(doc: Doc, rng: random.Random, *, engine: str, dates: str, sidebar: bool) -> bytes:
    text = source(doc, rng, engine=engine, dates=dates, sidebar=sidebar)
    with tempfile.TemporaryDirectory(prefix="synth-tex-") as work:
        folder = Path(work)
        (folder / "cv.tex").write_text(text, encoding="utf-8")
        # The same PDF from the same source: no dates or ids from the clock.
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "FORCE_SOURCE_DATE": "1"}
        done = subprocess.run(  # noqa: S603
            [engine, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "cv.tex"],
            cwd=folder,
            env=env,
            capture_output=True,
            timeout=120,
            check=False,
        )
        pdf = folder / "cv.pdf"
        if done.returncode != 0 or not pdf.is_file():
            log = done.stdout.decode(errors="replace")[-2000:]
            raise RuntimeError(f"{engine} failed:\n{log}")
        return pdf.read_bytes()


def families(base_style: Any, sidebar_style: Any) -> list[Any]:
    from resumes.extraction.synth.families import Family

    out = []
    for name, engine, dates, sidebar, style in (
        ("latex-classic", "pdflatex", "right", False, base_style),
        (
            "latex-datecol",
            "xelatex",
            "left",
            False,
            lambda r, lang: base_style(r, lang, dates_with_place=False),
        ),
        ("latex-sidebar", "pdflatex", "right", True, sidebar_style),
    ):
        render = partial(render_latex, engine=engine, dates=dates, sidebar=sidebar)
        out.append(Family(name, engine, "pdf", style, render, needs=engine))
    return out

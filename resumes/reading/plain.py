"""Plain text and Markdown: the file's text is the raw text, line by line; a Markdown link
reads as its text, with its target kept as the line's link."""

from __future__ import annotations

import re
from dataclasses import replace

from resumes.reading.model import Cell, Line, ResumeText

# Columns in plain text: a tab or a run of three or more spaces.
_CELL = re.compile(r"[^\t]+?(?=\t| {3,}|$)")
_BULLET = re.compile(r"^\s*(?:[-*+•◦▪‣·–]|\d{1,2}[.)])\s+")
# A ruler: one drawing character repeated (an underline under a heading, a separator).
_RULER = re.compile(r"^\s*([-=_~*#─━═—–+.·])\1{2,}\s*$")
# A Markdown inline link or image: "[text](target)", "![alt](src)".
_LINK = re.compile(r"!?\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")


def _unlink(row: str) -> tuple[str, list[tuple[int, str]]]:
    """A Markdown row as it reads, each link shown as its text (an image as nothing), and the
    links' targets with where their text starts in the row as it reads."""
    out: list[str] = []
    targets: list[tuple[int, str]] = []
    length = end = 0
    for match in _LINK.finditer(row):
        out.append(row[end : match.start()])
        length += match.start() - end
        end = match.end()
        if match.group().startswith("!"):
            continue
        targets.append((length, match.group(2)))
        out.append(match.group(1))
        length += len(match.group(1))
    out.append(row[end:])
    return "".join(out), targets


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ():
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_text(text: str, kind: str = "txt") -> ResumeText:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not raw.endswith("\n"):
        raw += "\n"
    rows = raw.split("\n")[:-1]
    # Markdown reads as it renders: a link is its text; its target is the line's link.
    targets: list[list[tuple[int, str]]] = [[] for _ in rows]
    if kind == "md":
        unlinked = [_unlink(row) for row in rows]
        rows = [row for row, _ in unlinked]
        targets = [found for _, found in unlinked]
        raw = "".join(f"{row}\n" for row in rows)
    lines: list[Line] = []
    offset = 0
    blank = False
    for row, links in zip(rows, targets, strict=True):
        stripped = row.strip()
        if not stripped:
            blank = True
            offset += len(row) + 1
            continue
        if _RULER.match(row):
            # Decoration, not content; the line it underlines is a heading.
            if lines and not blank and not lines[-1].furniture and not lines[-1].bullet:
                lines[-1] = replace(lines[-1], bold=True)
            lines.append(
                Line(
                    text=stripped,
                    start=offset + len(row) - len(row.lstrip()),
                    cells=(
                        Cell(
                            offset + len(row) - len(row.lstrip()),
                            offset + len(row) - len(row.lstrip()) + len(stripped),
                            stripped,
                        ),
                    ),
                    furniture=True,
                    gap_before=blank,
                )
            )
            blank = False
            offset += len(row) + 1
            continue
        lead = len(row) - len(row.lstrip())
        cells = tuple(
            Cell(offset + m.start(), offset + m.end(), m.group().strip())
            for m in _CELL.finditer(row)
            if m.group().strip()
        )
        cells = tuple(
            Cell(
                c.start + (len(raw[c.start : c.end]) - len(raw[c.start : c.end].lstrip())),
                c.start + len(raw[c.start : c.end].rstrip()),
                c.text,
            )
            for c in cells
        )
        lines.append(
            Line(
                text=row.rstrip()[lead:],
                start=offset + lead,
                cells=cells,
                links=tuple(
                    (
                        next(
                            (n for n, c in enumerate(cells) if at < c.end - offset),
                            len(cells) - 1,
                        ),
                        target,
                    )
                    for at, target in links
                ),
                x0=float(lead),
                size=10.0,
                bullet=bool(_BULLET.match(row)),
                gap_before=blank,
                bold=stripped.startswith("**") or stripped.startswith("#"),
            )
        )
        blank = False
        offset += len(row) + 1
    return ResumeText(raw=raw, lines=tuple(lines), kind=kind)

"""Plain text and Markdown renderers."""

from __future__ import annotations

from dataclasses import dataclass

from resumes.extraction.labels import Role
from resumes.extraction.synth.compose import paired
from resumes.extraction.synth.doc import Doc, Line


@dataclass(frozen=True)
class TextLook:
    heading: str = "ruler"  # "ruler" (underlined with =/-), "caps", "colon"
    ruler: str = "="
    dates: str = "right"  # "right" (padded to the width), "below", "inline"
    bullet: str = "- "
    width: int = 86


def render_txt(doc: Doc, look: TextLook) -> bytes:
    out: list[str] = []
    for line, aside in paired(doc.lines):
        text = line.text
        if line.role is Role.HEADING:
            out.append("")
            if look.heading == "caps":
                out.append(text.upper())
            elif look.heading == "colon":
                out.append(text + ":")
            else:
                out.append(text)
                out.append(look.ruler * len(text))
            continue
        if line.role is Role.ENTRY and out and out[-1] and not out[-1].startswith(look.ruler):
            out.append("")
        if line.role is Role.BULLET:
            text = look.bullet + text
        elif line.role in (Role.TEXT, Role.KEYWORDS) and line.entry is not None:
            text = "  " + text
        if aside is not None:
            dates = aside.text
            if look.dates == "right":
                text = text + " " * max(3, look.width - len(text) - len(dates)) + dates
            elif look.dates == "inline":
                text = f"{text} ({dates})"
            else:
                out.append(text)
                text = dates
        out.append(text)
    return ("\n".join(out).strip() + "\n").encode()


def _md_spans(line: Line) -> str:
    parts = []
    for span in line.spans:
        text = span.text
        if "link" in span.style:
            target = text if text.startswith("http") else f"https://{text}"
            text = f"[{text}]({target})"
        elif "bold" in span.style and text.strip():
            text = f"**{text}**"
        parts.append(text)
    return "".join(parts)


def render_md(doc: Doc, look: TextLook) -> bytes:
    out: list[str] = []
    for line, aside in paired(doc.lines):
        text = _md_spans(line)
        if line.role is Role.NAME:
            out += [f"# {text}", ""]
            continue
        if line.role is Role.HEADING:
            out += ["", f"## {text}", ""]
            continue
        if line.role is Role.ENTRY:
            out += ["", f"### {text}"]
            if aside is not None:
                out[-1] += f" · {aside.text}" if look.dates == "inline" else ""
                if look.dates != "inline":
                    out.append(f"*{aside.text}*")
            out.append("")
            continue
        if line.role is Role.BULLET:
            out.append(f"{look.bullet}{text}")
            continue
        if "italic" in line.style and text.strip():
            text = f"*{text}*"
        if aside is not None:
            text = f"{text} · {aside.text}"
        out += [text, ""] if line.role in (Role.TEXT, Role.OTHER, Role.HEADLINE) else [text + "  "]
    cleaned: list[str] = []
    for row in out:
        if not row and cleaned and not cleaned[-1]:
            continue
        cleaned.append(row)
    return ("\n".join(cleaned).strip() + "\n").encode()

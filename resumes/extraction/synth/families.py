"""Template families: a style (what is printed, in which words) and a renderer (how, by which
producer). ``generate`` writes a corpus from a seed."""

from __future__ import annotations

import random
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from resumes.extraction.synth.compose import Style, compose, date_style
from resumes.extraction.synth.doc import Doc
from resumes.extraction.synth.people import LANGUAGES, make_person
from resumes.extraction.synth.render_text import TextLook, render_md, render_txt

StyleMaker = Callable[[random.Random, str], Style]
Renderer = Callable[[Doc, random.Random], bytes]


@dataclass(frozen=True)
class Family:
    name: str
    producer: str
    ext: str  # the file written
    style: StyleMaker
    render: Renderer
    # An executable the producer needs ("libreoffice", "chromium"); None: the venv suffices.
    needs: str | None = None
    # Converted after rendering (DOCX → PDF by LibreOffice, in one batch).
    convert: bool = False


def base_style(rng: random.Random, language: str, **overrides: object) -> Style:
    style = Style(
        language=language,
        dates=date_style(rng, language),
        entry=rng.choice(("title-first", "employer-first", "one-line")),
        entry_separator=rng.choice((", ", " | ", " — ", " at "))
        if language == "en"
        else rng.choice((", ", " | ", " — ")),
        contact=rng.choice(("joined", "lines")),
        contact_separator=rng.choice((" | ", " · ", " • ", "  ")),
        profiles=rng.choice(("url", "label", "url", "label", "stacked", "stacked-network")),
        degree=rng.choice(("degree-first", "institution-first", "one-line")),
        area_first=rng.random() < 0.2,
        print_country=rng.random() < 0.3,
        heading_case=rng.choice(("as-is", "upper")),
        dates_with_place=rng.random() < 0.25,
        place_line=rng.random() < 0.15,
        place_aside=rng.random() < 0.3,
        skill_separator=rng.choice((", ", ", ", "; ", " · ", " | ", " ")),
        level_separator=rng.choice((" — ", " – ", ": ", " - ")),
        score_inline=rng.random() < 0.4,
        degree_place=rng.random() < 0.4,
        certificate=rng.choice(("stacked", "joined")),
        certificate_separator=rng.choice((", ", " — ", " | ", " - ")),
        certificate_dates_aside=rng.random() < 0.35,
        project_role=rng.choice(("labelled", "bare", "joined")),
        summary_heading=rng.random() < 0.7,
        weights=rng.random() < 0.8,
    )
    return replace(style, **overrides)  # type: ignore[arg-type]


def _sidebar(side: tuple[str, ...]) -> StyleMaker:
    """Sidebars hold ``side`` and, in some documents, the short entries of projects or of
    education too."""

    def make(rng: random.Random, language: str) -> Style:
        extra = tuple(s for s in ("projects", "education") if s not in side and rng.random() < 0.35)
        return base_style(rng, language, side=side + extra, skills="one-a-line", contact="lines")

    return make


SIDEBAR = ("contact", "skills", "certificates")


def _families() -> list[Family]:
    from resumes.extraction.synth import (
        render_docx,
        render_html,
        render_latex,
        render_pdf,
        render_typst,
    )

    families = [
        Family(
            "txt-ruler",
            "text",
            "txt",
            base_style,
            lambda d, r: render_txt(
                d, TextLook(heading="ruler", ruler=r.choice("=-~"), dates="right")
            ),
        ),
        Family(
            "txt-caps",
            "text",
            "txt",
            base_style,
            lambda d, r: render_txt(
                d,
                TextLook(
                    heading="caps",
                    dates=r.choice(("below", "inline")),
                    bullet=r.choice(("* ", "• ", "- ")),
                ),
            ),
        ),
        Family(
            "md-atx",
            "markdown",
            "md",
            base_style,
            lambda d, r: render_md(d, TextLook(dates="below", bullet=r.choice(("- ", "* ")))),
        ),
        Family(
            "md-inline",
            "markdown",
            "md",
            base_style,
            lambda d, r: render_md(d, TextLook(dates="inline")),
        ),
    ]
    families += render_docx.families(base_style, _sidebar(SIDEBAR))
    families += render_typst.families(base_style, _sidebar(SIDEBAR))
    families += render_pdf.families(base_style, _sidebar(SIDEBAR))
    families += render_html.families(base_style, _sidebar)
    families += render_latex.families(base_style, _sidebar(SIDEBAR))
    return families


def families() -> list[Family]:
    return _families()


def available(family: Family) -> bool:
    return family.needs is None or shutil.which(family.needs) is not None


def _convert_docx(paths: list[Path], out: Path) -> None:
    """DOCX → PDF through LibreOffice, all files in one run (one start-up)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(  # noqa: S603
            [  # noqa: S607
                "libreoffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                *map(str, paths),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )


def generate(
    out: Path,
    *,
    count: int,
    seed: int,
    only: list[str] | None = None,
    log: Callable[[str], None] = print,
) -> list[Path]:
    """``count`` documents per family into ``out``; the same seed gives the same corpus."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    pending: list[tuple[Doc, str, Path]] = []
    work = Path(tempfile.mkdtemp(prefix="synth-"))
    try:
        for number, family in enumerate(families()):
            if only and family.name not in only and family.producer not in only:
                continue
            if not available(family):
                log(f"{family.name}: skipped ({family.needs} is not installed)")
                continue
            for index in range(count):
                rng = random.Random(f"{seed}:{family.name}:{index}")  # noqa: S311
                language = LANGUAGES[(index + number) % len(LANGUAGES)]
                person = make_person(rng, language)
                doc = compose(
                    person,
                    family.style(rng, language),
                    family=family.name,
                    producer=family.producer,
                )
                doc_id = f"{family.name}-{index:03d}-{language}"
                data = family.render(doc, rng)
                if family.convert:
                    source = work / f"{doc_id}.docx"
                    source.write_bytes(data)
                    pending.append((doc, doc_id, source))
                    continue
                written.append(doc.save(out, doc_id, data, family.ext))
            log(f"{family.name}: {count} documents ({family.producer})")
        if pending:
            _convert_docx([p for _, _, p in pending], work)
            for doc, doc_id, source in pending:
                pdf = source.with_suffix(".pdf")
                written.append(doc.save(out, doc_id, pdf.read_bytes(), "pdf"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return written

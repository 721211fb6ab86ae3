"""PDF text layers as other producers write them: the reader sees what a person sees."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from resumes.reading import UnreadableDocument, read_document

HEIGHT = A4[1]
LIBERATION = Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def pdf(draw: Callable[[Canvas], None]) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def write(
    canvas: Canvas,
    x: float,
    top: float,
    text: str,
    size: float,
    *,
    font: str = "Helvetica",
    matrix: float = 1.0,
) -> None:
    """``text`` at ``size`` visual points, set as ``size / matrix`` under a ``matrix`` scale
    (1-pt fonts scaled up when ``matrix == size``)."""
    t = canvas.beginText()
    t.setTextTransform(matrix, 0, 0, matrix, x, HEIGHT - top)
    t.setFont(font, size / matrix)
    t.textOut(text)
    canvas.drawText(t)


def resume(matrix: Callable[[float], float]) -> bytes:
    def draw(canvas: Canvas) -> None:
        write(canvas, 50, 60, "Jane Example", 20, font="Helvetica-Bold", matrix=matrix(20))
        write(canvas, 50, 100, "Experience", 13, font="Helvetica-Bold", matrix=matrix(13))
        for row, text in enumerate(
            (
                "Senior Engineer at Example Corp",
                "Built the billing platform for the team",
                "Led a team of four engineers",
            )
        ):
            write(canvas, 50, 120 + row * 14, text, 10, matrix=matrix(10))

    return pdf(draw)


@pytest.mark.parametrize(
    "matrix",
    [lambda size: 1.0, lambda size: size, lambda size: 0.75],
    ids=["plain", "1-pt font scaled by the matrix", "px font under a 0.75 matrix"],
)
def test_font_size_is_the_visual_size(matrix: Callable[[float], float]) -> None:
    """Nominal size × text-matrix scale: the same page reads the same however it is set,
    and a scaled 1-pt font is never taken for invisible text (nor the page for a scan)."""
    text = read_document(resume(matrix), "pdf")
    sizes = {line.text: round(line.size, 1) for line in text.lines}
    assert sizes["Jane Example"] == 20.0
    assert sizes["Experience"] == 13.0
    assert sizes["Led a team of four engineers"] == 10.0


def test_image_only_pdf_is_still_refused_as_scanned() -> None:
    """A page that is one picture of text has no text layer to read."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(image).text((10, 10), "Jane Example  Senior Engineer", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")

    def draw(canvas: Canvas) -> None:
        from reportlab.lib.utils import ImageReader

        canvas.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 40, 400, 500, 160)

    with pytest.raises(UnreadableDocument, match="scanned"):
        read_document(pdf(draw), "pdf")


def test_soft_hyphens_and_unicode_hyphens_read_as_the_hyphen_shown() -> None:
    """U+2010 and U+2011 are hyphens; a soft hyphen inside a line is no text and does not
    split what follows from what precedes."""
    font = _font("QuirkDejaVu", DEJAVU)

    def draw(canvas: Canvas) -> None:
        write(canvas, 50, 60, "Weber\u2010Flores and M\u00fcller\u2011Lee", 10, font=font)
        write(canvas, 50, 80, "Engineer", 10, font=font)
        write(canvas, 400, 80, "2017 -\u00ad 2021", 10, font=font)
        write(canvas, 50, 100, "co\u00adoperation across full-stack teams", 10, font=font)

    text = read_document(pdf(draw), "pdf")
    assert text.lines[0].text == "Weber-Flores and Müller-Lee"
    assert [cell.text for cell in text.lines[1].cells] == ["Engineer", "2017 - 2021"]
    assert text.lines[2].text == "cooperation across full-stack teams"


def _font(name: str, path: Path) -> str:
    if not path.is_file():
        pytest.skip(f"{path} is not installed")
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def test_spaces_written_as_other_code_points_separate_words() -> None:
    """No-break, en, thin and double spaces are word spaces, never part of a word."""
    font = _font("QuirkDejaVu", DEJAVU)

    def draw(canvas: Canvas) -> None:
        write(canvas, 50, 60, "Lake\u00a0Earl,\u2002WA\u2009United  States", 10, font=font)
        write(canvas, 50, 80, "Built\u00a0 the\u2009billing platform", 10, font=font)
        write(canvas, 50, 100, "Remote\u202fEurope\u205fand\u202fAmericas", 10, font=font)

    text = read_document(pdf(draw), "pdf")
    assert [line.text.replace("\u00a0", " ") for line in text.lines] == [
        "Lake Earl, WA United States",
        "Built the billing platform",
        "Remote Europe and Americas",
    ]


def test_glyphs_without_unicode_neither_shift_nor_join_the_text() -> None:
    """A space the font lacks is drawn as a glyph with no Unicode value: the characters after
    it keep their own positions (nothing is lost or moved) and the words stay apart."""
    font = _font("QuirkLiberation", LIBERATION)

    def draw(canvas: Canvas) -> None:
        write(canvas, 50, 60, "Machine\u2009Learning Engineer", 10, font=font)
        write(canvas, 50, 80, "jane@example.com", 10, font=font)
        write(canvas, 50, 100, "Lake Earl, WA", 10, font=font)
        write(canvas, 50, 120, "Migrated\u2009a data\u2009pipeline", 10, font=font)

    text = read_document(pdf(draw), "pdf")
    assert [line.text for line in text.lines] == [
        "Machine Learning Engineer",
        "jane@example.com",
        "Lake Earl, WA",
        "Migrated a data pipeline",
    ]


def test_words_drawn_as_separate_strings_keep_their_spaces() -> None:
    """Adjacent spans with no space character: the gap on the page is the space."""

    def draw(canvas: Canvas) -> None:
        x = 50.0
        for word in ("Coordinated", "the", "mobile", "checkout", "flow"):
            write(canvas, x, 60, word, 10)
            x += pdfmetrics.stringWidth(word + " ", "Helvetica", 10)
        write(canvas, 50, 80, "Next line", 10)

    text = read_document(pdf(draw), "pdf")
    assert text.lines[0].text == "Coordinated the mobile checkout flow"


@pytest.mark.parametrize("leading", [12.0, 15.0, 19.0])
def test_paragraph_gaps_follow_the_documents_own_line_spacing(leading: float) -> None:
    """Tight or loose, lines of one paragraph never start a block; a blank line's worth of
    extra space does."""

    def draw(canvas: Canvas) -> None:
        top = 60.0
        for paragraph in range(3):
            for row in range(3):
                write(canvas, 50, top, f"Paragraph {paragraph} line {row} of some text", 10)
                top += leading
            top += 10

    text = read_document(pdf(draw), "pdf")
    starts = [line.gap_before for line in text.lines]
    assert starts == [False, False, False, True, False, False, True, False, False]


def test_pictograph_icons_outside_the_private_use_area_are_icons_not_text() -> None:
    """✉ ☎ ⌂ before contact details (dingbats, emoji) name the detail; they are not read
    as text and separate the details they precede. Bullets and © stay text."""
    font = _font("QuirkDejaVu", DEJAVU)

    def draw(canvas: Canvas) -> None:
        write(
            canvas, 50, 60, "\u2709 jane@example.com \u2022 \u260e +1 415 555 0142", 10, font=font
        )
        write(canvas, 50, 80, "\u2302 Lake Earl, WA", 10, font=font)
        write(canvas, 50, 100, "\u2022 Built the billing platform \u00a9 2021", 10, font=font)

    text = read_document(pdf(draw), "pdf")
    assert text.lines[0].text.replace("\t", " ") == "jane@example.com • +1 415 555 0142"
    assert [icon for _, icon in text.lines[0].icons] == ["email", "phone"]
    assert text.lines[1].text == "Lake Earl, WA"
    assert text.lines[1].icons == ((0, "location"),)
    assert text.lines[2].text == "• Built the billing platform © 2021"
    assert text.lines[2].bullet


def test_raised_link_markers_are_not_part_of_the_url() -> None:
    """A small raised digit after a URL is a footnote-style link marker."""

    def draw(canvas: Canvas) -> None:
        x = 50.0
        for url in ("www.example.dev", "github.com/jane"):
            write(canvas, x, 60, url, 10)
            x += pdfmetrics.stringWidth(url, "Helvetica", 10) + 0.5
            write(canvas, x, 60 - 3.8, "1", 5.5)
            x += 9
        write(canvas, 50, 80, "Superscripts in 10th place stay", 10)

    text = read_document(pdf(draw), "pdf")
    assert [cell.text for cell in text.lines[0].cells] == ["www.example.dev github.com/jane"]
    assert text.lines[1].text == "Superscripts in 10th place stay"


def test_letter_spaced_headings_read_as_words() -> None:
    """Wide character spacing is not a space between every letter; word spaces remain."""

    def draw(canvas: Canvas) -> None:
        t = canvas.beginText()
        t.setTextOrigin(50, HEIGHT - 60)
        t.setFont("Helvetica-Bold", 12)
        t.setCharSpace(3)
        t.textOut("WORK EXPERIENCE")
        canvas.drawText(t)
        write(canvas, 50, 80, "Senior Engineer at Example Corp", 10)

    text = read_document(pdf(draw), "pdf")
    assert text.lines[0].text == "WORK EXPERIENCE"
    assert text.lines[1].text == "Senior Engineer at Example Corp"


def test_bullets_from_symbol_fonts_glyphs_and_shapes_are_list_items() -> None:
    """An unusual glyph (▸) and a small drawn disc (a CSS list marker) start a list item
    read as "• …"; a pair of shapes around a heading is decoration."""
    font = _font("QuirkDejaVu", DEJAVU)

    def draw(canvas: Canvas) -> None:
        write(canvas, 50, 80, "\u25b8 Led a team of four engineers", 10, font=font)
        canvas.circle(53, HEIGHT - 96.5, 2, stroke=0, fill=1)
        write(canvas, 60, 100, "Mentored two interns", 10)
        for x in (48, 98):
            canvas.rect(x, HEIGHT - 117, 4, 4, stroke=0, fill=1)
        write(canvas, 56, 120, "Projects", 10)
        write(canvas, 50, 136, "Atlas, a budgeting tool", 10)

    text = read_document(pdf(draw), "pdf")
    assert [(line.text, line.bullet) for line in text.lines] == [
        ("• Led a team of four engineers", True),
        ("• Mentored two interns", True),
        ("Projects", False),
        ("Atlas, a budgeting tool", False),
    ]


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_word_list_bullets_exported_by_libreoffice_are_list_items(tmp_path: Path) -> None:
    """Word's list bullet (Symbol's private-use code) at a hanging indent reads as one
    "• item" line, and the exported PDF is read, not refused."""
    document = docx.Document()
    document.add_paragraph("Experience", style="Heading 1")
    document.add_paragraph("Engineer at Example Corp")
    for item in ("Built the billing platform", "Led a team of four engineers"):
        document.add_paragraph(item, style="List Bullet")
    source = tmp_path / "cv.docx"
    document.save(str(source))
    subprocess.run(
        [
            "libreoffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    text = read_document((tmp_path / "cv.pdf").read_bytes(), "pdf")
    assert [(line.text, line.bullet) for line in text.lines] == [
        ("Experience", False),
        ("Engineer at Example Corp", False),
        ("• Built the billing platform", True),
        ("• Led a team of four engineers", True),
    ]


def test_ordinary_spaces_at_a_column_edge_do_not_split() -> None:
    """A word that happens to start at the x other lines start at, after an ordinary
    space, stays in its run."""

    def draw(canvas: Canvas) -> None:
        top = 60.0
        for dates, entry in (
            ("11/2021 - 09/2025", "Frontend Developer, Hawkins Group"),
            ("04/2018 - 01/2021", "QA Engineer, Miller and Johnson"),
        ):
            width = pdfmetrics.stringWidth(dates + " ", "Helvetica", 10)
            write(canvas, 150 - 8 - width, top, dates + " " + entry, 10)
            write(canvas, 150, top + 14, "Built the billing platform for the team", 10)
            top += 32
        # A sentence whose fourth word happens to start at the column's x.
        lead = "Owned the roadmap"
        write(
            canvas,
            150 - pdfmetrics.stringWidth(lead + " ", "Helvetica", 10) - 40,
            top,
            lead + " and the budget of the team",
            10,
        )

    text = read_document(pdf(draw), "pdf")
    cells = [[cell.text for cell in line.cells] for line in text.lines]
    assert cells[0] == ["11/2021 - 09/2025 Frontend Developer, Hawkins Group"]
    assert cells[-1] == ["Owned the roadmap and the budget of the team"]


def test_narrow_date_column_gap_splits_at_the_column_edge() -> None:
    """The same grid with a real column gap (0.8 em, no space character) is two cells."""

    def draw(canvas: Canvas) -> None:
        top = 60.0
        for dates, entry in (
            ("11/2021 - 09/2025", "Frontend Developer, Hawkins Group"),
            ("04/2018 - 01/2021", "QA Engineer, Miller and Johnson"),
            ("2012 - 2014", "MSc in Economics"),
        ):
            width = pdfmetrics.stringWidth(dates, "Helvetica", 10)
            write(canvas, 150 - 8 - width, top, dates, 10)
            write(canvas, 150, top, entry, 10)
            write(canvas, 150, top + 14, "Built the billing platform for the team", 10)
            top += 32

    text = read_document(pdf(draw), "pdf")
    assert [[cell.text for cell in line.cells] for line in text.lines[::2]] == [
        ["11/2021 - 09/2025", "Frontend Developer, Hawkins Group"],
        ["04/2018 - 01/2021", "QA Engineer, Miller and Johnson"],
        ["2012 - 2014", "MSc in Economics"],
    ]

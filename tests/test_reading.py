"""Reading resume files into raw text with layout."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from resumes.reading import ResumeText, UnreadableDocument, read_document
from tests.fixtures.resumes.build import Rect, Text, make_pdf

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "resumes"


def lines(text: ResumeText) -> list[str]:
    return [line.text for line in text.lines]


def assert_offsets(text: ResumeText) -> None:
    for line in text.lines:
        assert text.raw[line.start : line.end] == line.text
        for cell in line.cells:
            assert text.raw[cell.start : cell.end] == cell.text


def test_txt_raw_text_is_the_file() -> None:
    """Plain text is kept as is (newlines normalised); lines and cells index into it."""
    data = (
        "Ada Lovelace\r\n\r\nEXPERIENCE\r\n- Wrote the first program\r\nAnalyst    2019 - 2020\r\n"
    )
    text = read_document(data.encode(), "txt")
    assert text.raw == data.replace("\r\n", "\n")
    assert lines(text) == [
        "Ada Lovelace",
        "EXPERIENCE",
        "- Wrote the first program",
        "Analyst    2019 - 2020",
    ]
    assert text.lines[1].gap_before
    assert text.lines[2].bullet
    assert [c.text for c in text.lines[3].cells] == ["Analyst", "2019 - 2020"]
    assert_offsets(text)


def test_markdown_reads_as_it_renders_a_link_as_its_text_and_target() -> None:
    """A Markdown link reads as its text, its target kept as the link of the cell it is in;
    an image reads as nothing. Markdown's other marks stay, and the text still indexes the
    raw text."""
    data = (
        "# Ada Lovelace\n\n[ada.dev](https://ada.dev) | [GitHub](https://github.com/ada)"
        '   [site](<https://ada.example> "Her site")\n![photo](ada.png) **Analyst**\n'
    )
    text = read_document(data.encode(), "md")
    assert lines(text) == ["# Ada Lovelace", "ada.dev | GitHub   site", "**Analyst**"]
    assert [c.text for c in text.lines[1].cells] == ["ada.dev | GitHub", "site"]
    assert text.lines[1].links == (
        (0, "https://ada.dev"),
        (0, "https://github.com/ada"),
        (1, "https://ada.example"),
    )
    assert text.lines[2].links == ()
    assert_offsets(text)
    # Plain text is the file, brackets and all.
    assert read_document(data.encode(), "txt").raw == data


def test_txt_in_other_encodings() -> None:
    """Latin-1 text and UTF-8 with a BOM both decode."""
    assert read_document("Zoë Müller".encode("cp1252"), "txt").raw.startswith("Zoë Müller")
    assert read_document("\ufeffJosé".encode(), "txt").raw.startswith("José")


def test_docx_paragraphs_tables_headers_and_footers_in_order() -> None:
    """DOCX: page header first, then paragraphs and table rows in order, footer last."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "ana@example.com"
    document.sections[0].footer.paragraphs[0].text = "Page footer"
    document.add_paragraph("Ana Silva", style="Title")
    document.add_heading("Skills", level=1)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Tools"
    table.cell(0, 1).text = "Git, Docker"
    document.add_paragraph("Wrote tests", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    text = read_document(buffer.getvalue(), "docx")
    assert lines(text) == [
        "ana@example.com",
        "Ana Silva",
        "Skills",
        "Tools\tGit, Docker",
        "Wrote tests",
        "Page footer",
    ]
    assert text.lines[2].bold
    assert text.lines[4].bullet
    assert text.lines[-1].furniture
    assert [c.text for c in text.lines[3].cells] == ["Tools", "Git, Docker"]
    assert_offsets(text)


def test_pdf_sidebar_is_read_before_the_main_column() -> None:
    """Two columns come out column by column, not interleaved line by line."""
    pdf = make_pdf(
        [
            [
                Text(40, 60, "Sidebar one"),
                Text(40, 74, "Sidebar two"),
                Text(40, 88, "Sidebar three"),
                Text(40, 102, "Sidebar four"),
                Text(260, 60, "Main column first line of text"),
                Text(260, 74, "Main column second line of text"),
                Text(260, 88, "Main column third line of text"),
                Text(260, 102, "Main column fourth line of text"),
                Text(260, 116, "Main column fifth line of text"),
            ]
        ]
    )
    text = read_document(pdf, "pdf")
    assert lines(text) == [
        "Sidebar one",
        "Sidebar two",
        "Sidebar three",
        "Sidebar four",
        "Main column first line of text",
        "Main column second line of text",
        "Main column third line of text",
        "Main column fourth line of text",
        "Main column fifth line of text",
    ]
    assert_offsets(text)


@pytest.mark.parametrize(
    "address",
    [
        "ada.augusta.king.lovelace@analytical-engines.org",
        "ada.augusta.lovelace@analytical-engines.org",
    ],
    ids=["into-the-main-column", "up-to-its-edge"],
)
def test_pdf_a_sidebar_line_that_runs_past_the_gutter_stays_in_the_sidebar(address: str) -> None:
    """A long address in a narrow sidebar runs past the gutter, into or up to the heading
    the main column sets on the same baseline: the two are two columns' lines, each read in
    its own column, not one line of the whole page."""
    side = ["Ada Lovelace", "+44 20 7946 0000", address, "London"]
    side += ["Skills", "Python, Go", "Languages", "English"]
    page: list[Text | Rect] = [Text(40, 60 + 13 * n, s, 9) for n, s in enumerate(side)]
    # The address's row is the heading's (top 86); no other row is shared.
    main = ["Summary of a long career in programs", "EXPERIENCE"]
    main += [f"Line {n} of the description of a job held" for n in range(8)]
    page += [Text(225, 71 + 15 * n, s) for n, s in enumerate(main)]
    text = read_document(make_pdf([page]), "pdf")
    assert lines(text) == side + main
    assert_offsets(text)


def test_pdf_a_short_sidebar_beside_a_long_main_column_is_a_column() -> None:
    """A sidebar of a few lines set one under another (contact, skills) beside a main column
    three times as long is read on its own, not row by row like a label column."""
    side = ["ada@example.org", "+44 20 7946 0000", "London", "Skills", "Python, Go"]
    page: list[Text | Rect] = [Text(40, 60 + 13 * n, s, 9) for n, s in enumerate(side)]
    main = [f"Main column line {n} of a long description" for n in range(18)]
    page += [Text(200, 61 + 14 * n, s) for n, s in enumerate(main)]
    text = read_document(make_pdf([page]), "pdf")
    assert lines(text) == side + main


def test_pdf_a_heading_after_cards_side_by_side_is_not_in_a_card() -> None:
    """Two cards side by side are read one after the other; the larger line below them
    (the next section's heading, at the first card's left edge) and its lines come after
    both cards, not inside the first."""
    bold = "Helvetica-Bold"
    page: list[Text | Rect] = [
        Text(40, 60, "Atlas", 10, bold),
        Text(290, 60, "Borealis", 10, bold),
        Text(40, 74, "A tool that maps things"),
        Text(290, 74, "A tool that lights things up, and more of them too"),
        Text(40, 88, "Its second line"),
        Text(40, 112, "Skills", 13, bold),
        Text(40, 128, "Python, Go, Rust"),
    ]
    text = read_document(make_pdf([page]), "pdf")
    assert lines(text) == [
        "Atlas",
        "A tool that maps things",
        "Its second line",
        "Borealis",
        "A tool that lights things up, and more of them too",
        "Skills",
        "Python, Go, Rust",
    ]


def test_pdf_a_date_table_is_read_row_by_row() -> None:
    """A table of entries, their dates and places in the first column, their titles and
    employers in the second (as Word sets a résumé's date table), each followed by its
    description across the page, is read row by row, as a DOCX table is: each date stays
    with its entry."""
    bold = "Helvetica-Bold"
    entries = [
        ("2019 – 2021", "Data Engineer on the payments and billing platform", "Berlin", "Acme"),
        ("2016 – 2019", "Analyst for the reporting and forecasting team", "Munich", "Initech"),
    ]
    about = "Responsible for the design and operation of the services used across the company."
    page: list[Text | Rect] = []
    expected = []
    for n, (dates, title, place, employer) in enumerate(entries):
        top = 60 + n * 60
        page += [Text(40, top, dates), Text(290, top, title, 10, bold)]
        page += [Text(40, top + 16, place), Text(290, top + 16, employer)]
        page.append(Text(40, top + 32, about))
        expected += [f"{dates}\t{title}", f"{place}\t{employer}", about]
    page.append(Text(40, 190, "Education", 13, bold))
    text = read_document(make_pdf([page]), "pdf")
    assert lines(text) == [*expected, "Education"]


def test_pdf_right_aligned_dates_stay_on_their_row() -> None:
    """A right-aligned date is a second cell of its title's line."""
    pdf = make_pdf(
        [
            [
                Text(40, 60, "Software Engineer", 11, "Helvetica-Bold"),
                Text(470, 60, "Jan 2020 - Present", 9),
                Text(40, 76, "Acme Corporation"),
                Text(40, 92, "- Built a thing that many people used every single day"),
            ]
        ]
    )
    text = read_document(pdf, "pdf")
    assert [c.text for c in text.lines[0].cells] == ["Software Engineer", "Jan 2020 - Present"]
    assert text.lines[0].text == "Software Engineer\tJan 2020 - Present"


def test_pdf_dates_in_a_narrow_column_of_headings_stay_with_their_entries() -> None:
    """A left column of contact lines, headings and dates is not a sidebar when its dates
    sit on the rows of the entries beside them: each date is read with its entry."""
    left = [
        (66, "+1 555 0100"),
        (80, "Berlin"),
        (94, "ada.dev"),
        (116, "Experience"),
        (130, "2019 - 2022"),
        (172, "2016 - 2019"),
        (214, "2014 - 2016"),
        (256, "Education"),
        (270, "2010 - 2014"),
    ]
    right = [
        (60, "A summary paragraph whose first line is long"),
        (74, "and the second line of it"),
        (130, "Engineer at Acme"),
        (144, "- Built the first thing"),
        (158, "- Built the second thing"),
        (172, "Analyst at Initech"),
        (186, "- Wrote reports"),
        (200, "- Ran the numbers"),
        (214, "Intern at Globex"),
        (228, "- Learned a lot"),
        (270, "BSc Mathematics, University of Berlin"),
    ]
    page: list[Text | Rect] = [Text(40, y, s) for y, s in left]
    page += [Text(170, y, s) for y, s in right]
    pdf = make_pdf([page])
    text = read_document(pdf, "pdf")
    by_date = {line.cells[0].text: line.text for line in text.lines if line.cells}
    assert by_date["2019 - 2022"] == "2019 - 2022\tEngineer at Acme"
    assert by_date["2014 - 2016"] == "2014 - 2016\tIntern at Globex"
    assert_offsets(text)


def test_pdf_a_date_column_stays_one_with_short_full_width_lines_below_it() -> None:
    """Dates on the rows of their certificates, then a section set across the page whose
    lines are short enough to stay left of the gap: the date column is as narrow as its
    lines between its first date and its last, and each date is read with its entry."""
    # The last bullets of a job that began on the page before, beside nothing.
    bullets = [f"- Ran pipeline number {n} of the team, and more" for n in range(1, 7)]
    right = [(60 + 14 * n, bullet) for n, bullet in enumerate(bullets)]
    left = [(150, "Certificates"), (164, "2025"), (178, "September 2022"), (192, "February 2025")]
    left += [(214, "Interests"), (228, "Cycling, chess and photography, still"), (250, "Awards")]
    left += [(264, "Innovation prize of the year (2023)")]
    right += [(164, "Digital Marketing | freeCodeCamp"), (178, "Terraform Associate | HashiCorp")]
    right += [(192, "Solutions Architect | Amazon Web Services")]
    page: list[Text | Rect] = [Text(40, y, s) for y, s in left]
    page += [Text(250, y, s) for y, s in right]
    text = read_document(make_pdf([page]), "pdf")
    assert lines(text) == [
        *bullets,
        "Certificates",
        "2025\tDigital Marketing | freeCodeCamp",
        "September 2022\tTerraform Associate | HashiCorp",
        "February 2025\tSolutions Architect | Amazon Web Services",
        "Interests",
        "Cycling, chess and photography, still",
        "Awards",
        "Innovation prize of the year (2023)",
    ]
    assert_offsets(text)


def test_pdf_two_columns_whose_right_one_sets_its_dates_apart_are_two_columns() -> None:
    """The gap between the right column's entries and their dates is wider than the gutter
    between the columns: the columns are still read one after the other, and each date
    with its entry."""
    left = [f"Left column line {n} of a long description, and its text runs on" for n in range(12)]
    page: list[Text | Rect] = [Text(50, 60 + 14 * n, s) for n, s in enumerate(left)]
    right = []
    entries = [
        ("Bachelor of Science", "2016 - 2019"),
        ("Master of Arts", "2014 - 2016"),
        ("Doctor of Letters", "2010 - 2014"),
        ("Certified Engineer", "2009 - 2010"),
    ]
    for n, (entry, date) in enumerate(entries):
        top = 67 + 40 * n
        page += [Text(338, top, entry), Text(338, top + 13, "University of Somewhere")]
        page.append(Text(500, top, date))
        right += [f"{entry}\t{date}", "University of Somewhere"]
    text = read_document(make_pdf([page]), "pdf")
    assert lines(text) == left + right
    assert_offsets(text)


def test_pdf_dates_hung_level_with_larger_entry_names_stay_with_them() -> None:
    """A Europass-like label column: headings and dates, set smaller than the entry names
    beside them and level with their tops, not their baselines. Each date is read with its
    entry, and the headings between them, not as a column of its own first."""
    rows = [  # the date's baseline; the entry name's is 2.5 points lower (12 pt beside 8.5 pt)
        (130, "2019 - 2022", "Engineer at Acme"),
        (186, "2016 - 2019", "Analyst at Initech"),
        (242, "2014 - 2016", "Intern at Globex"),
        (312, "2010 - 2014", "BSc Mathematics, University of Berlin"),
    ]
    page: list[Text | Rect] = [Text(60, 112, "EXPERIENCE"), Text(60, 294, "EDUCATION")]
    for y, dates, name in rows:
        page += [Text(40, y, dates, 8.5), Text(170, y + 2.5, name, 12, "Helvetica-Bold")]
        page += [Text(170, y + 18, "- Built the first thing"), Text(170, y + 32, "- And more")]
    text = read_document(make_pdf([page]), "pdf")
    lines = [line.text for line in text.lines]
    assert lines.index("EXPERIENCE") < lines.index("2019 - 2022\tEngineer at Acme")
    assert "2014 - 2016\tIntern at Globex" in lines
    assert lines.index("EDUCATION") < lines.index(
        "2010 - 2014\tBSc Mathematics, University of Berlin"
    )
    assert_offsets(text)


def test_pdf_dates_and_places_set_right_stay_with_their_entries() -> None:
    """A narrow right column of dates and places, far from the text beside it, is no
    sidebar when its dates sit on the rows of the entries: each is read on its entry's row."""
    left = [
        (60, "Experience"),
        (80, "Engineer"),
        (94, "Acme Corporation"),
        (108, "Built the first thing that many people used every single day"),
        (130, "Analyst"),
        (144, "Initech"),
        (158, "Wrote the reports and ran the numbers behind them each quarter"),
        (180, "Intern"),
        (194, "Globex"),
        (216, "Education"),
        (236, "BSc Mathematics"),
        (250, "University of Berlin"),
    ]
    right = [
        (80, "2019 - 2022"),
        (94, "Berlin, DE"),
        (130, "2016 - 2019"),
        (144, "Hamburg, DE"),
        (180, "2014 - 2016"),
        (236, "2010 - 2014"),
    ]
    page: list[Text | Rect] = [Text(40, y, s) for y, s in left]
    page += [Text(480, y, s, 9) for y, s in right]
    text = read_document(make_pdf([page]), "pdf")
    assert lines(text)[1:5] == [
        "Engineer\t2019 - 2022",
        "Acme Corporation\tBerlin, DE",
        "Built the first thing that many people used every single day",
        "Analyst\t2016 - 2019",
    ]
    assert "BSc Mathematics\t2010 - 2014" in lines(text)
    assert_offsets(text)


def test_pdf_hidden_text_is_dropped() -> None:
    """White text on a white page and tiny text are not read; white text on a dark band is."""
    pdf = make_pdf(
        [
            [
                Rect(0, 0, 595, 80, (20, 40, 80)),
                Text(40, 50, "Visible On Band", 20, "Helvetica-Bold", (255, 255, 255)),
                Text(40, 120, "Keyword stuffing nobody sees", 10, color=(255, 255, 255)),
                Text(40, 140, "Microscopic keywords", 1.5),
                Text(40, 160, "Normal visible text on the page"),
            ]
        ]
    )
    text = read_document(pdf, "pdf")
    assert "Visible On Band" in text.raw
    assert "Normal visible text on the page" in text.raw
    assert "stuffing" not in text.raw
    assert "Microscopic" not in text.raw


def test_generated_fixture_keeps_hidden_keywords_out() -> None:
    """The sidebar fixture's keyword stuffing is not in the raw text."""
    text = read_document((FIXTURES / "sidebar_en.pdf").read_bytes(), "pdf")
    assert "Rockstar" not in text.raw
    assert "Haskell" not in text.raw
    assert "Priya" in text.raw
    assert "priya.raman@mail.example" in text.raw
    assert_offsets(text)


def test_pdf_running_header_is_furniture() -> None:
    """A line repeated at the top of every page is kept in the raw text but marked furniture."""
    page = [Text(200, 30, "Curriculum Vitae Jane Doe", 9)]
    pdf = make_pdf(
        [
            [*page, Text(40, 100, "First page content line here")],
            [*page, Text(40, 100, "Second page content line here")],
        ]
    )
    text = read_document(pdf, "pdf")
    headers = [line for line in text.lines if line.text == "Curriculum Vitae Jane Doe"]
    assert len(headers) == 2
    assert all(line.furniture for line in headers)
    assert not any(line.furniture for line in text.lines if "content" in line.text)


def test_pdf_without_text_layer_is_unreadable() -> None:
    """An image-only PDF is refused with a message about scanned resumes."""
    pdf = make_pdf([[Rect(50, 50, 400, 600, (120, 120, 120))]])
    with pytest.raises(UnreadableDocument, match="scanned"):
        read_document(pdf, "pdf")


def test_password_protected_pdf_is_unreadable() -> None:
    """An encrypted PDF is refused with a message about the password."""
    reader = PdfReader(io.BytesIO(make_pdf([[Text(40, 60, "Secret resume text here")]])))
    writer = PdfWriter()
    writer.append_pages_from_reader(reader)
    writer.encrypt(user_password="hunter2", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(UnreadableDocument, match="password"):
        read_document(buffer.getvalue(), "pdf")


@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_corrupt_files_are_unreadable(kind: str) -> None:
    """Garbage bytes give UnreadableDocument with a user-facing message."""
    with pytest.raises(UnreadableDocument) as error:
        read_document(b"this is not a real file at all", kind)
    assert "damaged" in error.value.message


def test_unknown_kind_is_unreadable() -> None:
    """Only the supported kinds are read."""
    with pytest.raises(UnreadableDocument, match="cannot be read"):
        read_document(b"{}", "exe")


def test_txt_rulers_are_decoration_and_mark_the_heading_above() -> None:
    """A line of one repeated drawing character is furniture; the line it underlines is
    emphasised like a heading. A dashed bullet stays content."""
    text = read_document(
        b"Jane Example\n\nExperience\n==========\nEngineer at Acme\n- Built things\n"
        b"------------------\nSkills\n",
        "txt",
    )
    by_text = {line.text: line for line in text.lines}
    assert by_text["=========="].furniture
    assert by_text["Experience"].bold
    assert not by_text["Engineer at Acme"].bold
    assert not by_text["- Built things"].furniture
    assert not by_text["- Built things"].bold
    assert by_text["------------------"].furniture
    assert_offsets(text)


def test_a_word_hyphenated_at_a_line_end_leaves_the_two_lines_apart() -> None:
    """PDFium joins a line that ends in a hyphen to the next without a line feed (its
    U+FFFE mark): the reader still reads the two lines, one under the other."""
    pdf = make_pdf(
        [
            [
                Text(40, 80, "Owned the roadmap and reported to the head of engineer-"),
                Text(40, 94, "ing and design. Responsible for the operation of services."),
            ]
        ]
    )
    text = read_document(pdf, "pdf")
    assert [line.text for line in text.lines] == [
        "Owned the roadmap and reported to the head of engineer-",
        "ing and design. Responsible for the operation of services.",
    ]

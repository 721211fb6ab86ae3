"""The learned line labeller: labels projected from the synthetic corpus onto reader lines,
document-relative features, the engine following labels, and a smoke run of the training
command, which trains the labeller and the field tagger (the families that need nothing
outside the virtualenv, a tiny model)."""

from __future__ import annotations

from pathlib import Path

import pycrfsuite
import pytest

from resumes.extraction import get_provider
from resumes.extraction.labels import Role, Section
from resumes.extraction.learned.__main__ import main as train_extractor
from resumes.extraction.learned.align import align, align_owners, split_label
from resumes.extraction.learned.confidence import weigh
from resumes.extraction.learned.features import line_features
from resumes.extraction.learned.fields import FIELDS, FieldTagger
from resumes.extraction.learned.labeller import Labeller, states
from resumes.extraction.learned.training import evaluate, load, tag_accuracy
from resumes.extraction.rules import extract
from resumes.reading import read_document
from tests.fixtures.resumes.build import Rect, Text, make_pdf


def printed(section: str, role: str, text: str, entry: int | None = None) -> dict[str, object]:
    return {"section": section, "role": role, "entry": entry, "spans": [[text, "o"]]}


def test_a_wrapped_line_continues_the_printed_line_it_came_from() -> None:
    document = read_document(
        b"Ada Lovelace\n\nExperience\n\n"
        b"- Built the analytical engine's first program for\n"
        b"  Bernoulli numbers\n",
        "txt",
    )
    lines = [
        printed("header", "name", "Ada Lovelace"),
        printed("work", "heading", "Experience"),
        printed(
            "work", "bullet", "Built the analytical engine's first program for Bernoulli numbers", 0
        ),
    ]
    assert align(document, lines) == ["header:name", "work:heading", "work:bullet", "work:cont"]


def test_the_first_line_shown_of_an_entry_starts_it_whichever_was_printed_first() -> None:
    # A date column read before the title: the reader's first line of the entry is "entry".
    document = read_document(b"Experience\n\n2019 - 2022\nAcme Corp\n", "txt")
    lines = [
        printed("work", "heading", "Experience"),
        printed("work", "entry", "Acme Corp", 0),
        printed("work", "detail", "2019 - 2022", 0),
    ]
    assert align(document, lines) == ["work:heading", "work:entry", "work:detail"]


def test_an_entry_name_set_beside_its_dates_takes_its_own_entry_not_a_namesake() -> None:
    # "University of Leeds ⇥ 2007 – 2009": the dates share more words than the name, and
    # the next entry's "University of York" is nearer to the dates than "of Leeds" is.
    document = read_document(
        b"Education\n\nUniversity of Leeds   Oct 2007 - Sep 2009\nMSc Physics\n"
        b"University of York   2003 - 2006\nBSc Physics\n",
        "txt",
    )
    lines = [
        printed("education", "heading", "Education"),
        printed("education", "entry", "University of Leeds", 0),
        printed("education", "detail", "MSc Physics", 0),
        printed("education", "detail", "Oct 2007 - Sep 2009", 0),
        printed("education", "entry", "University of York", 1),
        printed("education", "detail", "BSc Physics", 1),
        printed("education", "detail", "2003 - 2006", 1),
    ]
    labels, owners = align_owners(document, lines)
    assert labels == [
        "education:heading",
        "education:entry",
        "education:detail",
        "education:entry",
        "education:detail",
    ]
    assert owners == [0, 1, 2, 4, 5]


def test_text_the_generator_never_printed_is_other_or_furniture() -> None:
    document = read_document(b"Experience\n\nSomething else entirely\n", "txt")
    labels = align(document, [printed("work", "heading", "Experience")])
    assert labels == ["work:heading", "work:other"]


def test_features_describe_a_line_against_its_document() -> None:
    document = read_document(
        b"Ada Lovelace\n\nEXPERIENCE\n==========\n\n- Wrote programs, 2019\n", "txt"
    )
    by_text = {
        line.text.strip(): f
        for line, f in zip(document.lines, line_features(document), strict=True)
    }
    heading = by_text["EXPERIENCE"]
    assert heading["heading_kind=work"] == 1.0
    assert heading["upper"] == 1.0
    assert heading["ruled_below"] == 1.0
    bullet = by_text["- Wrote programs, 2019"]
    assert bullet["bullet"] == 1.0
    assert bullet["date"] == 1.0
    assert "heading_kind=work" not in bullet
    assert by_text["Ada Lovelace"]["first_line"] == 1.0


def test_a_line_starts_lower_with_a_word_not_with_an_address() -> None:
    """ "and then…" carries on a sentence; "github.com/ada" and "ada@example.org" do not."""
    document = read_document(
        b"Ada Lovelace\ngithub.com/ada\nada@example.org\n\n"
        b"Summary\n\nWrote the first program for the engine\nand then, its notes.\n",
        "txt",
    )
    starts = {
        line.text.strip(): "starts_lower" in f
        for line, f in zip(document.lines, line_features(document), strict=True)
    }
    assert starts["and then, its notes."]
    assert not starts["github.com/ada"]
    assert not starts["ada@example.org"]


def test_a_line_that_stops_mid_phrase_is_open_and_its_neighbours_know() -> None:
    """A header cut after "de" or a list cut after a comma is open, and the line after it
    sees that; a sentence's end or a capitalised word is not open."""
    document = read_document(
        "Universidad Politécnica de\nÁvila 2020\nPython, Go,\nRust\nDone.\nNext\n".encode(),
        "txt",
    )
    features = line_features(document)
    assert ["ends_open" in f for f in features] == [True, False, True, False, False, False]
    assert ["prev.open" in f for f in features] == [False, True, False, True, False, False]
    assert ["next.open" in f for f in features] == [False, True, False, False, False, False]


def test_the_engine_follows_the_labels_where_its_rules_see_no_section() -> None:
    # "Stationen" is no heading word the rules know; labelled, its lines become a job.
    document = read_document(
        b"Ada Lovelace\n\nStationen\n\n"
        b"Analyst, Babbage & Co\n2019 - 2022\n- Wrote the first program\n",
        "txt",
    )
    labels = [
        (Section.HEADER, Role.NAME),
        (Section.WORK, Role.HEADING),
        (Section.WORK, Role.ENTRY),
        (Section.WORK, Role.DETAIL),
        (Section.WORK, Role.BULLET),
    ]
    assert extract(document).work == []
    [work] = extract(document, labels).work
    assert work.start_date == "2019"
    assert work.end_date == "2022"
    assert "Babbage" in (work.name or "") + (work.position or "")
    assert work.highlights == ["Wrote the first program"]


def test_train_extractor_generates_trains_and_labels(tmp_path: Path) -> None:
    model = tmp_path / "model"
    synth = tmp_path / "synth"
    argv = ["--synth", str(synth), "--only", "txt-ruler", "md-atx", "--count", "3"]
    assert train_extractor([*argv, "--iterations", "30", "--out", str(model)]) == 0
    examples = load(synth)
    assert len(examples) == 6
    labeller = Labeller(model)
    score, confidence = evaluate(labeller, examples)
    assert score.rates()["label"] > 0.9
    assert all(0.0 <= p <= 1.0 for p, _ in confidence)
    for example in examples:
        for label, _ in labeller.tag(example.features):
            split_label(label)  # every label is a known section and role
    right, tokens = tag_accuracy(FieldTagger(model / FIELDS), examples)
    assert len(tokens) > 100
    assert right > 0.9
    assert all(0.0 <= p <= 1.0 for p, _ in tokens)


def test_the_committed_model_reads_a_resume_it_never_saw() -> None:
    labeller = Labeller.default()
    assert labeller is not None, "resumes/extraction/learned/model/ is missing"
    document = read_document(
        b"Grace Hopper\ngrace@example.com\n\nEXPERIENCE\n\n"
        b"Rear Admiral, US Navy\t1943 - 1986\n- Led the COBOL standard\n\n"
        b"EDUCATION\n\nPhD in Mathematics, Yale University\t1930 - 1934\n",
        "txt",
    )
    labels = dict(
        zip(
            (line.text.strip() for line in document.lines),
            (label for label, _ in labeller.label(document)),
            strict=True,
        )
    )
    assert labels["EXPERIENCE"] == "work:heading"
    assert labels["EDUCATION"] == "education:heading"
    assert labels["- Led the COBOL standard"] == "work:bullet"


def test_the_learned_provider_extracts_through_the_same_typed_result() -> None:
    document = read_document(
        b"Grace Hopper\ngrace@example.com\n\nEXPERIENCE\n\n"
        b"Computer Scientist, Harvard\t1984 - 1989\n- Programmed the Mark I\n",
        "txt",
    )
    extraction = get_provider("learned").extract(document)
    assert extraction.ai_model_used == "rules-crf-2"
    [work] = extraction.work
    assert work.start_date == "1984"
    assert work.highlights == ["Programmed the Mark I"]


def test_an_item_is_no_more_confident_than_its_least_probable_line() -> None:
    document = read_document(
        b"Ada Lovelace\n\nStationen\n\nAnalyst, Babbage & Co\n2019 - 2022\n- Wrote a program\n"
        b"\nFreiwillig\n\nTutor, Club\n2018 - 2019\n",
        "txt",
    )
    labels = [
        (Section.HEADER, Role.NAME),
        (Section.WORK, Role.HEADING),
        (Section.WORK, Role.ENTRY),
        (Section.WORK, Role.DETAIL),
        (Section.WORK, Role.BULLET),
        (Section.WORK, Role.HEADING),
        (Section.WORK, Role.ENTRY),
        (Section.WORK, Role.DETAIL),
    ]
    extraction = extract(document, labels)
    first, second = extraction.work
    before = second.confidence
    weigh(extraction, document, [0.99, 0.99, 0.99, 0.4, 0.99, 0.99, 0.99, 0.99])
    assert first.confidence == 0.4  # its date line was a guess
    assert second.confidence == before  # none of its lines was


def test_a_heading_is_not_read_as_the_end_of_a_paragraph_that_used_its_word() -> None:
    document = read_document(
        b"Ada Lovelace\n\nBuilt tools for developer\nexperience.\n\n"
        b"Experience\n\n- Wrote programs\n",
        "txt",
    )
    lines = [
        printed("header", "name", "Ada Lovelace"),
        printed("summary", "text", "Built tools for developer experience."),
        printed("work", "heading", "Experience"),
        printed("work", "bullet", "Wrote programs", 0),
    ]
    assert align(document, lines) == [
        "header:name",
        "summary:text",
        "summary:cont",
        "work:heading",
        "work:bullet",
    ]


def test_line_words_keep_the_case_of_the_line_start() -> None:
    document = read_document(b"Built tools for developer\nexperience.\n\nExperience\n", "txt")
    wrapped, heading = line_features(document)[1:]
    assert wrapped["w0=experience"] == wrapped["text=experience"] == 1.0
    assert heading["w0=^experience"] == heading["text=^experience"] == 1.0
    # What follows a sentence knows it does.
    assert heading["prev.prose"] == 1.0
    assert "prev.prose" not in wrapped


def test_markdown_marks_leave_the_words_features_as_the_words_are_printed() -> None:
    """A Markdown heading or an emphasised line gives the features its words give on any
    other page; the marks are features of their own, and a bullet's star stays a bullet."""
    document = read_document(
        b"## Loopbaan\n\n### **Senior Engineer** - Acme\n\n*2019 - 2021*\n\n* Built tools\n",
        "md",
    )
    heading, header, dates, bullet = line_features(document)
    assert heading["w0=^loopbaan"] == heading["text=^loopbaan"] == 1.0
    assert heading["markdown_heading"] == 1.0
    assert header["w0=^senior"] == 1.0
    assert header["title_word"] == 1.0
    assert dates["date_only"] == dates["emphasis"] == 1.0
    assert bullet["bullet"] == 1.0
    assert "emphasis" not in bullet


class Fixed:
    """A stand-in for a CRF tagger that gives fixed labels, each with probability 1."""

    def __init__(self, labels: list[str]) -> None:
        self.labels = labels

    def tag(self, items: object) -> list[str]:
        return self.labels

    def marginal(self, label: str, index: int) -> float:
        return 1.0


def test_prose_that_opens_a_column_is_the_summary() -> None:
    # A sidebar read first ("Skills"), then the main column opening with a paragraph.
    labeller = Labeller.__new__(Labeller)
    labeller._roles = Fixed(["heading", "skills", "text", "cont", "heading", "text"])
    labeller._headings = Fixed(["skills"])
    labeller._sections_known = ("skills",)
    labeller._states = ("heading", "skills", "text", "cont")
    features: list[dict[str, float]] = [{"bias": 1.0} for _ in range(6)]
    features[2]["column_start"] = 1.0
    labels = [label for label, _ in labeller.tag(features)]
    assert labels == [
        "skills:heading",
        "skills:skills",
        "summary:text",
        "summary:cont",
        "skills:heading",
        "skills:text",
    ]


def test_prose_in_a_column_of_its_own_after_an_entry_is_its_description() -> None:
    # A date table: the dates and place in one cell, the title and employer in the next,
    # then the job's description in a column of its own.
    labeller = Labeller.__new__(Labeller)
    labeller._roles = Fixed(["heading", "entry", "detail", "text", "cont", "entry"])
    labeller._headings = Fixed(["work"])
    labeller._sections_known = ("work",)
    labeller._states = ("heading", "entry", "detail", "text", "cont")
    features: list[dict[str, float]] = [{"bias": 1.0} for _ in range(6)]
    features[3]["column_start"] = 1.0
    labels = [label for label, _ in labeller.tag(features)]
    assert labels == [
        "work:heading",
        "work:entry",
        "work:detail",
        "work:text",
        "work:cont",
        "work:entry",
    ]


def test_a_name_or_headline_set_after_a_sidebar_opens_the_header_again() -> None:
    # The name above a sidebar ("Skills"), then the main column: the headline, a paragraph
    # without a heading (the summary), then the first heading.
    labeller = Labeller.__new__(Labeller)
    labeller._roles = Fixed(["name", "heading", "skills", "headline", "text", "heading", "entry"])
    labeller._headings = Fixed(["skills"])
    labeller._sections_known = ("skills",)
    labeller._states = ("name", "heading", "skills", "headline", "text", "entry")
    features: list[dict[str, float]] = [{"bias": 1.0} for _ in range(7)]
    labels = [label for label, _ in labeller.tag(features)]
    assert labels == [
        "header:name",
        "skills:heading",
        "skills:skills",
        "header:headline",
        "summary:text",
        "skills:heading",
        "skills:entry",
    ]


class Sections:
    """A stand-in heading classifier: each line's section probabilities, by its word."""

    def __init__(self, by_word: dict[str, dict[str, float]]) -> None:
        self.by_word = by_word
        self.item: dict[str, float] = {}

    def tag(self, items: pycrfsuite.ItemSequence) -> list[str]:
        [self.item] = items.items()
        found = self._found()
        return [max(found, key=found.__getitem__)]

    def marginal(self, label: str, index: int) -> float:
        return self._found()[label]

    def _found(self) -> dict[str, float]:
        return next(p for word, p in self.by_word.items() if f"w0={word}" in self.item)


def test_a_heading_wrapped_over_two_lines_takes_the_section_its_lines_name_together() -> None:
    # "Esperienza / professionale" in a narrow label column: the second line alone looks
    # more like education, the two together are work. Then a heading after a gap is a
    # heading of its own.
    labeller = Labeller.__new__(Labeller)
    labeller._roles = Fixed(["heading", "heading", "entry", "heading", "entry"])
    labeller._headings = Sections(
        {
            "^esperienza": {"work": 0.9, "education": 0.1},
            "professionale": {"work": 0.3, "education": 0.7},
            "^competenze": {"work": 0.2, "education": 0.8},
        }
    )
    labeller._sections_known = ("work", "education")
    labeller._states = ("heading", "entry")
    words = ["^esperienza", "professionale", "^analista", "^competenze", "^python"]
    features: list[dict[str, float]] = [{f"w0={word}": 1.0} for word in words]
    features[3]["gap"] = 1.0
    tagged = labeller.tag(features)
    assert [label for label, _ in tagged] == [
        "work:heading",
        "work:heading",
        "work:entry",
        "education:heading",
        "education:entry",
    ]
    # Both lines are as sure as the two together: 0.27 / (0.27 + 0.07).
    assert tagged[0][1] == tagged[1][1] == pytest.approx(0.27 / 0.34)


def test_both_lines_of_a_wrapped_heading_are_heading_lines() -> None:
    document = read_document(b"Professional\nExperience\n\n- Wrote programs\n", "txt")
    lines = [
        printed("work", "heading", "Professional Experience"),
        printed("work", "bullet", "Wrote programs", 0),
    ]
    assert align(document, lines) == ["work:heading", "work:heading", "work:bullet"]


def test_the_chain_tells_a_wrapped_header_from_a_wrapped_paragraph() -> None:
    roles = ["heading", "heading", "entry", "cont", "detail", "text", "cont", "entry"]
    assert states(roles) == [
        "heading",
        "heading",
        "entry",
        "cont-header",
        "detail",
        "text",
        "cont",
        "entry",
    ]


def test_a_labelled_continuation_carries_on_its_bullet_however_it_is_set() -> None:
    # A bullet that ends well short of the column, its next line set at the hanging indent:
    # the rules alone read the second line as an item of its own; labelled, it continues.
    page: list[Text | Rect] = [
        Text(40, 60, "Ada Lovelace", 18, "Helvetica-Bold"),
        Text(40, 100, "Experience", 13, "Helvetica-Bold"),
        Text(40, 120, "Analyst, Babbage & Co", 11, "Helvetica-Bold"),
        Text(470, 120, "2019 - 2022"),
        Text(40, 136, "• Ran the reporting that the whole engine team used for"),
        Text(52, 150, "planning"),
        Text(40, 164, "• Wrote the first program ever published, with notes on it for the board"),
    ]
    document = read_document(make_pdf([page]), "pdf")
    assert [line.text for line in document.lines][4] == "planning"
    labels = [
        (Section.HEADER, Role.NAME),
        (Section.WORK, Role.HEADING),
        (Section.WORK, Role.ENTRY),
        (Section.WORK, Role.BULLET),
        (Section.WORK, Role.CONT),
        (Section.WORK, Role.BULLET),
    ]
    [work] = extract(document, labels).work
    assert work.highlights == [
        "Ran the reporting that the whole engine team used for planning",
        "Wrote the first program ever published, with notes on it for the board",
    ]
    [rules] = extract(document).work
    assert "planning" in rules.highlights  # what the labels fix

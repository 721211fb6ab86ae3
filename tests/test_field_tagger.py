"""The field tagger: header tokens and their features, gold tags projected from the
synthetic corpus's printed spans, runs of tags as fields, and the engine taking the tagged
fields over its own reading."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from resumes.extraction.labels import Role, Section, Tag
from resumes.extraction.learned.align import align_owners
from resumes.extraction.learned.fields import FieldTagger, group, token_features, tokens
from resumes.extraction.learned.training import headers
from resumes.extraction.rules import extract
from resumes.extraction.rules.text import Piece
from resumes.reading import read_document
from resumes.reading.model import Line

HEADER = b"Ada Lovelace\n\nEXPERIENCE\n\nAnalyst | Babbage & Co | London, UK\n2019 - 2022\n"
LABELS = [
    (Section.HEADER, Role.NAME),
    (Section.WORK, Role.HEADING),
    (Section.WORK, Role.ENTRY),
    (Section.WORK, Role.DETAIL),
]


def test_tokens_count_phrases_between_separators() -> None:
    document = read_document(HEADER, "txt")
    items = tokens(document.lines[2:4])
    assert [t.text for t in items[:6]] == ["Analyst", "|", "Babbage", "&", "Co", "|"]
    assert [t.phrase for t in items if t.line == 0 and t.text != "|"] == [0, 1, 1, 1, 2, 2, 2]
    assert {t.line for t in items} == {0, 1}
    start = items[2].start
    assert document.raw[start : start + len("Babbage")] == "Babbage"


def test_features_mark_dates_places_and_the_word_lists_of_phrases() -> None:
    document = read_document(HEADER, "txt")
    lines = document.lines[2:4]
    items = tokens(lines)
    features = dict(
        zip((t.text for t in items), token_features("work", lines, items), strict=False)
    )
    assert "phrase.title" in features["Analyst"]
    assert "next.phrase.company" in features["Analyst"]
    assert "in_place" in features["London"]
    assert "in_date" in features["2019"]
    assert "in_date" not in features["Analyst"]
    assert features["Analyst"]["kind=work"] == 1.0


def test_runs_of_one_tag_are_one_field_with_their_mean_probability() -> None:
    document = read_document(HEADER, "txt")
    items = tokens(document.lines[2:3])
    tags = ["title", "o", "employer", "employer", "employer", "o", "place", "place", "place"]
    probabilities = [0.9, 1.0, 0.6, 0.9, 0.9, 1.0, 0.8, 0.8, 0.8]
    fields = group(items, tags, probabilities, document.raw)
    [(employer, p)] = fields["employer"]
    assert employer.text == "Babbage & Co"
    assert document.raw[employer.spans[0][0] : employer.spans[0][1]] == "Babbage & Co"
    assert round(p, 3) == 0.8
    assert fields["place"][0][0].text == "London, UK"
    assert Tag.O not in fields


def test_a_run_that_ends_its_line_carries_on_into_a_wrapped_line_only() -> None:
    """ "Universidad Politécnica de" / "Ávila  2020 - 2023" is one institution when the
    labeller reads the second line as a continuation; two lines it does not are two."""
    document = read_document("Universidad Politécnica de\nÁvila\t2020 - 2023\n".encode(), "txt")
    items = tokens(document.lines)
    tags = ["institution"] * 4 + ["dates"] * 3
    probabilities = [0.9] * 7
    [(institution, _)] = group(items, tags, probabilities, document.raw, wrapped=[1])["institution"]
    assert institution.text == "Universidad Politécnica de Ávila"
    assert [document.raw[a:b] for a, b in institution.spans] == [
        "Universidad Politécnica de",
        "Ávila",
    ]
    apart = group(items, tags, probabilities, document.raw)["institution"]
    assert [p.text for p, _ in apart] == ["Universidad Politécnica de", "Ávila"]
    # Only a run that reached the end of its line carries on.
    tags = ["institution"] * 2 + ["o"] + ["institution"] + ["dates"] * 3
    broken = group(items, tags, probabilities, document.raw, wrapped=[1])["institution"]
    assert [p.text for p, _ in broken] == ["Universidad Politécnica", "Ávila"]


def test_gold_tags_come_from_the_printed_spans_the_reader_read() -> None:
    document = read_document(HEADER, "txt")
    printed: list[dict[str, Any]] = [
        {"section": "header", "role": "name", "entry": None, "spans": [["Ada Lovelace", "name"]]},
        {"section": "work", "role": "heading", "entry": None, "spans": [["EXPERIENCE", "o"]]},
        {
            "section": "work",
            "role": "entry",
            "entry": 0,
            "spans": [
                ["Analyst", "title"],
                [" | ", "o"],
                ["Babbage & Co", "employer"],
                [" | ", "o"],
                ["London, UK", "place"],
            ],
        },
        {"section": "work", "role": "detail", "entry": 0, "spans": [["2019 - 2022", "dates"]]},
    ]
    labels, owners = align_owners(document, printed)
    [(features, gold)] = headers(document, labels, owners, printed)
    assert gold[:6] == ["title", "o", "employer", "employer", "employer", "o"]
    assert gold[-3:] == ["dates", "dates", "dates"]
    assert len(features) == len(gold)


def test_the_contact_lines_are_one_more_header_with_the_basics_tags() -> None:
    document = read_document(b"Ada Lovelace\nada@example.org | Paderborn\n\nEXPERIENCE\n", "txt")
    printed: list[dict[str, Any]] = [
        {"section": "header", "role": "name", "entry": None, "spans": [["Ada Lovelace", "name"]]},
        {
            "section": "header",
            "role": "contact",
            "entry": None,
            "spans": [["ada@example.org", "email"], [" | ", "o"], ["Paderborn", "location"]],
        },
        {"section": "work", "role": "heading", "entry": None, "spans": [["EXPERIENCE", "o"]]},
    ]
    labels, owners = align_owners(document, printed)
    [(features, gold)] = headers(document, labels, owners, printed)
    assert gold == ["email", "o", "location"]
    assert all(f["kind=basics"] == 1.0 for f in features)


def test_the_tagger_names_a_city_printed_alone_where_the_rules_see_no_place() -> None:
    document = read_document(b"Ada Lovelace\nada@example.org | Paderborn\n\nEXPERIENCE\n", "txt")
    labels = [
        (Section.HEADER, Role.NAME),
        (Section.HEADER, Role.CONTACT),
        (Section.WORK, Role.HEADING),
    ]
    assert extract(document, labels).basics.location.city is None
    basics = extract(document, labels, Tagged({"location": "Paderborn"})).basics
    assert basics.location.city == "Paderborn"
    start, end = basics.evidence["location.city"][0]
    assert document.raw[start:end] == "Paderborn"
    # Unsure, it leaves the place unread; where the rules read one, theirs stands.
    unsure = Tagged({"location": "Paderborn"}, probability=0.6)
    assert extract(document, labels, unsure).basics.location.city is None
    document = read_document(b"Ada Lovelace\nada@example.org | Lyon, France\n", "txt")
    tagged = Tagged({"location": "Lyon"})
    location = extract(document, labels[:2], tagged).basics.location
    assert (location.city, location.country_code) == ("Lyon", "FR")


def test_gold_tags_keep_their_place_past_letters_that_lower_to_two() -> None:
    # "İ" lowers to "i" and a combining dot: positions must still index the printed tags.
    document = read_document("Ada Lovelace\n\nEXPERIENCE\n\nİİİ Co | QA\n".encode(), "txt")
    printed: list[dict[str, Any]] = [
        {"section": "header", "role": "name", "entry": None, "spans": [["Ada Lovelace", "name"]]},
        {"section": "work", "role": "heading", "entry": None, "spans": [["EXPERIENCE", "o"]]},
        {
            "section": "work",
            "role": "entry",
            "entry": 0,
            "spans": [["İİİ Co", "employer"], [" | ", "o"], ["QA", "title"]],
        },
    ]
    labels, owners = align_owners(document, printed)
    [(_, gold)] = headers(document, labels, owners, printed)
    assert gold == ["employer", "employer", "o", "title"]


class Tagged:
    """A tagger that names what it was told to, so the engine's use of the fields is seen
    apart from any model's."""

    def __init__(self, values: dict[str, str], probability: float = 0.95) -> None:
        self.values = values
        self.probability = probability

    def fields(
        self, kind: str, lines: Sequence[Line], raw: str, wrapped: Collection[int] = ()
    ) -> dict[str, list[tuple[Piece, float]]]:
        self.wrapped = list(wrapped)
        out: dict[str, list[tuple[Piece, float]]] = {}
        for tag, text in self.values.items():
            start = raw.index(text, lines[0].start)
            out[tag] = [(Piece(text, [(start, start + len(text))]), self.probability)]
        return out


def test_the_engine_takes_the_tagged_fields_and_keeps_the_rest_of_its_reading() -> None:
    document = read_document(HEADER + b"- Wrote the first program\n", "txt")
    labels = [*LABELS, (Section.WORK, Role.BULLET)]
    rules = extract(document, labels)
    [work] = extract(document, labels, Tagged({"employer": "Babbage & Co"})).work
    assert work.name == "Babbage & Co"
    assert work.position == rules.work[0].position == "Analyst"  # the rules' reading stays
    assert (work.start_date, work.end_date) == ("2019", "2022")
    assert work.highlights == ["Wrote the first program"]
    assert work.confidence == 0.95


def test_the_engine_tells_the_tagger_which_header_lines_continue_the_one_before() -> None:
    document = read_document(
        "Ada Lovelace\n\nEDUCATION\n\nUniversidad Politécnica de\nÁvila\t2020 - 2023\n".encode(),
        "txt",
    )
    for role, wrapped in ((Role.CONT, [1]), (Role.DETAIL, [])):
        labels = [*LABELS[:2], (Section.EDUCATION, Role.ENTRY), (Section.EDUCATION, role)]
        labels[1] = (Section.EDUCATION, Role.HEADING)
        tagger = Tagged({"institution": "Universidad"})
        extract(document, labels, tagger)
        assert tagger.wrapped == wrapped


def test_a_rules_value_overlapping_a_tagged_one_yields_to_it() -> None:
    document = read_document(HEADER, "txt")
    # The rules read "Analyst" as the position; the tagger says it names the employer.
    [work] = extract(document, LABELS, Tagged({"employer": "Analyst"})).work
    assert work.name == "Analyst"
    assert work.position is None
    assert "position" not in work.evidence


def test_a_field_the_tagger_is_unsure_of_is_left_to_the_rules() -> None:
    document = read_document(HEADER, "txt")
    rules = extract(document, LABELS)
    unsure = extract(document, LABELS, Tagged({"employer": "Analyst"}, probability=0.6))
    assert unsure.work[0].name == rules.work[0].name == "Babbage & Co"
    assert unsure.work[0].position == "Analyst"


def test_a_tagged_reading_that_leaves_no_name_keeps_the_rules_item() -> None:
    document = read_document(b"Ada Lovelace\n\nEXPERIENCE\n\nAnalyst\n2019 - 2022\n", "txt")
    labels = [*LABELS[:3], (Section.WORK, Role.DETAIL)]
    [rules] = extract(document, labels).work
    # The tagger reads the only name as a place: the item would have neither title nor
    # employer, so the rules' reading stands.
    [work] = extract(document, labels, Tagged({"place": "Analyst"})).work
    assert work == rules
    assert "Analyst" in (work.name, work.position)


def test_the_committed_tagger_names_the_fields_of_a_header_it_never_saw() -> None:
    tagger = FieldTagger.default()
    assert tagger is not None, "resumes/extraction/learned/model/fields.crfsuite is missing"
    document = read_document(
        b"Grace Hopper\n\nEXPERIENCE\n\nSenior Data Engineer | Initech GmbH | Berlin, DE\n"
        b"2019 - 2022\n\nEDUCATION\n\nMSc in Mathematics\nYale University\n1930 - 1934\n",
        "txt",
    )
    work_lines = document.lines[2:4]
    fields = tagger.fields("work", work_lines, document.raw)
    assert fields["title"][0][0].text == "Senior Data Engineer"
    assert fields["employer"][0][0].text == "Initech GmbH"
    assert 0.0 < fields["title"][0][1] <= 1.0
    education = tagger.fields("education", document.lines[5:8], document.raw)
    assert education["institution"][0][0].text == "Yale University"
    assert education["degree"][0][0].text == "MSc"
    assert education["area"][0][0].text == "Mathematics"

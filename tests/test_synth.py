"""The synthetic corpus generator, on the families that need nothing outside the virtualenv:
every value of the ground truth and every labelled line is in the document, a seed gives
the same corpus, and the rules extractor stays above a sanity floor on it."""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import docx
import pypdfium2 as pdfium
import pytest

from resumes.extraction.evaluation import normalise, score_document, total
from resumes.extraction.labels import Role, Section
from resumes.extraction.rules import extract
from resumes.extraction.synth.compose import compose, paired
from resumes.extraction.synth.families import _sidebar, base_style, families, generate
from resumes.extraction.synth.people import LANGUAGES, make_person
from resumes.extraction.synth.render_html import _flow, render_html
from resumes.extraction.synth.render_latex import source, tex
from resumes.extraction.synth.render_text import TextLook, render_txt
from resumes.reading import read_document

VENV_PRODUCERS = ("text", "markdown", "python-docx", "typst", "reportlab")
NOT_PRINTED = frozenset({"startDate", "endDate", "date", "countryCode", "_meta"})


def squash(text: str) -> str:
    """Compared without spaces, case or the pictographs a producer draws as icons."""
    text = "".join(c for c in text.replace("\u2010", "-") if unicodedata.category(c) != "So")
    return re.sub(r"\s+", "", normalise(text))


def printed(value: str, text: str) -> bool:
    """``value``'s words occur in ``text`` in order (squashed): a value may wrap around a
    cell printed beside it ("Consultant⇥Lyon, FR | 2016 – 2019⏎technique")."""
    position = 0
    for word in value.split():
        found = text.find(squash(word), position)
        if found < 0:
            return False
        position = found + len(squash(word))
    return True


def document_text(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".docx":
        document = docx.Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts += [cell.text for cell in row.cells]
        return "\n".join(parts)
    if path.suffix == ".pdf":
        pdf = pdfium.PdfDocument(data)
        try:
            return "\n".join(page.get_textpage().get_text_range() for page in pdf)
        finally:
            pdf.close()
    return data.decode()


def printed_values(node: Any, key: str = "") -> list[str]:
    if key in NOT_PRINTED:
        return []
    if isinstance(node, dict):
        return [v for k, child in node.items() for v in printed_values(child, k)]
    if isinstance(node, list):
        return [v for child in node for v in printed_values(child, key)]
    return [str(node)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("synth")
    return generate(out, count=1, seed=5, only=list(VENV_PRODUCERS), log=lambda _: None)


def test_every_venv_family_writes_a_document(corpus: list[Path]) -> None:
    """One document per family, each beside its ground truth and labels."""
    expected = {f.name for f in families() if f.producer in VENV_PRODUCERS}
    assert len(expected) >= 13
    written = {path.name.rsplit("-", 2)[0] for path in corpus}
    assert written == expected
    for path in corpus:
        assert path.with_suffix(".json").is_file()
        assert path.with_name(path.stem + ".labels.json").is_file()


def test_ground_truth_and_labels_are_what_the_document_prints(corpus: list[Path]) -> None:
    """Every recorded value and every labelled span occurs in the document's own text."""
    for path in corpus:
        text = squash(document_text(path))
        gold = json.loads(path.with_suffix(".json").read_text())
        assert gold["basics"]["name"]
        assert gold.get("work") or gold.get("education"), path.name
        for value in printed_values(gold):
            assert printed(value, text), (path.name, value)
        labels = json.loads(path.with_name(path.stem + ".labels.json").read_text())
        assert labels["family"] == gold["_meta"]["family"]
        for line in labels["lines"]:
            for span, _ in line["spans"]:
                assert printed(span, text), (path.name, span)


def test_latex_prints_text_as_it_is_written() -> None:
    """Characters TeX reads as commands or ligatures are escaped; a wide gap stays wide."""
    assert tex("R&D 100% C# a_b {x} ~y $5") == (
        "R\\&D 100\\% C\\# a\\_b \\{x\\} \\textasciitilde{}y \\$5"
    )
    assert tex("2019 -- 2021") == "2019 -{}- 2021"  # not an en dash
    assert tex("Ana  ana@example.org") == "Ana\\quad ana@example.org"


@pytest.mark.parametrize("dates", ["right", "left"])
def test_a_latex_source_prints_every_line(dates: str) -> None:
    """Every span of every labelled line is in the source, escaped (no TeX needed)."""
    rng = random.Random(3)  # noqa: S311
    person = make_person(rng, "fr")
    doc = compose(person, base_style(rng, "fr"), family="t", producer="t")
    text = source(doc, rng, engine="pdflatex", dates=dates, sidebar=False)
    for line in doc.lines:
        for span in line.spans:
            assert tex(span.text) in text, span.text


LATEX = [f for f in families() if f.producer in ("pdflatex", "xelatex")]


@pytest.mark.skipif(
    not all(shutil.which(f.producer) for f in LATEX), reason="TeX Live is not installed"
)
def test_latex_families_print_their_ground_truth(tmp_path: Path) -> None:
    """pdfTeX and XeTeX documents in every language hold every recorded value (words TeX
    hyphenated at a line end read whole)."""
    written = generate(tmp_path, count=3, seed=4, only=[f.name for f in LATEX], log=lambda _: None)
    assert len(written) == 3 * len(LATEX)
    for path in written:
        # PDFium marks a hyphen that breaks a word at a line end U+FFFE, or keeps it.
        text = squash(re.sub(r"-\r?\n|\ufffe", "", document_text(path)))
        gold = json.loads(path.with_suffix(".json").read_text())
        for value in printed_values(gold):
            assert printed(value, text), (path.name, value)


def test_ground_truth_dates_follow_the_corpus_conventions(corpus: list[Path]) -> None:
    """YYYY or YYYY-MM; a current position has a start and no end."""
    for path in corpus:
        gold = json.loads(path.with_suffix(".json").read_text())
        for section in ("work", "volunteer", "education"):
            for item in gold.get(section, []):
                for key in ("startDate", "endDate"):
                    if key in item:
                        assert re.fullmatch(r"\d{4}(-\d{2})?", item[key]), (path.name, item)
                if "startDate" in item and "endDate" in item:
                    assert item["startDate"] <= item["endDate"], (path.name, item)


def test_a_seed_gives_the_same_corpus(tmp_path: Path) -> None:
    """Same seed, same people and ground truth; another seed, other people."""
    first = generate(tmp_path / "a", count=2, seed=9, only=["text"], log=lambda _: None)
    again = generate(tmp_path / "b", count=2, seed=9, only=["text"], log=lambda _: None)
    other = generate(tmp_path / "c", count=2, seed=10, only=["text"], log=lambda _: None)
    for a, b in zip(first, again, strict=True):
        assert a.read_bytes() == b.read_bytes()
        assert a.with_suffix(".json").read_text() == b.with_suffix(".json").read_text()
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]


def test_a_seed_gives_the_same_people_whatever_the_string_hashing() -> None:
    """Faker builds some word lists from sets: their order must not follow PYTHONHASHSEED."""
    script = (
        "import random; from resumes.extraction.synth.people import LANGUAGES, make_person; "
        "print([repr(make_person(random.Random(n), lang)) for n in range(3) for lang in LANGUAGES])"
    )
    people = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(people) == 1


def test_people_come_in_every_language() -> None:
    """Each language gives a person with its own locale and section headings."""
    for language in LANGUAGES:
        person = make_person(random.Random(f"{language}-1"), language)  # noqa: S311
        assert person.language == language
        assert person.jobs
        assert person.education
        assert person.skills
        assert person.headings["work"]


def test_some_people_list_publications_the_profile_does_not_keep() -> None:
    """Citations under their heading, as lines of a section the profile does not keep:
    nothing of them in the ground truth."""
    people = [make_person(random.Random(f"papers-{n}"), "de") for n in range(40)]  # noqa: S311
    listed = [p for p in people if any(e.kind == "publications" for e in p.extras)]
    assert 0 < len(listed) < len(people)
    person = listed[0]
    doc = compose(person, base_style(random.Random(0), "de"), family="t", producer="t")  # noqa: S311
    lines = [line for line in doc.lines if line.section is Section.PUBLICATIONS]
    assert lines[0].role is Role.HEADING
    assert lines[0].text in ("Publikationen", "Veröffentlichungen")
    assert all(line.role is Role.OTHER for line in lines[1:])
    surname = person.basics.name.split()[-1]
    assert all(surname in line.text for line in lines[1:])
    assert "publications" not in doc.gt


def test_a_certificate_date_may_be_set_as_an_entry_date() -> None:
    """Beside the certificate's name (or in the date column), as jobs' dates are."""
    for n in range(50):
        rng = random.Random(f"dated-{n}")  # noqa: S311
        person = make_person(rng, "en")
        if person.certificates and person.certificates[0].issued:
            break
    style = base_style(rng, "en", certificate_dates_aside=True)
    doc = compose(person, style, family="t", producer="t")
    lines = [line for line in doc.lines if line.section is Section.CERTIFICATES]
    entry, aside = next((a, b) for a, b in paired(lines) if a.role is Role.ENTRY)
    assert entry.text.startswith(person.certificates[0].name)
    assert aside is not None
    issued = person.certificates[0].issued
    assert issued is not None
    year = str(issued[0])
    assert year in aside.text
    assert doc.gt["certificates"][0]["date"].startswith(year)


def test_rules_extractor_stays_above_a_sanity_floor(corpus: list[Path]) -> None:
    """The bench reports the figures; here only that reading and extraction do not collapse."""
    scores = []
    for path in corpus:
        gold = json.loads(path.with_suffix(".json").read_text())
        text = read_document(path.read_bytes(), path.suffix[1:])
        predicted = extract(text).to_json_resume()
        scores.append(total(score_document(gold, predicted).values()).f1)
    assert sum(scores) / len(scores) >= 0.4


def test_a_template_may_print_the_summary_unheaded_and_entries_without_weight() -> None:
    rng = random.Random("unheaded")  # noqa: S311
    person = make_person(rng, "en")
    style = base_style(rng, "en", summary_heading=False, weights=False)
    doc = compose(person, style, family="test", producer="test")
    summary = [line for line in doc.lines if line.section is Section.SUMMARY]
    assert [line.role for line in summary] == [Role.TEXT]
    assert not any("bold" in line.style for line in doc.lines)
    style = base_style(rng, "en", summary_heading=True, weights=True)
    headed = compose(person, style, family="test", producer="test")
    assert [ln.role for ln in headed.lines if ln.section is Section.SUMMARY] == [
        Role.HEADING,
        Role.TEXT,
    ]
    assert any("bold" in line.style for line in headed.lines)


def test_html_templates_may_set_entries_as_cards_side_by_side() -> None:
    rngs = (random.Random(f"cards-{n}") for n in range(100))  # noqa: S311
    rng, person = next((r, p) for r in rngs if len((p := make_person(r, "en")).projects) > 1)
    doc = compose(person, base_style(rng, "en"), family="test", producer="test")
    projects = [line for line in doc.lines if line.section is Section.PROJECTS]
    page = _flow(projects, "right", icons=False, cards=("projects",))
    assert page.count('class="card"') == len(person.projects) >= 1
    assert page.count('class="cards"') == 1
    assert 'class="card"' not in _flow(projects, "right", icons=False)


def test_sidebars_may_hold_projects_and_education_too() -> None:
    make = _sidebar(("contact", "skills"))
    sides = {make(random.Random(f"side-{n}"), "en").side for n in range(40)}  # noqa: S311
    assert ("contact", "skills") in sides
    assert any("projects" in side for side in sides)
    assert any("education" in side for side in sides)


def test_html_templates_may_set_entry_names_larger_than_the_body() -> None:
    person = make_person(random.Random("entry-size"), "en")  # noqa: S311
    doc = compose(person, base_style(random.Random(1), "en"), family="t", producer="t")  # noqa: S311
    sizes = set()
    for n in range(20):
        page = render_html(doc, random.Random(f"entry-size-{n}"), layout="onecol")  # noqa: S311
        found = re.search(r"\.entry \{[^}]*font-size: ([\d.]+)em", page)
        assert found
        sizes.add(float(found[1]))
    assert 1.0 in sizes
    assert max(sizes) > 1.0


def _levelled(shape: str) -> tuple[random.Random, Any]:
    """A person whose skills carry levels: in groups (``shape`` "groups") or one a skill."""
    for n in range(200):
        rng = random.Random(f"levels-{n}")  # noqa: S311
        person = make_person(rng, "en")
        levelled = [group for group in person.skills if group.level]
        if levelled and all(bool(g.keywords) == (shape == "groups") for g in levelled):
            return rng, person
    raise AssertionError(f"no person with levelled {shape}")


@pytest.mark.parametrize("shape", ["groups", "single"])
@pytest.mark.parametrize("skills", ["labelled", "one-a-line"])
def test_skills_may_carry_levels_printed_as_words(shape: str, skills: str) -> None:
    rng, person = _levelled(shape)
    style = base_style(rng, "en", skills=skills)
    doc = compose(person, style, family="test", producer="test")
    lines = [line.text for line in doc.lines if line.section is Section.SKILLS]
    for number, group in enumerate(person.skills):
        assert doc.gt["skills"][number]["level"] == group.level
        assert any(group.level in text for text in lines)
        if skills == "one-a-line":
            # The level on a line of its own, under the group's label or the skill.
            assert group.level in lines
    # Read back from plain text, the rules engine finds the same skills and levels.
    text = read_document(render_txt(doc, TextLook()), "txt")
    found = {(s["name"], s.get("level")) for s in extract(text).to_json_resume()["skills"]}
    if shape == "single":
        assert {(g.name, g.level) for g in person.skills} <= found

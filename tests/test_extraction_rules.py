"""The offline rules engine on our own test resumes (and the dev corpus when present)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from resumes.extraction import get_provider
from resumes.extraction.evaluation import score_document, total
from resumes.extraction.rules import extract
from resumes.extraction.rules.vocabulary import canonical_skill, heading_kind
from resumes.extraction.schema import Evidenced, Extraction
from resumes.reading import ResumeText, read_document

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "resumes"
CORPUS = ROOT.parent / "shared" / "corpus"
KINDS = ("pdf", "docx", "txt")


def documents(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.suffix[1:] in KINDS and p.with_suffix(".json").exists()
    )


def read(path: Path) -> ResumeText:
    return read_document(path.read_bytes(), path.suffix[1:])


def squash(text: str) -> str:
    return re.sub(r"[\s*_]+", "", text).casefold()


def value_at(item: Any, key: str) -> Any:
    attribute = {"startDate": "start_date", "endDate": "end_date", "studyType": "study_type"}
    value = item
    for part in key.split("."):
        if part.isdigit():
            value = value[int(part)]
        else:
            name = attribute.get(part, re.sub(r"([A-Z])", r"_\1", part).lower())
            value = getattr(value, name)
    return value


def evidenced_items(extraction: Extraction) -> list[Evidenced]:
    items: list[Evidenced] = [extraction.basics, *extraction.basics.profiles]
    for section in ("work", "volunteer", "education", "skills", "projects", "certificates"):
        items.extend(getattr(extraction, section))
    return items


def check_evidence(text: ResumeText, extraction: Extraction) -> int:
    """Every evidenced value is found in the raw text at its spans; returns values checked."""
    checked = 0
    for item in evidenced_items(extraction):
        for key, spans in item.evidence.items():
            assert spans, key
            for start, end in spans:
                assert 0 <= start < end <= len(text.raw), (key, spans)
            value = value_at(item, key.replace("location.countryCode", "location.country_code"))
            printed = " ".join(text.raw[s:e] for s, e in spans)
            if key in ("startDate", "endDate", "date", "location.countryCode"):
                continue  # normalised values: the span holds the printed form
            assert squash(str(value)) in squash(printed), (key, value, printed)
            checked += 1
    return checked


@pytest.mark.parametrize("path", documents(FIXTURES), ids=lambda p: p.name)
def test_own_fixtures_are_extracted(path: Path) -> None:
    """Our own resumes (other layouts, DOCX, German/French) score F1 >= 0.95 in every section."""
    gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    predicted = extract(read(path)).to_json_resume()
    scores = score_document(gold, predicted)
    for section, score in scores.items():
        if score.counted:
            assert score.f1 >= 0.95, (section, score, predicted.get(section))
    assert total(scores.values()).f1 >= 0.97


@pytest.mark.parametrize("path", documents(FIXTURES) + documents(CORPUS), ids=lambda p: p.name)
def test_evidence_spans_point_at_the_values(path: Path) -> None:
    """raw[start:end] holds each extracted value, for every field of every item."""
    text = read(path)
    extraction = extract(text)
    assert check_evidence(text, extraction) > 10


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the dev corpus is not checked out")
def test_dev_corpus_accuracy() -> None:
    """On the dev corpus: overall F1 >= 0.97 and every section >= 0.90."""
    sections: dict[str, Any] = {}
    for path in documents(CORPUS):
        gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        for name, score in score_document(gold, extract(read(path)).to_json_resume()).items():
            sections.setdefault(name, []).append(score)
    for name, scores in sections.items():
        assert total(scores).f1 >= 0.90, name
    assert total(s for scores in sections.values() for s in scores).f1 >= 0.97


def test_hidden_keywords_are_not_extracted() -> None:
    """White-on-white and tiny keyword stuffing never becomes a skill or any other value."""
    extraction = extract(read(FIXTURES / "sidebar_en.pdf"))
    dumped = json.dumps(extraction.to_json_resume())
    for word in ("Rockstar", "Haskell", "Terraform", "Scala"):
        assert word not in dumped


def test_extraction_is_deterministic_with_confidences() -> None:
    """The same input gives the same output; every item has a confidence in (0, 1]."""
    text = read(FIXTURES / "lebenslauf_de.txt")
    first, second = extract(text), extract(text)
    assert first == second
    for item in evidenced_items(first):
        assert 0 < item.confidence <= 1


def test_rules_provider_labels_its_results() -> None:
    """The rules provider records which model produced the result."""
    provider = get_provider("rules")
    result = provider.extract(read(FIXTURES / "cv_fr.docx"))
    assert provider.model_label == result.ai_model_used == "rules-1"


def test_json_resume_has_no_empty_values_and_open_ranges_have_no_end() -> None:
    """to_json_resume() drops empty values; a current job has startDate only."""
    data = extract(read(FIXTURES / "lebenslauf_de.txt")).to_json_resume()

    def walk(value: Any) -> None:
        assert value not in (None, "", [], {})
        if isinstance(value, dict):
            for key, item in value.items():
                assert key not in ("confidence", "evidence", "current")
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    assert data["work"][0]["startDate"] == "2021-03"
    assert "endDate" not in data["work"][0]


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("WORK EXPERIENCE", "work"),
        ("Berufserfahrung", "work"),
        ("Expérience professionnelle", "work"),
        ("Experiencia laboral", "work"),
        ("Ausbildung", "education"),
        ("Formación académica", "education"),
        ("Compétences", "skills"),
        ("Kenntnisse:", "skills"),
        ("Proyectos", "projects"),
        ("Zertifikate", "certificates"),
        ("Bénévolat", "volunteer"),
        ("Skills & Awards", "skills"),
    ],
)
def test_headings_in_four_languages(heading: str, kind: str) -> None:
    """Section headings are recognised in English, German, French and Spanish."""
    found = heading_kind(heading)
    assert found is not None
    assert found[0] == kind


def test_skills_vocabulary_normalises_synonyms() -> None:
    """The shipped vocabulary maps spellings and synonyms to one name."""
    assert canonical_skill("js") == "JavaScript"
    assert canonical_skill("K8s") == "Kubernetes"
    assert canonical_skill("postgres") == "PostgreSQL"
    assert canonical_skill("Deutsch") == "German"
    assert canonical_skill("no such skill") is None


def test_space_separated_skills_split_at_known_terms() -> None:
    """An unlabelled space-separated list is split into known (multi-word) skills."""
    text = read_document(b"Jo Bloggs\n\nSKILLS\nPython REST APIs Docker Machine Learning\n", "txt")
    names = [s.name for s in extract(text).skills]
    assert names == ["Python", "REST APIs", "Docker", "Machine Learning"]


def test_the_line_under_the_name_is_the_headline_and_the_summary_section_the_summary() -> None:
    document = read_document(
        b"Grace Hopper\nComputer Scientist\ngrace@example.com | +1 555 123 4567\n\n"
        b"SUMMARY\n\nPioneer of compilers and of\nmachine-independent languages.\n\n"
        b"EXPERIENCE\n\nSenior Scientist, Navy\t1984 - 1989\n",
        "txt",
    )
    basics = extract(document).basics
    assert basics.label == "Computer Scientist"
    assert basics.summary == "Pioneer of compilers and of machine-independent languages."
    start, end = basics.evidence["label"][0]
    assert document.raw[start:end] == "Computer Scientist"


@pytest.mark.parametrize(
    "name",
    ["Zeynep van de Brink", "Danilo da Rocha", "Leon van Kuijc van Malsen", "Grace Hopper"],
)
def test_a_name_may_hold_particles_in_lower_case(name: str) -> None:
    document = read_document(
        f"{name}\ndata engineer\n{name.split()[0].lower()}@example.com\n\n"
        "EXPERIENCE\n\nScientist, Navy\t1984 - 1989\n".encode(),
        "txt",
    )
    assert extract(document).basics.name == name


@pytest.mark.parametrize("line", ["Zeynep van de", "van Brink", "Ada Lovelace de la Crème y Más"])
def test_a_particle_neither_ends_nor_opens_a_name(line: str) -> None:
    document = read_document(f"{line}\n\nEXPERIENCE\n\nScientist, Navy\n".encode(), "txt")
    assert extract(document).basics.name is None


def test_contact_details_under_the_name_are_no_headline() -> None:
    document = read_document(
        b"Grace Hopper\ngrace@example.com\n\nEXPERIENCE\n\nScientist, Navy\t1984 - 1989\n", "txt"
    )
    basics = extract(document).basics
    assert basics.label is None
    assert basics.summary is None


@pytest.mark.parametrize(
    ("printed", "location"),
    [
        ("Hauptstr. 5, 10115 Berlin", {"city": "Berlin"}),
        ("12, rue Martin, 75001 Paris, France", {"city": "Paris", "countryCode": "FR"}),
        ("Travessa Borges 87, 1317-066 Mealhada", {"city": "Mealhada"}),
        ("Lucasboulevard 7, 8631 BY Schaijk", {"city": "Schaijk"}),
        ("Danadreef 781, 9480UR Landgraaf", {"city": "Landgraaf"}),
        ("Nieuwpoort, Nederland", {"city": "Nieuwpoort", "countryCode": "NL"}),
        ("Bolzano, Germania", {"city": "Bolzano", "countryCode": "DE"}),
        ("Porto, Países Baixos", {"city": "Porto", "countryCode": "NL"}),
        ("Esplanada Mendonça 93, 63868677 Souza das Pedras", {"city": "Souza das Pedras"}),
        ("Timothybury, CO", {"city": "Timothybury", "region": "CO"}),
        ("290 Bremner Blvd, Toronto, Ontario, M5V 3L9", {"city": "Toronto", "region": "Ontario"}),
        ("141 Hodges Mountains, Kramerville, CA 85906", {"city": "Kramerville", "region": "CA"}),
    ],
)
def test_a_street_address_or_a_country_in_any_of_the_languages_gives_the_city(
    printed: str, location: dict[str, str]
) -> None:
    text = f"Ada Lovelace\nada@example.com\n{printed}\n\nExperience\n\nEngineer, Acme\t2019\n"
    document = read_document(text.encode(), "txt")
    basics = extract(document).to_json_resume()["basics"]
    assert basics["location"] == location
    assert basics["email"] == "ada@example.com"


def test_skills_one_a_line_keep_the_level_printed_under_each() -> None:
    document = read_document(
        b"Ada Lovelace\n\nSkills\n\nPython\nExpert\nHaskell\nFortgeschritten\nCOBOL\n", "txt"
    )
    skills = extract(document).to_json_resume()["skills"]
    assert [(s["name"], s.get("level")) for s in skills] == [
        ("Python", "Expert"),
        ("Haskell", "Fortgeschritten"),
        ("COBOL", None),
    ]


def test_a_level_in_brackets_after_a_group_label_is_its_level() -> None:
    document = read_document(
        b"Ada Lovelace\n\nSkills\n\nFrameworks (Advanced): React, Vue\n"
        b"Languages (C1 Level): Python, Go\n",
        "txt",
    )
    extraction = extract(document)
    first, second = extraction.skills
    assert (first.name, first.level, first.keywords) == ("Frameworks", "Advanced", ["React", "Vue"])
    [(start, end)] = first.evidence["level"]
    assert document.raw[start:end] == "Advanced"
    assert (second.name, second.level) == ("Languages (C1 Level)", None)  # not a level word

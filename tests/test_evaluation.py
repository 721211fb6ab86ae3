"""The ground-truth scorer follows the corpus conventions."""

from __future__ import annotations

from typing import Any

import pytest

from resumes.extraction.evaluation import (
    normalise,
    same_phone,
    same_skill,
    same_url,
    score_basics,
    score_document,
    score_list,
    score_skills,
)


def test_normalise() -> None:
    """NFKC, soft hyphens, dashes, quotes, markup, bullets, case, spaces, trailing punctuation."""
    assert normalise("  **Senior**  Developer. ") == "senior developer"
    assert normalise("co\u00adoperate – “fast”;") == 'cooperate - "fast"'
    assert normalise("• Bachelor’s") == "bachelor's"
    assert normalise("ﬁnance") == "finance"


def test_phone_url_and_skill_equivalences() -> None:
    """Phones compare by digits with a prefix allowed, URLs without scheme/www/slash."""
    assert same_phone("+1 (415) 555-0142", "415.555.0142")
    assert not same_phone("555-0142", "555-0143")
    assert not same_phone("0142", "5550142")
    assert same_url("https://www.johndoe.me/", "johndoe.me")
    assert same_skill("Python", "Python (Pandas/Numpy)")
    assert same_skill("REST", "REST APIs")
    assert same_skill("APIs", "REST APIs")
    assert not same_skill("Java", "JavaScript")


def test_basics_fields_count_once_each() -> None:
    """A right field is a TP, a wrong one FP+FN, a missing one FN, an extra one FP."""
    gold = {"name": "John Doe", "email": "j@x.org", "phone": "555 123 4567"}
    predicted = {"name": "JOHN DOE", "email": "other@x.org", "url": "https://j.me"}
    score = score_basics(gold, predicted)
    assert (score.tp, score.fp, score.fn) == (1, 2, 2)


def test_work_alignment_dates_and_highlights() -> None:
    """Items align one-to-one; YYYY-MM counts for YYYY gold; current must be predicted."""
    gold: list[dict[str, Any]] = [
        {
            "name": "Acme",
            "position": "Engineer",
            "startDate": "2020",
            "highlights": ["Built the thing that made money", "Led a team of four"],
        },
        {"name": "Initech", "position": "Intern", "startDate": "2018-01", "endDate": "2018-06"},
    ]
    predicted: list[dict[str, Any]] = [
        {"name": "Initech", "position": "Intern", "startDate": "2018-01", "endDate": "2018-06"},
        {
            "name": "Acme",
            "position": "Engineer",
            "startDate": "2020-03",
            "endDate": "2021",
            "highlights": ["Built the thing that made money!", "Something else entirely"],
        },
    ]
    score = score_list("work", gold, predicted)
    # Acme: name, position, start TP; end FP; current FN; highlights 1 TP, 1 FP, 1 FN.
    # Initech: name, position, start, end TP.
    assert (score.tp, score.fp, score.fn) == (8, 2, 2)


def test_single_date_gold_accepts_either_field() -> None:
    """For start == end gold, the date in either predicted field is right."""
    gold = [{"institution": "UC Berkeley", "startDate": "2019", "endDate": "2019"}]
    predicted = [{"institution": "UC Berkeley", "endDate": "2019"}]
    score = score_list("education", gold, predicted)
    assert (score.tp, score.fp, score.fn) == (3, 0, 0)


def test_degree_is_compared_as_one_string() -> None:
    """studyType + area is one field compared by token-set similarity."""
    gold = [{"institution": "MIT", "studyType": "Bachelor of Science", "area": "Physics"}]
    predicted = [{"institution": "MIT", "studyType": "Bachelor of Science in Physics"}]
    score = score_list("education", gold, predicted)
    assert (score.tp, score.fp, score.fn) == (2, 0, 0)


def test_unmatched_items_count_all_their_fields() -> None:
    """A missing item is a false negative per field; an invented one a false positive each."""
    gold = [{"name": "AWS Certified Developer", "issuer": "Amazon", "date": "2019"}]
    predicted = [{"name": "Scrum Master", "issuer": "Scrum.org"}]
    score = score_list("certificates", gold, predicted)
    assert (score.tp, score.fp, score.fn) == (0, 2, 3)


def test_skills_are_flattened_atomic_terms() -> None:
    """Keywords plus names of keyword-less entries; whole-word subsequences match."""
    gold: list[dict[str, Any]] = [
        {"name": "Languages", "keywords": ["Python", "Go"]},
        {"name": "REST APIs"},
    ]
    predicted: list[dict[str, Any]] = [
        {"name": "Python"},
        {"name": "Backend", "keywords": ["REST", "Rust"]},
    ]
    score = score_skills(gold, predicted)
    assert (score.tp, score.fp, score.fn) == (2, 1, 1)


def test_sections_absent_on_both_sides_are_not_counted() -> None:
    """Nothing annotated and nothing predicted scores nothing."""
    scores = score_document({"basics": {"name": "A B"}}, {"basics": {"name": "A B"}})
    assert scores["basics"].tp == 1
    assert not scores["projects"].counted
    assert not scores["skills"].counted


@pytest.mark.parametrize(
    ("gold", "predicted", "counts"),
    [
        ({"startDate": "2020"}, {"startDate": "2020"}, (2, 0, 0)),
        ({"startDate": "2020"}, {"startDate": "2020", "endDate": "2021"}, (1, 1, 1)),
        ({"startDate": "2020", "endDate": "2021"}, {"startDate": "2020"}, (1, 1, 1)),
    ],
)
def test_current_must_be_predicted_as_current(
    gold: dict[str, str], predicted: dict[str, str], counts: tuple[int, int, int]
) -> None:
    """An open range in the gold needs an open range in the prediction, and vice versa."""
    score = score_list("projects", [{"name": "X", **gold}], [{"name": "X", **predicted}])
    assert (score.tp - 1, score.fp, score.fn) == counts

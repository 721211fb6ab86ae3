"""Matching extracted entities to profile entities (pure functions, no database)."""

from __future__ import annotations

from typing import Any

import pytest

from profiles.entities import spec_for_type
from profiles.matching import Candidate, best_matches, fields_equal, work_score


def candidate(**fields: Any) -> Candidate:
    return Candidate(logical_entity_id=len(fields), version=1, fields=fields)


@pytest.mark.parametrize(
    ("upload", "profile"),
    [
        (
            {"title": "Sr. Software Engineer", "company": "Google", "start_date": "2019-01"},
            {"title": "Senior Software Engineer", "company": "Google LLC", "start_date": "2019-03"},
        ),
        (
            {"title": "Software Dev", "company": "The Acme Company, Inc.", "start_date": "2018"},
            {"title": "Software Developer", "company": "ACME", "start_date": "2018-06"},
        ),
        (
            {"title": "Engineering Manager", "company": "Globex Corp.", "start_date": "2020-01"},
            {"title": "Senior Engineer", "company": "Globex Corporation", "start_date": "2019-01"},
        ),
    ],
)
def test_the_same_job_written_differently_matches(
    upload: dict[str, Any], profile: dict[str, Any]
) -> None:
    [match] = best_matches(work_score, [upload], [candidate(**profile)])
    assert match is not None


@pytest.mark.parametrize(
    ("upload", "profile"),
    [
        # Another employer with the same title.
        (
            {"title": "Software Engineer", "company": "Initech", "start_date": "2019-01"},
            {"title": "Software Engineer", "company": "Globex", "start_date": "2019-01"},
        ),
        # The same employer, another job at another time.
        (
            {
                "title": "Intern",
                "company": "Google",
                "start_date": "2012-06",
                "end_date": "2012-09",
            },
            {"title": "Staff Engineer", "company": "Google", "start_date": "2020-01"},
        ),
        # "Google" is not "Google Cloud Partners".
        (
            {"title": "Engineer", "company": "Google Cloud Partners Ltd", "start_date": "2019"},
            {"title": "Analyst", "company": "Google", "start_date": "2015", "end_date": "2016"},
        ),
    ],
)
def test_different_jobs_do_not_match(upload: dict[str, Any], profile: dict[str, Any]) -> None:
    assert best_matches(work_score, [upload], [candidate(**profile)]) == [None]


def test_matching_is_one_to_one_best_first() -> None:
    uploads = [
        {"title": "Engineer", "company": "Acme", "start_date": "2018-01", "end_date": "2019-12"},
        {"title": "Senior Engineer", "company": "Acme", "start_date": "2020-01"},
    ]
    profile = [
        candidate(title="Senior Engineer", company="Acme Inc", start_date="2020-01"),
        candidate(title="Engineer", company="Acme Inc", start_date="2018-01", end_date="2019-12"),
    ]
    profile[1] = Candidate("second", 1, profile[1].fields)
    profile[0] = Candidate("first", 1, profile[0].fields)
    matches = best_matches(work_score, uploads, profile)
    assert [m.candidate.logical_entity_id if m else None for m in matches] == ["second", "first"]


@pytest.mark.parametrize(
    ("entity_type", "upload", "profile", "same"),
    [
        ("skill", {"name": "Postgres"}, {"name": "PostgreSQL"}, True),
        ("skill", {"name": "JS"}, {"name": "JavaScript"}, True),
        ("skill", {"name": "k8s"}, {"name": "Kubernetes"}, True),
        ("skill", {"name": "Java"}, {"name": "JavaScript"}, False),
        ("skill", {"name": "C"}, {"name": "C++"}, False),
        (
            "education",
            {"institution": "MIT", "degree": "B.Sc.", "field_of_study": "Physics"},
            {"institution": "MIT", "degree": "Bachelor of Science", "field_of_study": "Physics"},
            True,
        ),
        (
            "education",
            {"institution": "MIT", "degree": "PhD", "field_of_study": "Physics"},
            {"institution": "MIT", "degree": "Bachelor of Science", "field_of_study": "Physics"},
            False,
        ),
        (
            "project",
            {"title": "Other", "url": "https://github.com/a/b/"},
            {"title": "x", "url": "github.com/a/b"},
            True,
        ),
        ("project", {"title": "CareerOS"}, {"title": "careeros"}, True),
        ("project", {"title": "CareerOS"}, {"title": "Career Coach"}, False),
        (
            "certification",
            {"name": "AWS Certified Developer", "issuing_organization": "Amazon Web Services"},
            {"name": "AWS Certified Developer – Associate", "issuing_organization": "AWS"},
            True,
        ),
        (
            "certification",
            {"name": "Anything", "credential_id": "ABC-123"},
            {"name": "Something else", "credential_id": "abc-123"},
            True,
        ),
        (
            "certification",
            {"name": "CKA", "issuing_organization": "CNCF"},
            {"name": "CKAD", "issuing_organization": "CNCF"},
            False,
        ),
    ],
)
def test_other_entity_types(
    entity_type: str, upload: dict[str, Any], profile: dict[str, Any], same: bool
) -> None:
    [match] = best_matches(spec_for_type(entity_type).score, [upload], [candidate(**profile)])
    assert (match is not None) is same


def test_fields_differ_only_in_substance() -> None:
    assert fields_equal("title", "Senior  Engineer.", "senior engineer")
    assert fields_equal("technologies", ["Go", "SQL"], ["sql", "go"])
    assert fields_equal("start_date", "2020", "2020-03")  # the profile is more precise
    assert not fields_equal("start_date", "2020-03", "2020")  # the upload adds the month
    assert fields_equal("description", "• Built it\n• Ran it", "- Built it\n- Ran it")
    assert not fields_equal("description", "• Built it for 2M users", "• Built it for 3M users")

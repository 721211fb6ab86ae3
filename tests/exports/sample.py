"""A made-up career profile of any size, for export tests and the export bench."""

from __future__ import annotations

import uuid
from typing import Any

from careeros.db.rls import user_context
from profiles.entities import spec_for_type
from profiles.models import User
from profiles.services import entity_create
from profiles.snapshots import ProfileSnapshot, SnapshotEntity

_TITLES = ("Data Engineer", "Software Engineer", "Engineering Manager", "Platform Engineer")
_COMPANIES = ("Northwind Traders", "Globex Corporation", "Initech", "Umbrella Analytics")
_CITIES = ("Berlin, Germany", "Leeds, UK", "Austin, TX", "Lyon, France")
_SCHOOLS = ("University of Leeds", "Technical University of Munich", "Ohio State University")
_DEGREES = (("Bachelor of Science", "Computer Science"), ("Master of Science", "Statistics"))
_SKILLS = (
    ("Python", "Languages"),
    ("PostgreSQL", "Databases"),
    ("Kubernetes", "Infrastructure"),
    ("Terraform", "Infrastructure"),
    ("Go", "Languages"),
    ("Redis", "Databases"),
    ("Apache Kafka", "Data"),
    ("dbt", "Data"),
)
_CERTS = (
    ("AWS Certified Solutions Architect", "Amazon Web Services"),
    ("Certified Kubernetes Administrator", "Cloud Native Computing Foundation"),
    ("Professional Scrum Master I", "Scrum.org"),
)


def sample_entities(count: int = 12) -> list[tuple[str, dict[str, Any]]]:
    """``count`` entities of every type in turn, every field filled, values distinct."""
    entities: list[tuple[str, dict[str, Any]]] = []
    for index in range(count):
        kind = index % 5
        n = index // 5
        year = 2024 - 2 * n
        if kind == 0:
            entities.append(
                (
                    "work_experience",
                    {
                        "title": f"{_TITLES[n % 4]} {n + 1}" if n >= 4 else _TITLES[n % 4],
                        "company": _COMPANIES[n % 4] if n < 4 else f"{_COMPANIES[n % 4]} {n}",
                        "location": _CITIES[n % 4],
                        "start_date": f"{year - 2}-0{1 + n % 9}",
                        "end_date": None if n == 0 else f"{year}-1{n % 3}",
                        "description": "Built the nightly billing pipeline that cut "
                        f"reconciliation time by {20 + n} percent."
                        + (
                            "\n• Cut cloud spend by a third\n• Mentored four engineers"
                            if n == 1
                            else ""
                        ),
                    },
                )
            )
        elif kind == 1:
            degree, area = _DEGREES[n % 2]
            entities.append(
                (
                    "education",
                    {
                        "institution": _SCHOOLS[n % 3] if n < 3 else f"{_SCHOOLS[n % 3]} {n}",
                        "degree": degree,
                        "field_of_study": area,
                        "start_date": f"{year - 12}",
                        "end_date": f"{year - 8}",
                        "gpa": f"3.{n % 10}",
                        "description": None,
                    },
                )
            )
        elif kind == 2:
            name, category = _SKILLS[n % len(_SKILLS)]
            entities.append(
                (
                    "skill",
                    {
                        "name": name if n < len(_SKILLS) else f"{name} {n}",
                        "category": category,
                        "proficiency_level": None,
                        "years_of_experience": None,
                        "context": None,
                    },
                )
            )
        elif kind == 3:
            entities.append(
                (
                    "project",
                    {
                        "title": f"Open Ledger {n + 1}",
                        "description": f"A double-entry ledger library used by {n + 3} teams.",
                        "technologies": ["Rust", "SQLite"],
                        "start_date": f"{year - 3}-05",
                        "end_date": f"{year - 2}-02",
                        "url": f"https://github.com/example/ledger-{n + 1}",
                        "role": "Maintainer",
                        "achievements": [f"Reached {100 * (n + 1)} stars"],
                    },
                )
            )
        else:
            name, issuer = _CERTS[n % 3]
            entities.append(
                (
                    "certification",
                    {
                        "name": name if n < 3 else f"{name} {n}",
                        "issuing_organization": issuer,
                        "credential_id": f"CRED-{1000 + n}",
                        "issue_date": f"{year - 1}-03",
                        "expiration_date": f"{year + 2}-03",
                        "credential_url": f"https://verify.example.com/{1000 + n}",
                        "description": None,
                    },
                )
            )
    return entities


def sample_snapshot(count: int = 12) -> ProfileSnapshot:
    """A snapshot (no database) of ``count`` sample entities."""
    return ProfileSnapshot(
        full_name="Ada Lovelace",
        email="ada@example.com",
        entities=[
            SnapshotEntity(
                entity_type=kind, logical_entity_id=uuid.uuid4(), version=1, fields=fields
            )
            for kind, fields in sample_entities(count)
        ],
    )


def seed_profile(user: User, count: int = 12) -> None:
    """Write ``count`` sample entities into ``user``'s profile, as manual entries."""
    with user_context(user.pk):
        for kind, fields in sample_entities(count):
            entity_create(model=spec_for_type(kind).model, user=user, fields=fields)


def seed_basics(user: User) -> None:
    """Give ``user``'s profile its basics, every field filled, as a manual entry."""
    with user_context(user.pk):
        entity_create(
            model=spec_for_type("basics").model,
            user=user,
            fields={
                "headline": "Data engineer",
                "summary": "Builds billing pipelines.",
                "email": "ada@resume.example",
                "phone": "+44 20 7946 0958",
                "location": "London, GB",
                "links": ["Website: https://ada.dev", "GitHub: https://github.com/ada"],
            },
        )

"""Fixture profiles: careers whose facts are known by construction."""

from __future__ import annotations

import uuid
from typing import Any

from careeros.db.rls import user_context
from enrichment.facts import Entry
from enrichment.schemas import EntityRef
from profiles.entities import spec_for_type
from profiles.models import User
from profiles.services import entity_create

# Junior → Senior at Acme (a promotion), eight months without a role, then a change of
# employer and field to data at Globex, promoted to lead there.
CAREER: list[tuple[str, dict[str, Any]]] = [
    (
        "work_experience",
        {
            "title": "Junior Developer",
            "company": "Acme Corp",
            "start_date": "2015-01",
            "end_date": "2016-12",
            "description": "Responsible for maintaining the billing service in Python.\n"
            "- Cut page load time by 40%\n"
            "- Migrated 12,000 customer accounts to PostgreSQL",
        },
    ),
    (
        "work_experience",
        {
            "title": "Senior Developer",
            "company": "Acme Corp",
            "start_date": "2017-01",
            "end_date": "2019-06",
            "description": "Led a team of 5 engineers building APIs in Python. "
            "Reduced cloud costs by $120k a year.",
        },
    ),
    (
        "work_experience",
        {
            "title": "Data Scientist",
            "company": "Globex",
            "start_date": "2020-03",
            "end_date": "2021-12",
            "description": "Built churn models with SQL and Python.",
        },
    ),
    (
        "work_experience",
        {
            "title": "Lead Data Scientist",
            "company": "Globex",
            "start_date": "2022-01",
            "description": "Duties included mentoring analysts.",
        },
    ),
    ("skill", {"name": "Python", "years_of_experience": 10}),
    ("skill", {"name": "SQL"}),
    (
        "education",
        {
            "institution": "University of Leeds",
            "degree": "BSc",
            "field_of_study": "Computer Science",
            "start_date": "2011",
            "end_date": "2014",
        },
    ),
]


def entries(profile: list[tuple[str, dict[str, Any]]] = CAREER) -> list[Entry]:
    """The profile as enrichment reads it, without a database."""
    out = []
    for entity_type, fields in profile:
        model = spec_for_type(entity_type).model
        instance = model(**fields)
        content = {name: getattr(instance, name, None) for name in model.content_fields}
        out.append(
            Entry(
                ref=EntityRef(
                    entity_type=entity_type,
                    logical_entity_id=uuid.uuid4(),
                    version_id=uuid.uuid4(),
                    label=str(instance),
                ),
                fields=content,
            )
        )
    return out


def create_career(user: User, profile: list[tuple[str, dict[str, Any]]] = CAREER) -> list[Any]:
    """The profile written as the person's own entities."""
    with user_context(user.pk):
        return [
            entity_create(model=spec_for_type(entity_type).model, user=user, fields=fields)
            for entity_type, fields in profile
        ]

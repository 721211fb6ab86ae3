"""Internal values reach people as words: sections, sources, confidence, durations."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test import Client

from careeros.db.rls import user_context
from profiles.models import User, WorkExperience
from profiles.templatetags.words import (
    confidence_words,
    duration_words,
    entry_kind,
    field_name,
    provenance,
    reader_name,
    section_name,
    similarity_words,
)
from resumes.models import ResumeVersion
from tests.resumes.conftest import media_root  # noqa: F401 - a fixture

MERGES = Path(__file__).resolve().parent.parent / "merges"


def test_sections_and_fields_by_their_names() -> None:
    assert section_name("work_experience") == "Work experience"
    assert section_name("certification") == "Certifications"
    assert field_name("start_date", "work_experience") == "Start date"
    assert entry_kind("skill") == "Skill"
    assert entry_kind("work_experience") == "Work experience"


def test_where_a_fact_came_from_and_how_sure() -> None:
    """An upload's value reads "read from your upload, likely right"; a hand edit "typed by you"."""
    upload = SimpleNamespace(source="upload", source_confidence=Decimal("0.85"))
    assert provenance(upload) == "read from your upload, likely right"
    assert provenance(SimpleNamespace(source="manual", source_confidence=Decimal("1"))) == (
        "typed by you"
    )
    assert confidence_words(Decimal("0.97")) == "almost certainly right"
    assert confidence_words("0.4") == "unsure, please check it"


def test_durations_and_similarity_in_words() -> None:
    assert duration_words("PT15M") == "15 minutes"
    assert duration_words(timedelta(hours=1, minutes=30)) == "1 hour 30 minutes"
    assert duration_words("P1DT2H") == "1 day 2 hours"
    assert similarity_words(Decimal("0.00")) == "Very different"
    assert similarity_words(1) == "The same as before"
    assert reader_name("rules-1") == "CareerOS's own reader"


@pytest.mark.django_db(transaction=True)
def test_pages_show_no_internal_identifiers(
    client: Client,
    user: User,
    other_user: User,
    media_root: Path,  # noqa: F811
) -> None:
    """The version, section and history pages of an upload show no table names, engine
    names or bare scores; a second user gets 404 for them."""
    for name in ["resume_a.txt", "resume_a_updated.txt"]:
        call_command(
            "import_resume", str(MERGES / name), user=user.email, stream="Main", stdout=StringIO()
        )
    with user_context(user.pk):
        version = ResumeVersion.objects.order_by("-version_number").first()
        job = WorkExperience.objects.for_user(user).current().first()
    assert version is not None
    assert job is not None
    pages = [
        f"/resumes/versions/{version.pk}/",
        "/profile/work/",
        f"/profile/work/{job.logical_entity_id}/",
    ]
    client.force_login(user)
    for url in pages:
        page = client.get(url).content.decode()
        for internal in ["work_experience", "rules-1", "Similarity", "confidence 0", "Confidence"]:
            assert internal not in page, (url, internal)
    assert "read from your upload" in client.get(pages[2]).content.decode().lower()
    client.force_login(other_user)
    for url in [pages[0], pages[2]]:
        assert client.get(url).status_code == 404

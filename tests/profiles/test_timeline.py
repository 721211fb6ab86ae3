"""The career timeline's layout, the dashboard's SVG, and newest-first order."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from careeros.db.rls import user_context
from profiles import services
from profiles.models import Education, User, WorkExperience
from profiles.timeline import Entry, human_months, layout, month_index

KINDS = ["Work", "Education", "Projects"]
TODAY = date(2026, 6, 15)


def job(label: str, start: str | None, end: str | None = None, kind: str = "Work") -> Entry:
    return Entry(kind=kind, label=label, url=f"/{label}", start=start, end=end)


def test_month_index_reads_years_and_months() -> None:
    """ "2020" starts in January and ends in December; "2020-05" is May; junk is None."""
    assert month_index("2020") == 2020 * 12
    assert month_index("2020", end=True) == 2020 * 12 + 11
    assert month_index("2020-05") == 2020 * 12 + 4
    assert month_index("Present") is None
    assert month_index("2020-13") is None
    assert month_index(None) is None


def test_overlapping_jobs_get_lanes_of_their_own() -> None:
    """Two jobs held at once are drawn one above the other; a later one reuses the first lane."""
    timeline = layout(
        [job("A", "2018-01", "2021-12"), job("B", "2020-06", "2022-03"), job("C", "2022-04")],
        kinds=KINDS,
        today=TODAY,
    )
    lanes = {bar.label: bar.lane for bar in timeline.bars}
    assert lanes == {"A": 0, "B": 1, "C": 0}
    a, b = (next(bar for bar in timeline.bars if bar.label == n) for n in "AB")
    assert b.y > a.y
    assert b.x < a.x + a.width  # they overlap on the axis


def test_a_stretch_without_a_job_is_a_gap() -> None:
    """Eight months between two jobs show as a gap with its length; a change of job doesn't."""
    timeline = layout(
        [job("A", "2015-01", "2016-12"), job("B", "2017-09", "2019-01"), job("C", "2019-02")],
        kinds=KINDS,
        today=TODAY,
    )
    assert [gap.months for gap in timeline.gaps] == [8]
    assert timeline.gaps[0].label == "8 months"


def test_rows_by_kind_and_years_on_the_axis() -> None:
    """Each kind present has a row; the axis spans the first start year to now; undated
    entries are counted, not drawn."""
    timeline = layout(
        [job("A", "2019-03"), job("MSc", "2016", "2018", kind="Education"), job("X", None)],
        kinds=KINDS,
        today=TODAY,
    )
    assert [row.kind for row in timeline.rows] == ["Work", "Education"]
    assert timeline.ticks[0].year == 2016
    assert timeline.undated == 1
    # A current job runs to today, so it ends right of a finished degree.
    a = next(bar for bar in timeline.bars if bar.label == "A")
    msc = next(bar for bar in timeline.bars if bar.label == "MSc")
    assert a.x + a.width > msc.x + msc.width


def test_human_months() -> None:
    assert human_months(1) == "1 month"
    assert human_months(14) == "1 year 2 months"
    assert human_months(24) == "2 years"


def add(user: User, model: type, **fields: object) -> None:
    with user_context(user.pk):
        services.entity_create(model=model, user=user, fields=fields)


@pytest.mark.django_db
def test_dashboard_draws_the_owners_timeline_only(
    client: Client, user: User, other_user: User
) -> None:
    """The dashboard's SVG holds the person's jobs and studies, linked to their histories;
    a second user's dashboard has none of them."""
    add(user, WorkExperience, title="Engineer", company="Globex", start_date="2019-01")
    add(user, Education, institution="Tartu University", start_date="2014", end_date="2018")
    client.force_login(user)
    page = client.get(reverse("dashboard")).content.decode()
    svg = page[page.index('<svg class="timeline"') : page.index("</svg>\n  </div>")]
    assert "Engineer at Globex" in svg
    assert "Tartu University" in svg
    assert "/profile/work/" in svg
    client.force_login(other_user)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'class="timeline"' not in page
    assert "Engineer at Globex" not in page


@pytest.mark.django_db
def test_jobs_are_listed_by_start_date_newest_first(signed_in: Client, user: User) -> None:
    """A 2005 job added last still comes after the 2024 and 2019 ones, on the section page
    and on the dashboard."""
    add(user, WorkExperience, title="Recent", company="A", start_date="2024-02")
    add(user, WorkExperience, title="Middle", company="B", start_date="2019")
    add(user, WorkExperience, title="Undated", company="D")
    add(user, WorkExperience, title="Oldest", company="C", start_date="2005-06")
    for url in [reverse("entity_list", args=["work"]), reverse("profile_overview")]:
        page = signed_in.get(url).content.decode()
        positions = [page.index(f"{t} at") for t in ["Recent", "Middle", "Oldest", "Undated"]]
        assert positions == sorted(positions), url

"""Dates as printed on resumes, in English, German, French, Spanish, Italian, Portuguese and
Dutch."""

from __future__ import annotations

import pytest

from resumes.normalisers.dates import find_dates, is_date_only, parse_point


@pytest.mark.parametrize(
    ("text", "start", "end", "current"),
    [
        ("January 2019 to Present", "2019-01", None, True),
        ("Jan 2020 – Dec 2021", "2020-01", "2021-12", False),
        ("Jan. 2020 - Feb. 2021", "2020-01", "2021-02", False),
        ("Sept 2018 — now", "2018-09", None, True),
        ("01/2020 - 03/2022", "2020-01", "2022-03", False),
        ("2019-05 – 2021-02", "2019-05", "2021-02", False),
        ("03.2021 – heute", "2021-03", None, True),
        ("2020 – now", "2020", None, True),
        ("2020 - current", "2020", None, True),
        ("2018 ‒ 2020", "2018", "2020", False),
        ("2018 ― 2020", "2018", "2020", False),
        ("2018 ~ 2020", "2018", "2020", False),
        ("2016 to 2018", "2016", "2018", False),
        ("Summer 2019", "2019", "2019", False),
        ("Fall 2017 - Spring 2019", "2017", "2019", False),
        ("Oct 2020 –", "2020-10", None, True),
        ("März 2019 – Mai 2020", "2019-03", "2020-05", False),
        ("Okt. 2018 – Feb. 2021", "2018-10", "2021-02", False),
        ("seit 2019", "2019", None, True),
        ("seit 04/2022", "2022-04", None, True),
        ("Dezember 2015 bis heute", "2015-12", None, True),
        ("janvier 2017 – aujourd'hui", "2017-01", None, True),
        ("Sept. 2019 – aujourd’hui", "2019-09", None, True),
        ("févr. 2015 - déc. 2016", "2015-02", "2016-12", False),
        ("depuis mars 2020", "2020-03", None, True),
        ("enero de 2018 - actualidad", "2018-01", None, True),
        ("agosto 2016 – diciembre 2017", "2016-08", "2017-12", False),
        ("desde 2021", "2021", None, True),
        ("2015 - presente", "2015", None, True),
        ("June 2016 to December 2018", "2016-06", "2018-12", False),
        ("gennaio 2020 – dicembre 2022", "2020-01", "2022-12", False),
        ("ottobre 2015 - in corso", "2015-10", None, True),
        ("giu 2019 – oggi", "2019-06", None, True),
        ("janeiro 2020 — dezembro 2022", "2020-01", "2022-12", False),
        ("setembro 2022 — atual", "2022-09", None, True),
        ("mai 2022 - out 2025", "2022-05", "2025-10", False),
        ("março 2016 – novembro 2020", "2016-03", "2020-11", False),
        ("januari 2020 – heden", "2020-01", None, True),
        ("maart 2016 – nu", "2016-03", None, True),
        ("mei 2014 – augustus 2017", "2014-05", "2017-08", False),
        # Markdown's emphasis around a date is no part of it.
        ("*janeiro 2020 — dezembro 2022*", "2020-01", "2022-12", False),
        ("_Jan 2020 - Dec 2022_", "2020-01", "2022-12", False),
        ("**2019 – 2021**", "2019", "2021", False),
        ("2019", "2019", "2019", False),
    ],
)
def test_ranges(text: str, start: str, end: str | None, current: bool) -> None:
    """Each printed form normalises to YYYY-MM / YYYY, with open ranges as current."""
    (found,) = find_dates(text)
    assert (found.start, found.end, found.current) == (start, end, current)


def test_dates_inside_text_keep_their_span() -> None:
    """The span of a date inside a header line points at the printed date."""
    text = "Software Engineer, Acme (Mar 2020 - Present)"
    (found,) = find_dates(text)
    assert text[found.span[0] : found.span[1]] == "Mar 2020 - Present"


def test_phone_numbers_and_plain_numbers_are_not_dates() -> None:
    """Phone numbers, percentages and counts are not mistaken for dates."""
    assert find_dates("+1 (415) 555-0142") == []
    assert find_dates("reduced costs by 30%") == []
    assert find_dates("4M+ daily active users") == []


def test_two_dates_on_one_line() -> None:
    """A line with two separate dates yields both, in order."""
    found = find_dates("Master 2018 - 2020 · Bachelor 2014 - 2018")
    assert [(d.start, d.end) for d in found] == [("2018", "2020"), ("2014", "2018")]


def test_points_and_date_only() -> None:
    """Single points parse; date-only lines are recognised."""
    assert parse_point("Jan 2020") == "2020-01"
    assert parse_point("2020/07") == "2020-07"
    assert parse_point("Winter 2020") == "2020"
    assert is_date_only("Jan 2014 – Present")
    assert is_date_only("Since 2019")
    assert not is_date_only("Acme 2019")

"""The career timeline: jobs, education and projects on one time axis, drawn as SVG.

Pure layout: entries in, positioned bars, gaps and year ticks out; the dashboard's
template draws them. Overlapping entries of one kind get lanes of their own, so two jobs
held at once show as two bars one above the other; a stretch between jobs is a gap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Drawing units of the SVG's viewBox (it scales to the page's width).
WIDTH = 1000
LABEL_WIDTH = 110  # the kinds' names on the left
BAR_HEIGHT = 22
LANE_GAP = 6
ROW_GAP = 14
AXIS_HEIGHT = 26
# A stretch without a job shorter than this is a change of job, not a gap worth showing.
MIN_GAP_MONTHS = 3

_YEAR_MONTH = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?")


def month_index(text: str | None, *, end: bool = False) -> int | None:
    """Months since year 0 of "YYYY" or "YYYY-MM"; a bare year starts in January and ends
    in December. None for empty or unreadable text."""
    match = _YEAR_MONTH.match(text or "")
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else (12 if end else 1)
    if not 1 <= month <= 12:
        return None
    return year * 12 + month - 1


@dataclass(frozen=True)
class Entry:
    kind: str  # a row: "Work", "Education", "Projects"
    label: str
    url: str
    start: str | None
    end: str | None


@dataclass(frozen=True)
class Bar:
    kind: str
    label: str
    url: str
    period: str
    x: float
    y: float
    width: float
    lane: int


@dataclass(frozen=True)
class Gap:
    x: float
    y: float
    width: float
    height: float
    months: int

    @property
    def label(self) -> str:
        return human_months(self.months)


@dataclass(frozen=True)
class Row:
    kind: str
    y: float
    height: float


@dataclass(frozen=True)
class Tick:
    x: float
    year: int


@dataclass(frozen=True)
class Timeline:
    rows: list[Row]
    bars: list[Bar]
    gaps: list[Gap]
    ticks: list[Tick]
    height: float
    undated: int  # entries left out for want of a readable start date

    width = WIDTH
    label_width = LABEL_WIDTH
    bar_height = BAR_HEIGHT

    @property
    def is_empty(self) -> bool:
        return not self.bars


def human_months(months: int) -> str:
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts) or "less than a month"


def _period(entry: Entry) -> str:
    return f"{entry.start} – {entry.end or 'present'}"


def layout(entries: list[Entry], *, kinds: list[str], today: date) -> Timeline:
    """Place ``entries`` on lanes of their kind's row, against a shared axis of years."""
    now = today.year * 12 + today.month - 1
    spans: list[tuple[Entry, int, int]] = []
    undated = 0
    for entry in entries:
        start = month_index(entry.start)
        if start is None:
            undated += 1
            continue
        end = month_index(entry.end, end=True) if entry.end else now
        end = max(start, end if end is not None else start)
        spans.append((entry, start, end + 1))  # end exclusive: a one-month job has width
    if not spans:
        return Timeline([], [], [], [], 0, undated)
    first = min(start for _, start, _ in spans)
    last = max(max(end for _, _, end in spans), now + 1)
    first_year, last_year = first // 12, (last - 1) // 12 + 1
    axis_start, axis_end = first_year * 12, last_year * 12
    scale = (WIDTH - LABEL_WIDTH - 10) / (axis_end - axis_start)

    def x_of(month: int) -> float:
        return round(LABEL_WIDTH + (month - axis_start) * scale, 1)

    rows: list[Row] = []
    bars: list[Bar] = []
    gaps: list[Gap] = []
    y = AXIS_HEIGHT
    for kind in kinds:
        mine = sorted((s for s in spans if s[0].kind == kind), key=lambda s: (s[1], s[2]))
        if not mine:
            continue
        lane_ends: list[int] = []  # each lane's latest end, to pack overlaps
        placed = []
        for entry, start, end in mine:
            lane = next((i for i, e in enumerate(lane_ends) if e <= start), len(lane_ends))
            if lane == len(lane_ends):
                lane_ends.append(end)
            else:
                lane_ends[lane] = end
            placed.append((entry, start, end, lane))
        height = len(lane_ends) * (BAR_HEIGHT + LANE_GAP) - LANE_GAP
        rows.append(Row(kind, y, height))
        for entry, start, end, lane in placed:
            bars.append(
                Bar(
                    kind=kind,
                    label=entry.label,
                    url=entry.url,
                    period=_period(entry),
                    x=x_of(start),
                    y=y + lane * (BAR_HEIGHT + LANE_GAP),
                    width=max(round((end - start) * scale, 1), 2.0),
                    lane=lane,
                )
            )
        if kind == kinds[0]:  # gaps between jobs, once the first one began
            covered_until = mine[0][1]
            for _, start, end in mine:
                if start - covered_until >= MIN_GAP_MONTHS:
                    months = start - covered_until
                    gaps.append(
                        Gap(x_of(covered_until), y, round(months * scale, 1), height, months)
                    )
                covered_until = max(covered_until, end)
        y += height + ROW_GAP
    step = 1 if last_year - first_year <= 12 else 2 if last_year - first_year <= 24 else 5
    ticks = [
        Tick(x_of(year * 12), year)
        for year in range(first_year, last_year + 1)
        if (year - first_year) % step == 0
    ]
    return Timeline(rows, bars, gaps, ticks, y, undated)

"""Reading order for positioned fragments: columns, sidebars, header bands, furniture."""

from __future__ import annotations

import bisect
import itertools
import math
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from resumes.normalisers.dates import find_dates, is_date_only
from resumes.reading.model import ResumeText, _Builder
from resumes.reading.pdf import BULLETS, Fragment, split_at

GUTTER_MIN = 7.0  # points of empty space between two columns
# Above this share of fragments on a row of the other side (``_aligned_share``), two
# "columns" are a table read row by row (Europass date column, "Label  value" skill rows),
# not two independent columns.
ROW_ALIGNED = 0.55
# The height of capitals in font sizes (Helvetica 0.72, Times 0.66, Calibri 0.64): where text
# hung from the top of its row reaches, whatever its size.
CAP_HEIGHT = 0.7
TABLE_GAP = 60.0
# A narrow column with at least this many dates, this share of them on a row of the column
# beside it, is a date column (read row by row), not a sidebar.
DATE_ROWS = 3
DATES_ALIGNED = 0.8
# Rows at most this many font sizes apart are set one under another (a column of text).
SOLID_STEP = 1.8
# A column edge: at least this many fragments start at the same x (within EDGE_TOLERANCE).
EDGE_COUNT = 3
EDGE_TOLERANCE = 1.0
# A word after a wider space than this (in ems) that starts at a column edge starts a cell.
EDGE_GAP = 0.45
EDGE_RATIO = 1.5
# A paragraph gap: this many body sizes more than the usual space between lines.
GAP_EXTRA = 0.3
# A table whose first column starts at least this share of its two-cell rows with a date
# (and holds the only dates) is a date table, read row by row.
DATED_ROWS = 0.4
# A line this much larger than a run of cards' first row is the next heading, not a card's.
HEADING_SIZE = 1.05


@dataclass(slots=True)
class Row:
    fragments: list[Fragment]
    top: float
    bottom: float

    @property
    def x0(self) -> float:
        return min(f.x0 for f in self.fragments)


def _rows(fragments: Sequence[Fragment]) -> list[Row]:
    rows: list[Row] = []
    for fragment in sorted(fragments, key=lambda f: (f.bottom, f.x0)):
        tolerance = fragment.size * 0.45
        for row in reversed(rows[-3:]):
            if abs(row.bottom - fragment.bottom) <= tolerance:
                row.fragments.append(fragment)
                row.top = min(row.top, fragment.top)
                break
        else:
            rows.append(Row([fragment], fragment.top, fragment.bottom))
    for row in rows:
        row.fragments.sort(key=lambda f: f.x0)
    rows.sort(key=lambda r: r.bottom)
    return rows


def _aligned_share(left: Sequence[Fragment], right: Sequence[Fragment]) -> float:
    """Share of the smaller side's fragments that sit on a row of the other side: on its
    baseline, or, set in another size, with their tops level (a date beside a larger
    entry name, both hung from the top of their cells)."""
    small, large = (left, right) if len(left) <= len(right) else (right, left)
    if not small:
        return 0.0
    baselines = sorted(f.baseline for f in large)
    tops = sorted(_cap_top(f) for f in large)
    aligned = 0
    for fragment in small:
        tolerance = max(0.6, fragment.size * 0.12)
        if _near(baselines, fragment.baseline, tolerance) or _near(
            tops, _cap_top(fragment), tolerance
        ):
            aligned += 1
    return aligned / len(small)


def _cap_top(fragment: Fragment) -> float:
    """Where the capitals of the fragment's size reach (PDF y grows downwards here)."""
    return fragment.baseline - fragment.size * CAP_HEIGHT


def _near(values: Sequence[float], value: float, tolerance: float) -> bool:
    """Whether a value of the sorted ``values`` lies within ``tolerance`` of ``value``:
    the nearest are the two around it."""
    index = bisect.bisect_left(values, value)
    return any(abs(v - value) <= tolerance for v in values[max(index - 1, 0) : index + 1])


def _set_solid(rows: Sequence[Row]) -> bool:
    """Most rows follow the one above at a line's distance: a column of text, not labels
    spread out one beside each block of the next column."""
    if len(rows) < 3:
        return False
    steps = [below.bottom - above.bottom for above, below in itertools.pairwise(rows)]
    size = statistics.median(f.size for row in rows for f in row.fragments)
    return statistics.median(steps) <= size * SOLID_STEP


def _is_date(fragment: Fragment) -> bool:
    return bool(find_dates(fragment.string)) and is_date_only(fragment.string)


def _dates_only(fragments: Sequence[Fragment]) -> bool:
    return all(_is_date(f) for f in fragments)


def _find_gutter(fragments: Sequence[Fragment], width: float) -> float | None:
    """An x position between two columns: few fragments cross it, many sit on each side."""
    if len(fragments) < 8:
        return None
    lo, hi = min(f.x0 for f in fragments), max(f.x1 for f in fragments)
    span = hi - lo
    if span < width * 0.35:
        return None
    total = len(fragments)
    candidates: list[tuple[float, float, float]] = []  # (crossing, -run, x)
    step = 1.5
    origin = lo + span * 0.12  # the first sampled x
    steps = int((span * 0.76) / step) + 1
    # How many fragments cross each sampled x, by a difference array (one pass).
    delta = [0] * (steps + 2)
    for f in fragments:
        first = max(0, math.floor((f.x0 - origin) / step) + 1)
        last = min(steps, math.ceil((f.x1 - origin) / step) - 1)
        if first <= last:
            delta[first] += 1
            delta[last + 1] -= 1
    crossings = itertools.accumulate(delta[:steps])
    # Runs of sampled x that the same few fragments cross: the widest stretch of a run is
    # the whole run, so each is judged once, from its first and last x.
    index = 0
    for crossing, run_samples in itertools.groupby(crossings):
        first_index, index = index, index + len(list(run_samples))
        if crossing > total * 0.12:
            continue
        run_start, run_end = origin + first_index * step, origin + (index - 1) * step
        run = run_end - run_start
        if run >= GUTTER_MIN:
            candidates.append((crossing, -run, (run_start + run_end) / 2))
    # The widest stretch that the fewest fragments cross, unless what lies either side of it
    # is no two columns (a date column inside one, set apart by a gap as wide as the
    # gutter): then the next stretch as empty.
    candidates.sort()
    for crossed, _, gutter in candidates:
        if crossed > candidates[0][0]:
            break
        if _columns_apart(fragments, gutter, lo, hi):
            return gutter
    return None


def _columns_apart(fragments: Sequence[Fragment], gutter: float, lo: float, hi: float) -> bool:
    """Whether the fragments either side of ``gutter`` are two columns, each read on its own."""
    total = len(fragments)
    span = hi - lo
    left = [f for f in fragments if f.x1 <= gutter]
    right = [f for f in fragments if f.x0 >= gutter]
    if len(left) < 3 or len(right) < 3:
        return False
    if min(len(left), len(right)) < total * 0.12:
        return False
    # Rows that line up across a narrow gap are a table read row by row; a wide gutter
    # separates independent columns even when their lines happen to align.
    gap = min(f.x0 for f in right) - max(f.x1 for f in left)
    table_like = gap < TABLE_GAP or _dates_only(left) or _dates_only(right)
    if table_like and _aligned_share(left, right) >= ROW_ALIGNED:
        # A column of nothing but dates beside entries is never read on its own: each
        # date belongs to the entry on its row, however wide the space between them.
        return False
    # A narrow, sparse left column holds labels and dates for the blocks beside it
    # (Europass style): read row by row so each label stays with its block. Not a sidebar
    # as sparse (a few contact lines and skills), whose lines are set one under another.
    left_rows, right_rows = _rows(left), len(_rows(right))
    left_width = max(f.x1 for f in left) - lo
    if len(left_rows) <= right_rows * 0.4 and left_width < span * 0.3 and not _set_solid(left_rows):
        return False
    # So does a narrow column, on either side, whose dates sit on the rows of the entries
    # beside them, even among headings and contact lines of its own (a date column under a
    # sidebar header) or the entries' places (dates and places set right). Its width is
    # the width of its lines from the first date to the last: the short lines of a
    # full-width section below (a skills row, an award) do not widen it.
    for side, other in ((left, right), (right, left)):
        dates = [f for f in side if _is_date(f)]
        if len(dates) < DATE_ROWS or _aligned_share(dates, other) < DATES_ALIGNED:
            continue
        top, bottom = min(f.top for f in dates), max(f.bottom for f in dates)
        band = [f for f in side if f.top >= top and f.bottom <= bottom]
        width = max(f.x1 for f in band) - lo if side is left else hi - min(f.x0 for f in band)
        if width < span * 0.3:
            return False
    return True


def _grid_columns(row: Row, lo: float, span: float) -> list[float] | None:
    """Column starts if the row's fragments sit on an evenly spaced grid (entries side by side)."""
    count = len(row.fragments)
    if count < 2:
        return None
    starts = [f.x0 for f in row.fragments]
    step = span / count
    first = starts[0]
    if first - lo > step * 0.3:
        return None
    for index, start in enumerate(starts):
        if abs(start - (first + index * step)) > span * 0.05:
            return None
    return starts


def _date_table(run: Sequence[Row]) -> bool:
    """A table whose first column dates the entries beside it (a Word résumé's date table),
    read row by row as the date column of ``_find_gutter`` is: dates start many of its rows
    and stand in no other column."""
    rows = [row for row in run if len(row.fragments) > 1]
    dated = sum(_is_date(row.fragments[0]) for row in rows)
    elsewhere = any(_is_date(f) for row in rows for f in row.fragments[1:])
    return dated >= len(rows) * DATED_ROWS and not elsewhere


def _read_grids(rows: list[Row]) -> list[list[Row]]:
    """Split runs of grid rows (cards side by side) into one block per grid column."""
    if len(rows) < 2:
        return [rows]
    lo = min(r.x0 for r in rows)
    hi = max(f.x1 for r in rows for f in r.fragments)
    span = hi - lo
    blocks: list[list[Row]] = []
    current: list[Row] = []
    index = 0
    while index < len(rows):
        columns = _grid_columns(rows[index], lo, span)
        if columns is None:
            current.append(rows[index])
            index += 1
            continue
        run = [rows[index]]
        # A line set larger than the grid's first row is not in a card: it is the heading
        # of what follows (a section after two cards, a date table's next section).
        size = max(f.size for f in rows[index].fragments) * HEADING_SIZE
        end = index + 1
        while end < len(rows):
            row = rows[end]
            other = _grid_columns(row, lo, span)
            if (other is not None and len(other) == len(columns)) or (
                len(row.fragments) == 1
                and any(abs(row.fragments[0].x0 - c) < 6 for c in columns)
                and row.fragments[0].x1 - row.fragments[0].x0 < span / len(columns)
                and row.fragments[0].size <= size
            ):
                run.append(row)
            else:
                break
            end += 1
        if sum(1 for r in run if len(r.fragments) > 1) < 2:
            current.append(rows[index])
            index += 1
            continue
        if _date_table(run):
            current.extend(run)
            index = end
            continue
        if current:
            blocks.append(current)
            current = []
        for column, start in enumerate(columns):
            stop = columns[column + 1] if column + 1 < len(columns) else hi + 1
            stream = [
                Row([f for f in r.fragments if start - 2 <= f.x0 < stop - 2], r.top, r.bottom)
                for r in run
            ]
            stream = [r for r in stream if r.fragments]
            for r in stream:
                r.top = min(f.top for f in r.fragments)
            blocks.append(stream)
        index = end
    if current:
        blocks.append(current)
    return blocks


def _order(fragments: list[Fragment], width: float, depth: int = 0) -> list[list[Row]]:
    """Blocks of rows in reading order."""
    gutter = _find_gutter(fragments, width) if depth < 2 else None
    if gutter is None:
        return _read_grids(_rows(fragments))
    blocks: list[list[Row]] = []
    pending: list[Fragment] = []
    # Where the right column's lines start: an x at which several fragments start.
    starts = Counter(round(f.x0) for f in fragments if f.x0 >= gutter)
    edges = {x for x, n in starts.items() if n >= EDGE_COUNT}

    def flush() -> None:
        if pending:
            # A fragment that ran out of the left column past the gutter stays in it.
            left = [f for f in pending if f.x0 < gutter]
            right = [f for f in pending if f.x0 >= gutter]
            if left:
                blocks.extend(_order(left, width, depth + 1))
            if right:
                blocks.extend(_order(right, width, depth + 1))
            pending.clear()

    for row in _rows(fragments):
        if any(f.x0 < gutter < f.x1 for f in row.fragments) and not _overflows(row, gutter, edges):
            flush()
            blocks.append([row])
        else:
            pending.extend(row.fragments)
    flush()
    return blocks


def _overflows(row: Row, gutter: float, edges: set[int]) -> bool:
    """Whether a row that crosses the gutter is two columns' lines, one of which ran past
    it: the first fragment beyond the gutter collides with the text before it, or starts
    where the right column's lines start."""
    after = [f for f in row.fragments if f.x0 >= gutter]
    if not after:
        return False
    first = after[0]
    ran = max(f.x1 for f in row.fragments if f.x0 < gutter)
    return ran > first.x0 or any(abs(first.x0 - edge) <= EDGE_TOLERANCE for edge in edges)


_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"(?:page|seite|p\.)?\s*\d+(?:\s*(?:/|of|von|sur|de)\s*\d+)?", re.I)


def _furniture_keys(
    pages: Sequence[Sequence[Fragment]], sizes: Sequence[tuple[float, float]]
) -> set[str]:
    """Texts repeated near the top or bottom of several pages (running headers/footers)."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for fragments, (_, height) in zip(pages, sizes, strict=True):
        keys = {
            _DIGITS.sub("#", f.string.casefold())
            for f in fragments
            if f.bottom < height * 0.12 or f.top > height * 0.88
        }
        seen.update(keys)
    return {key for key, count in seen.items() if count >= 2}


def _paragraph_gap(blocks: Sequence[Sequence[Row]], body: float) -> float:
    """The vertical space between two rows above which a new paragraph starts: clearly more
    than the document's own line spacing (the most common space between consecutive rows),
    so it holds whatever leading a producer sets."""
    spaces = sorted(
        round(b.top - a.bottom, 1)
        for rows in blocks
        for a, b in itertools.pairwise(rows)
        if 0 <= b.top - a.bottom < body * 2
    )
    if not spaces:
        return body * 0.75
    usual = Counter(spaces).most_common(1)[0][0] if len(spaces) >= 3 else spaces[0]
    return max(usual + body * GAP_EXTRA, body * 0.5)


def _split_at_edges(fragments: list[Fragment]) -> list[Fragment]:
    """A date column set close to the text beside it (a narrow grid gap) reads as one run
    with it. Where a word after a space wider than the run's other spaces starts exactly at
    a column edge of the page (the x where other fragments start), the run is two cells."""
    counts = Counter(round(f.x0) for f in fragments)
    edges = {x for x, n in counts.items() if n >= EDGE_COUNT}
    if not edges:
        return fragments
    out: list[Fragment] = []
    pending = list(reversed(fragments))
    while pending:
        fragment = pending.pop()
        for number, (_, x) in enumerate(fragment.starts):
            gap = fragment.gaps[number]
            if gap < EDGE_GAP or x - fragment.x0 <= fragment.size * 2:
                continue
            column = round(x)
            if not any(
                edge in edges and abs(x - edge) <= EDGE_TOLERANCE
                for edge in (column - 1, column, column + 1)
            ):
                continue
            others = fragment.gaps[:number] + fragment.gaps[number + 1 :]
            # Clearly wider than this run's other spaces (not letter-spaced text).
            if others and gap >= statistics.median(others) * EDGE_RATIO:
                left, right = split_at(fragment, number)
                out.append(left)
                pending.append(right)
                break
        else:
            out.append(fragment)
    return [f for f in out if f.string]


def build(
    pages: Sequence[Sequence[Fragment]], sizes: Sequence[tuple[float, float]], kind: str = "pdf"
) -> ResumeText:
    builder = _Builder()
    pages = [_split_at_edges(list(fragments)) for fragments in pages]
    furniture = _furniture_keys(pages, sizes)
    all_sizes = [f.size for fragments in pages for f in fragments]
    body = statistics.median(all_sizes) if all_sizes else 10.0
    ordered = [
        (number, width, height, _order(list(fragments), width))
        for number, (fragments, (width, height)) in enumerate(zip(pages, sizes, strict=True))
    ]
    threshold = _paragraph_gap([block for _, _, _, blocks in ordered for block in blocks], body)
    block_number = 0
    for number, _width, height, blocks in ordered:
        for block in blocks:
            block_number += 1
            previous: Row | None = None
            for row in block:
                texts = [(f.string, f.x0, f.x1) for f in row.fragments]
                first = row.fragments[0]
                text0 = first.string
                gap = previous is not None and (row.top - previous.bottom) > threshold
                in_margin = row.bottom < height * 0.12 or row.top > height * 0.88
                is_furniture = (
                    (
                        in_margin
                        and bool(furniture)
                        and (
                            _DIGITS.sub("#", " ".join(t for t, _, _ in texts).casefold())
                            in furniture
                            or all(_DIGITS.sub("#", t.casefold()) in furniture for t, _, _ in texts)
                        )
                    )
                    # A single page's footer: small print at the very bottom (or top).
                    or (
                        (row.top > height * 0.955 or row.bottom < height * 0.03)
                        and (
                            max(f.size for f in row.fragments) < body * 0.9
                            or _PAGE_NUMBER.fullmatch(" ".join(t for t, _, _ in texts)) is not None
                        )
                    )
                )
                builder.add(
                    texts,
                    page=number,
                    block=block_number,
                    x0=row.x0,
                    x1=max(f.x1 for f in row.fragments),
                    top=row.top,
                    bottom=row.bottom,
                    size=max(f.size for f in row.fragments),
                    bold=all(f.bold for f in row.fragments),
                    icons=tuple((n, i) for n, f in enumerate(row.fragments) for i in f.icons),
                    links=tuple((n, f.link) for n, f in enumerate(row.fragments) if f.link),
                    furniture=is_furniture,
                    bullet=bool(text0) and text0[0] in BULLETS and text0[1:2] in (" ", ""),
                    gap_before=gap,
                )
                previous = row
    return builder.build(kind, pages=len(pages))

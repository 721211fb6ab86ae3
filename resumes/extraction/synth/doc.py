"""The builder a template prints through: labelled lines plus the ground truth of exactly
what was printed.

A template never writes ground truth by hand. Every value it prints goes through
``Line.add(text, tag, gt=path)``; the path says where the printed text belongs in the JSON
Resume ground truth (``("work", 0, "position")``, ``("basics", "email")``,
``("skills", 2, "keywords")`` appends to a list). Dates, places and profiles have helpers
that both format the text and record what it shows (a year-only format records years).

    doc = Doc(person, family="html-sidebar-left", producer="chromium")
    i = doc.entry("work")
    doc.line(Section.WORK, Role.ENTRY, i).add(role.position, Tag.TITLE, gt=("work", i, "position"))
    doc.line(Section.WORK, Role.DETAIL, i).dates(role.period, style, gt=("work", i))

A renderer then turns ``doc.lines`` into its format (HTML, DOCX, Typst, text) printing each
span's text unchanged (CSS may change its case), and ``doc.save(folder, doc_id, data, ext)``
writes ``<id>.<ext>``, ``<id>.json`` (ground truth, the conventions of
``../shared/corpus/README.md``) and ``<id>.labels.json`` (the lines).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from resumes.extraction.labels import Role, Section, Tag
from resumes.extraction.synth.person import Location, Period, Person, YearMonth

GtPath = tuple[str | int, ...]
# Ground-truth keys that collect every printed value in order.
LIST_KEYS = frozenset({"highlights", "keywords", "roles"})


@dataclass
class Span:
    text: str
    tag: Tag = Tag.O
    # Presentation hints for renderers: "bold", "italic", "small", "caps", "link", "icon:github"…
    style: tuple[str, ...] = ()


@dataclass
class Line:
    section: Section
    role: Role
    entry: int | None  # index of the ground-truth item in its section's list, if any
    spans: list[Span] = field(default_factory=list)
    # Presentation hints for the whole line: "right", "center", "indent", "small"…
    style: tuple[str, ...] = ()
    _doc: Doc | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)

    def add(
        self, text: str, tag: Tag = Tag.O, *, gt: GtPath | None = None, style: tuple[str, ...] = ()
    ) -> Self:
        """Print ``text``; record it at ``gt`` in the ground truth."""
        if not text:
            return self
        self.spans.append(Span(text, tag, style))
        if gt is not None:
            assert self._doc is not None
            self._doc.record(gt, text)
        return self

    def dates(
        self,
        period: Period,
        style: DateStyle,
        *,
        gt: GtPath | None = None,
        key: str | None = None,
        tag: Tag = Tag.DATES,
    ) -> Self:
        """Print ``period`` in ``style``; record startDate/endDate (or ``key``) under ``gt``."""
        text, start, end = style.format(period)
        self.add(text, tag)
        if gt is not None and text:
            assert self._doc is not None
            if key is not None:  # a single date stored under its own key (certificates)
                self._doc.record((*gt, key), start or end)
            else:
                if start:
                    self._doc.record((*gt, "startDate"), start)
                if end:
                    self._doc.record((*gt, "endDate"), end)
        return self


def ym(value: YearMonth | None, *, month: bool) -> str | None:
    """A date as the ground truth records it: ``YYYY-MM`` when the month is printed."""
    if value is None:
        return None
    year, number = value
    return f"{year:04d}-{number:02d}" if month and number else f"{year:04d}"


@dataclass(frozen=True)
class DateStyle:
    """How a template prints dates: ``point`` formats one date from ``(year, month)``,
    ``months`` says whether it prints the month (the ground truth then records it)."""

    point: Any  # Callable[[int, int | None], str]
    months: bool
    separator: str = " – "
    present: str = "Present"
    # A single date printed with a label ("Graduated 2019"): the ground truth's endDate only.
    end_label: str | None = None

    def format(self, period: Period) -> tuple[str, str | None, str | None]:
        """The printed text and the ground truth's (startDate, endDate)."""
        show_month = self.months

        def point(value: YearMonth) -> str:
            year, month = value
            return str(self.point(year, month if show_month else None))

        if period.start is None and period.end is None:
            return "", None, None
        if period.single or (period.start and period.end == period.start):
            value = period.start or period.end
            assert value is not None
            text = point(value)
            if self.end_label:
                return f"{self.end_label} {text}", None, ym(value, month=show_month)
            date = ym(value, month=show_month)
            return text, date, date
        if period.start is None:
            assert period.end is not None
            return point(period.end), None, ym(period.end, month=show_month)
        start = ym(period.start, month=show_month)
        if period.current:
            return f"{point(period.start)}{self.separator}{self.present}", start, None
        if period.end is None:
            return point(period.start), start, start
        return (
            f"{point(period.start)}{self.separator}{point(period.end)}",
            start,
            ym(period.end, month=show_month),
        )


class Doc:
    """One document under construction."""

    def __init__(self, person: Person, *, family: str, producer: str) -> None:
        self.person = person
        self.family = family
        self.producer = producer
        self.lines: list[Line] = []
        self.gt: dict[str, Any] = {"basics": {}}

    # -- printing ---------------------------------------------------------------------

    def line(
        self,
        section: Section,
        role: Role,
        entry: int | None = None,
        *,
        style: tuple[str, ...] = (),
    ) -> Line:
        """Start a new logical line (a renderer may wrap it, or set two side by side)."""
        line = Line(section, role, entry, style=style, _doc=self)
        self.lines.append(line)
        return line

    def entry(self, section: str) -> int:
        """A new item in the ground truth's ``section`` list; its index."""
        items: list[dict[str, Any]] = self.gt.setdefault(section, [])
        items.append({})
        return len(items) - 1

    def record(self, path: GtPath, value: Any) -> None:
        """Set (or, for list keys, append) ``value`` at ``path`` in the ground truth."""
        node: Any = self.gt
        for step in path[:-1]:
            node = node[step] if isinstance(step, int) else node.setdefault(step, {})
        key = path[-1]
        assert isinstance(key, str)
        if key in LIST_KEYS:
            node.setdefault(key, []).append(value)
        else:
            node[key] = value

    def location(
        self, location: Location, *, country: bool, gt: GtPath | None, address: bool = False
    ) -> str:
        """``City, Region[, Country]`` as printed, recording city/region/countryCode; with
        ``address``, the street and postcode too where the person has them ("12 Main St,
        Springfield, CA 94588", "Hauptstr. 5, 10115 Berlin")."""
        parts = [p for p in (location.city, location.region) if p]
        if address and location.address and location.postal_code:
            if location.region:
                parts[-1] = f"{location.region} {location.postal_code}"
            else:
                parts[0] = f"{location.postal_code} {location.city}"
            parts.insert(0, location.address)
        if country and location.country:
            parts.append(location.country)
        if gt is not None:
            if location.city:
                self.record((*gt, "city"), location.city)
            if location.region:
                self.record((*gt, "region"), location.region)
            if country and location.country and location.country_code:
                self.record((*gt, "countryCode"), location.country_code)
        return ", ".join(parts)

    # -- output -----------------------------------------------------------------------

    def ground_truth(self) -> dict[str, Any]:
        """The ground truth without empty items, in the corpus's JSON Resume form."""
        out: dict[str, Any] = {
            "_meta": {"family": self.family, "producer": self.producer, "synthetic": True}
        }
        for key, value in self.gt.items():
            if isinstance(value, list):
                value = [item for item in value if item]
            if value:
                out[key] = value
        return out

    def labels(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "producer": self.producer,
            "language": self.person.language,
            "lines": [
                {
                    "section": line.section.value,
                    "role": line.role.value,
                    "entry": line.entry,
                    "spans": [[span.text, span.tag.value] for span in line.spans],
                }
                for line in self.lines
                if line.spans
            ],
        }

    def save(self, folder: Path, doc_id: str, data: bytes, ext: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{doc_id}.{ext}"
        path.write_bytes(data)
        (folder / f"{doc_id}.json").write_text(
            json.dumps(self.ground_truth(), ensure_ascii=False, indent=1)
        )
        (folder / f"{doc_id}.labels.json").write_text(json.dumps(self.labels(), ensure_ascii=False))
        return path

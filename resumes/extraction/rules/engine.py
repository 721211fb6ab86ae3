"""The offline extraction engine: sections, entries and fields from a document's lines.

Everything is derived from layout and wording that hold across templates and languages
(heading words, indentation, gaps, dates, separators); nothing refers to a particular
document.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from resumes.extraction import schema
from resumes.extraction.labels import Role, Tag
from resumes.extraction.labels import Section as Section_
from resumes.extraction.rules import vocabulary as vocab
from resumes.extraction.rules.text import (
    SEPARATORS,
    TRIM_KEEP_DASH,
    Piece,
    join,
    piece,
    segments,
    split_piece,
)
from resumes.normalisers.dates import DateRange, find_dates, is_date_only
from resumes.reading.model import Line, ResumeText

# "*" only before a space: "**Title**" is Markdown bold, not a bullet.
BULLET_START = re.compile(r"^\s*(?:[•◦▪▫■□●○‣⁃∙·➢➤►▶✓✔❖]|[-–—*](?=\s)|\d{1,2}[.)](?=\s))\s*")
EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
URL = re.compile(
    r"(?:https?:/{1,2}\s?|www\.)[^\s,;|]+|\b(?:[a-z0-9-]+\.)+(?:com|org|net|io|dev|me|de|fr|es|"
    r"co|ai|app|info|eu|uk|ch|at|nl|tech|site|page|xyz|design|science|studio|codes|blog|cloud|"
    r"online|website|digital|works|engineer|photography|art|email|name|pro|is|it|se|ca|us|"
    r"[a-z]{2}\.[a-z]{2})(?![\w-])(?:/[^\s,;|]*)?",
    re.IGNORECASE,
)
PHONE = re.compile(r"(?<![\w.])(?:\+|00)?\(?\d[\d ().\-/]{5,}\d(?![\w.]*@)")
GPA = re.compile(
    r"(?:\b(?:gpa|cgpa|grade|note|moyenne|nota|abschlussnote)\b\s*[:\-]?\s*"
    r"(?P<a>\d+(?:[.,]\d+)?(?:\s*/\s*\d+(?:[.,]\d+)?)?)"
    r"|(?P<b>\d+(?:[.,]\d+)?(?:\s*/\s*\d+(?:[.,]\d+)?)?)\s*(?:gpa|cgpa)\b)",
    re.IGNORECASE,
)
ABBREVIATION_END = re.compile(
    r"\b(?:inc|ltd|co|corp|llc|jr|sr|st|dr|etc|gmbh|ag|sa|e\.v|bros|no)\.$", re.IGNORECASE
)
LOCATION = re.compile(
    r"^(?P<city>[A-ZÀ-Ý][\w'’.\- ]{1,40}?),\s*(?P<region>[A-ZÀ-Ý][\w'’.\- ]{1,30}?)"
    r"(?:,\s*(?P<country>[A-ZÀ-Ý][\w'’.\- ]{1,30}))?(?:\s+\d[\w -]{2,9})?$"
)
REMOTE = re.compile(r"^(?:remote|hybrid|on-?site|homeoffice|télétravail|remoto)$", re.IGNORECASE)
LIST_SPLIT = re.compile(r"\s*[,;]\s*(?![^()]*\))|\s+[|•·]\s+|\s*\|\s*|\t")
LABEL = re.compile(r"^(?P<label>[^:–—]{1,40}?)\s*(?::|\s[–—-]\s)\s*(?P<rest>.+)$")
TAG_LINE = re.compile(r"^(?:tags|keywords|schlagw(?:ö|oe)rter|mots-cl[ée]s|etiquetas)\b", re.I)
KEYWORDS_LABEL = re.compile(
    r"^(?:tech(?:nologies|nology| stack)?|tools|stack|built with|keywords|skills|"
    r"technologien|technologies utilisées|tecnologías)\s*:",
    re.IGNORECASE,
)
# Name and location checks run on every cell of the header and the first page.
NAME_WORD = re.compile(r"[^\W\d_][\w'’.\-]*")
STACKED_NAME_WORD = re.compile(r"[^\W\d_][\w'’\-]+")
NOT_A_NAME = re.compile(r"curriculum|vitae|resume|lebenslauf|personal|information", re.I)
REGION_ZIP = re.compile(r"([A-Z]{2})\s+\d{4,5}")
# "10115 Berlin", "D-80331 München", "1317-066 Mealhada", "8631 BY Schaijk": a postcode, then
# the city.
POSTCODE_CITY = re.compile(r"(?:[A-Z]{1,2}-)?\d{4,5}(?:-?\d{3})?(?: ?[A-Z]{2})? (?P<city>\D+)")
PLACE_NAME = re.compile(r"[A-ZÀ-Ý][\w'’.\- ]{1,40}")
US_PLACE = re.compile(r"((?:[A-Z][a-zà-ÿ'’.\-]+ ){0,2}[A-Z][a-zà-ÿ'’.\-]+), ([A-Z]{2})\b")
DIGIT = re.compile(r"\d")
LEVEL_IN_BRACKETS = re.compile(r"\s*\((?P<level>[^()]{2,40})\)\s*$")
NON_DIGITS = re.compile(r"\D")
DIGITS_SPACES = re.compile(r"[\d\s]+")


def _has_url(text: str) -> bool:
    """Whether ``text`` holds a URL. Every URL has a "." or ":/", which is quicker to look
    for than the pattern is to fail."""
    return ("." in text or ":/" in text) and URL.search(text) is not None


def _spread(values: Sequence[float]) -> float:
    """Population standard deviation in float arithmetic (``statistics.pstdev`` is exact,
    through fractions, and many times slower)."""
    mean = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


def _strip_bullet(text: str) -> tuple[str, int]:
    match = BULLET_START.match(text)
    return (text[match.end() :], match.end()) if match else (text, 0)


@dataclass(slots=True)
class Section:
    kind: str
    also: tuple[str, ...]
    heading: Line | None
    lines: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class Entry:
    header: list[Line] = field(default_factory=list)
    body: list[Line] = field(default_factory=list)
    dates: DateRange | None = None
    date_spans: list[tuple[int, int]] = field(default_factory=list)
    text_slots: int = 0


# The line labeller's sections, in the engine's words.
LABELLED_KINDS = {
    Section_.AWARDS: "other",
    Section_.PUBLICATIONS: "other",
    Section_.INTERESTS: "other",
    Section_.REFERENCES: "other",
}
HEADER_ROLES = frozenset({Role.ENTRY, Role.DETAIL})
# The field tagger's kind for the person's contact lines.
BASICS = "basics"


def contact_lines(document: ResumeText, labels: Sequence[tuple[Section_, Role]]) -> list[Line]:
    """The lines labelled contact details, in reading order: what the field tagger reads as
    the basics' one header."""
    return [
        line
        for line, (_, role) in zip(document.lines, labels, strict=True)
        if role == Role.CONTACT and not line.furniture
    ]


class FieldTagger(Protocol):
    """Tags the words of an entry's header lines (``learned.fields``): tag → [(value,
    probability)] in reading order. ``wrapped``: the lines that continue the one before."""

    def fields(
        self, kind: str, lines: Sequence[Line], raw: str, wrapped: Collection[int] = ()
    ) -> dict[str, list[tuple[Piece, float]]]: ...


# The attribute and evidence key each tagged field fills, per kind of item.
TAGGED: dict[str, dict[str, tuple[str, str]]] = {
    "work": {
        Tag.TITLE: ("position", "position"),
        Tag.EMPLOYER: ("name", "name"),
        Tag.PLACE: ("location", "location"),
    },
    "education": {
        Tag.INSTITUTION: ("institution", "institution"),
        Tag.DEGREE: ("study_type", "studyType"),
        Tag.AREA: ("area", "area"),
        Tag.SCORE: ("score", "score"),
    },
    "projects": {
        Tag.PROJECT: ("name", "name"),
        Tag.ROLE: ("roles", "roles"),
        Tag.LINK: ("url", "url"),
    },
    "certificates": {
        Tag.CERTIFICATE: ("name", "name"),
        Tag.ISSUER: ("issuer", "issuer"),
        Tag.CREDENTIAL: ("credential_id", "credentialId"),
        Tag.LINK: ("url", "url"),
    },
}
# A tagged field less probable than this leaves the field to the rules (chosen on held-out
# families of the synthetic corpus: bench/extraction_lofo.py).
TAGGED_CONFIDENCE = 0.9
# What an item needs to be kept: one of these attributes.
REQUIRED = {
    "work": ("name", "position"),
    "education": ("institution", "study_type"),
    "projects": ("name",),
    "certificates": ("name",),
}
T = TypeVar("T", schema.Work, schema.Education, schema.Project, schema.Certificate)


def _lone_skill(name: Piece, level: Piece | None) -> schema.Skill:
    """A label no list followed: one skill, with the level printed under it if any."""
    skill = schema.Skill(name=name.text, confidence=0.6, evidence={"name": name.spans})
    if level is not None:
        skill.level = level.text
        skill.evidence["level"] = level.spans
    return skill


class Engine:
    """``labels``, when given, are the line labeller's (section, role) of every line of
    ``document``: sections and entries then follow them instead of the layout rules.
    ``tagger``, when given, names the fields of every entry's header; the rules fill only
    what it leaves unnamed."""

    def __init__(
        self,
        document: ResumeText,
        labels: Sequence[tuple[Section_, Role]] | None = None,
        tagger: FieldTagger | None = None,
    ) -> None:
        self.doc = document
        self.tagger = tagger
        self.labels = (
            {line.start: label for line, label in zip(document.lines, labels, strict=True)}
            if labels is not None
            else None
        )
        self.raw = document.raw
        self.lines = [line for line in document.lines if not line.furniture]
        sizes = [line.size for line in self.lines if line.size]
        self.body_size = statistics.median(sizes) if sizes else 10.0
        self.is_pdf = document.kind == "pdf"
        self._segments_cache: dict[int, list[Piece]] = {}
        self._classify_cache: dict[tuple[str, tuple[tuple[int, int], ...]], tuple[str, object]] = {}
        self.right: dict[tuple[int, int], float] = {}
        for line in self.lines:
            key = (line.page, line.block)
            self.right[key] = max(self.right.get(key, 0.0), line.x1)

    # -- sections ------------------------------------------------------------------------

    def _heading(self, line: Line) -> tuple[str, tuple[str, ...]] | None:
        """The sections a line names when it is shaped like a heading (no list item, at most
        five words: checked first, as the cheaper test)."""
        text = line.text.strip()
        if line.bullet or BULLET_START.match(text) or len(text.split()) > 5:
            return None
        found = vocab.heading_kind(text)
        if found and len(line.cells) > 1 and found[0] != "other":
            # "Languages  English | French" is a skills row, not a heading.
            return None
        return found

    def _unknown_heading(self, line: Line) -> bool:
        """An all-capitals or large/bold short line not in our vocabulary ends the section."""
        text = line.text.strip().strip(":")
        if not line.gap_before or len(text) > 60 or not text.isupper():
            return False
        letters = [c for c in text if c.isalpha()]
        if len(letters) < 4 or len(text.split()) > 4 or len(line.cells) > 1:
            return False
        if find_dates(text) or EMAIL.search(text) or any(c.isdigit() for c in text):
            return False
        upper = all(c.isupper() for c in letters)
        emphasised = line.bold or line.size > self.body_size * 1.15
        return upper and (emphasised or not self.is_pdf) and line.gap_before

    def sections(self) -> list[Section]:
        if self.labels is not None:
            return self._labelled_sections(self.labels)
        sections = [Section("header", (), None)]
        for line in self.lines:
            found = self._heading(line)
            current = sections[-1]
            if found and found[0] != current.kind:
                sections.append(Section(found[0], found[1], line))
                continue
            if current.kind != "header" and self._unknown_heading(line):
                sections.append(Section("other", (), line))
                continue
            current.lines.append(line)
        return sections

    def _labelled_sections(self, labels: dict[int, tuple[Section_, Role]]) -> list[Section]:
        sections = [Section("header", (), None)]
        for line in self.lines:
            section, role = labels[line.start]
            kind = LABELLED_KINDS.get(section, section.value)
            if role == Role.HEADING:
                found = vocab.heading_kind(line.text.strip())
                also = found[1] if found and found[0] == kind else ()
                sections.append(Section(kind, also, line))
                continue
            if kind != sections[-1].kind:
                sections.append(Section(kind, (), None))
            sections[-1].lines.append(line)
        return sections

    def _labelled_entries(
        self, section: Section, labels: dict[int, tuple[Section_, Role]]
    ) -> list[Entry]:
        entries: list[Entry] = []
        in_header = False
        for line in section.lines:
            _, role = labels[line.start]
            if role == Role.ENTRY or not entries:
                entries.append(Entry())
            current = entries[-1]
            if role in HEADER_ROLES or (role == Role.CONT and in_header):
                in_header = True
                self._add_header(current, line, self._line_dates(line))
            else:
                in_header = False
                current.body.append(line)
        return [entry for entry in entries if entry.header or entry.body]

    # -- basics --------------------------------------------------------------------------

    def basics(self, sections: Sequence[Section]) -> schema.Basics:
        basics = schema.Basics()
        header = [line for s in sections if s.kind in ("header", "contact") for line in s.lines]
        # Lines are told apart by where they start.
        in_header = {line.start for line in header}
        # Contact details printed in a band or sidebar that reads after some section: the
        # lines around an e-mail address ("@" first: the pattern is slow to fail).
        for index, line in enumerate(self.lines):
            if "@" in line.text and line.start not in in_header and EMAIL.search(line.text):
                for near in self.lines[max(index - 2, 0) : index + 3]:
                    if near.start not in in_header and near.block == line.block:
                        header.append(near)
                        in_header.add(near.start)
        profile_lines = [line for s in sections if s.kind == "profiles" for line in s.lines]
        confidences: list[float] = []
        search_order = header + profile_lines + self.lines
        raw = self.raw

        for line in search_order:
            match = EMAIL.search(raw, line.start, line.end) if "@" in line.text else None
            if match:
                basics.email = match.group().rstrip(".")
                basics.evidence["email"] = [(match.start(), match.start() + len(basics.email))]
                confidences.append(0.98)
                break

        phone_lines = header + profile_lines or self.lines[:12]
        for line in phone_lines:
            for match in PHONE.finditer(raw, line.start, line.end):
                value = match.group().strip(" -./")
                digits = NON_DIGITS.sub("", value)
                if not 7 <= len(digits) <= 15 or (find_dates(value) and is_date_only(value)):
                    continue
                if DIGITS_SPACES.fullmatch(value) and len(value.split()) == 1 and len(digits) < 9:
                    continue
                start = match.start() + match.group().index(value)
                basics.phone = value
                basics.evidence["phone"] = [(start, start + len(value))]
                confidences.append(0.9)
                break
            if basics.phone:
                break

        self._profiles_and_url(basics, header, profile_lines, confidences)
        self._name(basics, sections, header, confidences)
        self._location(basics, header, confidences)
        if basics.location == schema.Location():
            self._tagged_location(basics, confidences)
        self._headline(basics, header, confidences)
        self._summary(basics, sections, confidences)
        basics.confidence = round(statistics.mean(confidences), 3) if confidences else 0.0
        return basics

    def _headline(
        self, basics: schema.Basics, header: list[Line], confidences: list[float]
    ) -> None:
        """The line under the name, when it is a few words of neither contact details nor
        dates ("Senior Data Engineer")."""
        name = basics.evidence.get("name")
        if not name:
            return
        lines = [line for line in header if line.start >= name[-1][1]]
        if not lines or lines[0].start > name[-1][1] + 2 or len(lines[0].cells) > 1:
            return
        text = lines[0].text.strip()
        taken = [span for spans in basics.evidence.values() for span in spans]
        if (
            any(lines[0].start <= a < lines[0].end for a, _ in taken)
            or EMAIL.search(text)
            or _has_url(text)
            or PHONE.search(text)
            or find_dates(text)
            or vocab.heading_kind(text)
            or not 1 <= len(text.split()) <= 8
            or not any(c.isalpha() for c in text)
        ):
            return
        headline = piece(self.raw, lines[0].start, lines[0].end)
        basics.label = headline.text
        basics.evidence["label"] = headline.spans
        confidences.append(0.8)

    def _summary(
        self, basics: schema.Basics, sections: Sequence[Section], confidences: list[float]
    ) -> None:
        """The first summary section's text, its lines joined."""
        for section in sections:
            if section.kind == "summary" and section.lines:
                summary = join([piece(self.raw, line.start, line.end) for line in section.lines])
                if summary:
                    basics.summary = summary.text
                    basics.evidence["summary"] = summary.spans
                    confidences.append(0.85)
                return

    def _profiles_and_url(
        self,
        basics: schema.Basics,
        header: list[Line],
        profile_lines: list[Line],
        confidences: list[float],
    ) -> None:
        raw = self.raw
        seen_networks: set[str] = set()
        for line in header + profile_lines:
            for match in URL.finditer(raw, line.start, line.end):
                text = match.group().rstrip(".,)")
                if "@" in raw[max(match.start() - 1, 0) : match.end()] or EMAIL.fullmatch(text):
                    continue
                start = match.start()
                printed = re.sub(r"^https?:/{1,2}\s?", "", text)
                lowered = printed.lower()
                network = next(
                    (n for d, n in vocab.NETWORK_DOMAINS.items() if d in lowered.split("/")[0]),
                    None,
                )
                if network:
                    if network in seen_networks:
                        continue
                    seen_networks.add(network)
                    basics.profiles.append(
                        schema.Profile(
                            network=network,
                            url=text,
                            confidence=0.95,
                            evidence={"url": [(start, start + len(text))]},
                        )
                    )
                elif basics.url is None and "." in printed:
                    url_start = start
                    if text != printed and " " in text:
                        # "https:/ johndoe.me/" as some PDFs print it: keep what is readable.
                        url_start = start + text.index(printed)
                        text = printed
                    basics.url = text
                    basics.evidence["url"] = [(url_start, url_start + len(text))]
                    confidences.append(0.9)
        # Handles next to a network label ("johndoe" / "LinkedIn") or after an icon.
        lines = header + profile_lines
        for index, line in enumerate(lines):
            for cell_index, cell in enumerate(line.cells):
                label = vocab.NETWORKS.get(vocab.fold(cell.text).strip(" :"))
                if not label or label in seen_networks:
                    continue
                handle = self._handle_near(lines, index, cell_index)
                if handle:
                    seen_networks.add(label)
                    basics.profiles.append(
                        schema.Profile(
                            network=label,
                            username=handle.text,
                            confidence=0.85,
                            evidence={
                                "network": [(cell.start, cell.end)],
                                "username": handle.spans,
                            },
                        )
                    )
            for cell_index, cell in enumerate(line.cells):
                icon = next((i for ci, i in line.icons if ci == cell_index), None)
                target = next((u for ci, u in line.links if ci == cell_index), None)
                network = vocab.NETWORKS.get(icon) if icon else None
                if network is None and target:
                    host = re.sub(r"^[a-z]+://(?:www\.)?", "", target.lower()).split("/")[0]
                    network = vocab.NETWORK_DOMAINS.get(host)
                    if network is None and target.startswith("mailto:"):
                        continue
                if not network or network in seen_networks:
                    continue
                handle = piece(raw, cell.start, cell.end)
                if handle and " " not in handle.text and "@" not in handle.text:
                    if URL.fullmatch(handle.text):
                        continue
                    seen_networks.add(network)
                    basics.profiles.append(
                        schema.Profile(
                            network=network,
                            username=handle.text,
                            confidence=0.8,
                            evidence={"username": handle.spans},
                        )
                    )
        # "GitHub: johndoe" written out.
        for line in lines:
            for match in re.finditer(r"\b([A-Za-z]+)\s*:\s*@?([\w.-]{2,40})\b", line.text):
                network = vocab.NETWORKS.get(vocab.fold(match.group(1)))
                if network and network not in seen_networks and "." not in match.group(2):
                    seen_networks.add(network)
                    start = line.start + match.start(2)
                    basics.profiles.append(
                        schema.Profile(
                            network=network,
                            username=match.group(2),
                            confidence=0.85,
                            evidence={"username": [(start, start + len(match.group(2)))]},
                        )
                    )

    def _handle_near(self, lines: list[Line], index: int, cell_index: int) -> Piece | None:
        def handle_of(line: Line, position: int) -> Piece | None:
            if position >= len(line.cells):
                return None
            cell = line.cells[position]
            p = piece(self.raw, cell.start, cell.end)
            text = p.text.lstrip("@")
            if not p or " " in text or vocab.NETWORKS.get(vocab.fold(text)) or "@" in text:
                return None
            if URL.fullmatch(p.text) or len(text) > 40:
                return None
            return p

        line = lines[index]
        if len(line.cells) > 1 and cell_index + 1 < len(line.cells) and len(line.cells) == 2:
            found = handle_of(line, cell_index + 1)
            if found:
                return found
        for neighbour in (index - 1, index + 1):
            if 0 <= neighbour < len(lines):
                other = lines[neighbour]
                if len(other.cells) == len(line.cells):
                    found = handle_of(other, cell_index)
                    if found:
                        return found
        return None

    def _name(
        self,
        basics: schema.Basics,
        sections: Sequence[Section],
        header: list[Line],
        confidences: list[float],
    ) -> None:
        candidates: list[tuple[float, Piece]] = []
        pool = header or self.lines[:10]
        if self.is_pdf:
            # Header bands and sidebars put the name anywhere on the first page.
            in_pool = {line.start for line in pool}
            pool = pool + [
                line for line in self.lines if line.page == 0 and line.start not in in_pool
            ]
        in_header = {line.start for line in header}
        for order, line in enumerate(pool):
            for cell in line.cells:
                whole = piece(self.raw, cell.start, cell.end)
                # "Name | Title" printed as one header line: the name is its first part.
                parts = (
                    segments(self.raw, cell.start, cell.end)
                    if SEPARATORS.search(self.raw, cell.start, cell.end)
                    else []
                )
                options = [whole] + (parts[:1] if len(parts) > 1 else [])
                for p in options:
                    self._name_candidate(p, line, order, line.start in in_header, candidates)
        self._stacked_name(pool, candidates)
        if candidates:
            best = max(candidates, key=lambda c: c[0])[1]
            basics.name = best.text
            basics.evidence["name"] = best.spans
            confidences.append(0.85)

    def _name_candidate(
        self,
        p: Piece,
        line: Line,
        order: int,
        in_header: bool,
        candidates: list[tuple[float, Piece]],
    ) -> None:
        text = p.text
        words = text.split()
        # Two to four names; particles ("van de", "da") between them are not counted.
        named = [w for w in words[1:-1] if w.casefold() not in vocab.NAME_PARTICLES]
        if len(words) < 2 or len(named) > 2 or len(text) > 40:
            return
        if not all(NAME_WORD.fullmatch(w) for w in words):
            return
        if not all(w[0].isupper() for w in (words[0], *named, words[-1])):
            return
        if vocab.heading_kind(text) or vocab.TITLE_WORDS.search(text):
            return
        if vocab.INSTITUTION.search(text) or vocab.COMPANY_WORDS.search(text):
            return
        if NOT_A_NAME.search(text):
            return
        score = (line.size or 10.0) * (1.6 if line.bold else 1.0) - order * 0.05
        if in_header:
            score += 2.0
        candidates.append((score, p))

    def _stacked_name(self, pool: list[Line], candidates: list[tuple[float, Piece]]) -> None:
        # A first and last name stacked on two lines of the same large type.
        for order, (a, b) in enumerate(itertools.pairwise(pool)):
            if a.block != b.block or len(a.cells) != 1 or len(b.cells) != 1:
                continue
            if not (a.size and a.size == b.size and a.size >= self.body_size * 1.4):
                continue
            pair = (a.text.strip(), b.text.strip())
            if all(STACKED_NAME_WORD.fullmatch(w) and w[0].isupper() for w in pair):
                if any(vocab.heading_kind(w) for w in pair):
                    continue
                p = join([piece(self.raw, a.start, a.end), piece(self.raw, b.start, b.end)])
                candidates.append((a.size * (1.6 if a.bold else 1.0) - order * 0.05, p))

    def _location(
        self, basics: schema.Basics, header: list[Line], confidences: list[float]
    ) -> None:
        for line in header:
            for part in segments(self.raw, line.start, line.end, extra=r"\s+,\s+"):
                found = self._parse_location(part)
                if found:
                    location, spans = found
                    basics.location = location
                    basics.evidence.update(spans)
                    confidences.append(0.8)
                    return
        # A location inside a run of text ("… 555-0142 San Francisco, CA linkedin…").
        for line in header:
            match = US_PLACE.search(line.text) if ", " in line.text else None
            if match and match.group(2) in vocab.US_STATES:
                start = line.start + match.start()
                p = piece(self.raw, start, line.start + match.end())
                found = self._parse_location(p)
                if found:
                    basics.location, spans = found
                    basics.evidence.update(spans)
                    confidences.append(0.7)
                    return

    def _tagged_location(self, basics: schema.Basics, confidences: list[float]) -> None:
        """The place the field tagger names among the contact lines, where the rules found
        none: a city printed alone ("Paderborn") has no form of its own to find it by."""
        if self.tagger is None or self.labels is None:
            return
        lines = contact_lines(self.doc, [self.labels[line.start] for line in self.doc.lines])
        found = self.tagger.fields(BASICS, lines, self.raw).get(Tag.LOCATION) if lines else None
        if not found or found[0][1] < TAGGED_CONFIDENCE:
            return
        (value, probability), *_ = found
        parsed = self._parse_location(value)
        if parsed is not None:
            basics.location, spans = parsed
            basics.evidence.update(spans)
        elif PLACE_NAME.fullmatch(value.text) and not DIGIT.search(value.text):
            basics.location = schema.Location(city=value.text)
            basics.evidence["location.city"] = value.spans
        else:
            return
        confidences.append(round(probability, 3))

    def _parse_location(
        self, p: Piece
    ) -> tuple[schema.Location, dict[str, list[tuple[int, int]]]] | None:
        text = p.text
        if "@" in text or len(text) > 80 or _has_url(text):
            return None
        parts = [s.strip() for s in text.split(",")]
        start = p.spans[0][0] if p.spans else 0
        offsets: list[tuple[int, int]] = []
        position = 0
        for s in text.split(","):
            lead = len(s) - len(s.lstrip())
            offsets.append((start + position + lead, start + position + lead + len(s.strip())))
            position += len(s) + 1
        postcode_city = False
        for number, part in enumerate(parts):
            found = POSTCODE_CITY.fullmatch(part)
            if found:
                # What comes before the postcode is the street.
                begin = offsets[number][0] + found.start("city")
                parts = [found["city"], *parts[number + 1 :]]
                offsets = [(begin, offsets[number][1]), *offsets[number + 1 :]]
                postcode_city = True
                break
        keep = [
            (t, o)
            for t, o in zip(parts, offsets, strict=True)
            if (t and not DIGIT.search(t)) or (t and REGION_ZIP.fullmatch(t))
        ]
        if not keep or len(keep) > 3:
            return None
        cleaned: list[tuple[str, tuple[int, int]]] = []
        for value, (begin, finish) in keep:
            region_zip = REGION_ZIP.fullmatch(value)
            if region_zip:
                value = region_zip.group(1)
                finish = begin + 2
            cleaned.append((value, (begin, finish)))
        location = schema.Location()
        spans: dict[str, list[tuple[int, int]]] = {}
        country = vocab.COUNTRIES.get(vocab.fold(cleaned[-1][0]))
        if country and len(cleaned) >= 1:
            location.country_code = country
            spans["location.countryCode"] = [cleaned[-1][1]]
            cleaned = cleaned[:-1]
        if len(cleaned) == 2:
            city, region = cleaned
            if not (
                region[0] in vocab.US_STATES
                or vocab.fold(region[0]) in vocab.REGIONS
                or (location.country_code and vocab.REGION_WORD.search(region[0]))
            ):
                return None
            if not PLACE_NAME.fullmatch(city[0]) or len(city[0].split()) > 4:
                return None
            location.city, location.region = city[0], region[0]
            spans["location.city"] = [city[1]]
            spans["location.region"] = [region[1]]
        elif len(cleaned) == 1 and (location.country_code or postcode_city):
            if not PLACE_NAME.fullmatch(cleaned[0][0]):
                return None
            location.city = cleaned[0][0]
            spans["location.city"] = [cleaned[0][1]]
        elif not (len(cleaned) == 0 and location.country_code):
            return None
        # Checked last, as the slowest test.
        if any(
            vocab.COMPANY_WORDS.search(v) or vocab.INSTITUTION.search(v)
            for v, _ in cleaned
            if v not in vocab.US_STATES  # "CO" is Colorado here, not "& Co"
        ):
            return None  # "Hafenwerk GmbH, Hamburg" is an employer and its city
        return location, spans

    # -- entries -------------------------------------------------------------------------

    def _base_x(self, lines: Sequence[Line]) -> tuple[dict[tuple[int, int], float], bool]:
        """Left edge per page and column, and whether the section's text is centred."""
        base: dict[tuple[int, int], float] = {}
        for line in lines:
            # The first line of a section in a column is an entry header: indentation is
            # measured from it (bullets may hang further left, as in brilliant-CV).
            base.setdefault((line.page, line.block), self._x0(line))
        centred = False
        if self.is_pdf and len(lines) >= 3:
            centres = [(line.x0 + line.x1) / 2 for line in lines]
            lefts = [line.x0 for line in lines]
            centred = _spread(centres) < 4 and _spread(lefts) > 8
        return base, centred

    def _x0(self, line: Line) -> float:
        """Where a line's content starts: after a leading date column (Europass)."""
        if len(line.cells) == 1:
            return line.x0
        for cell in line.cells:
            if not (is_date_only(cell.text) and find_dates(cell.text)):
                return cell.x0 or line.x0
        return line.x0

    def _is_bodyish(
        self, line: Line, base: dict[tuple[int, int], float], centred: bool, kind: str = ""
    ) -> bool:
        text, _ = _strip_bullet(line.text)
        if kind == "certificates":
            return False
        if TAG_LINE.match(text):
            return True
        if line.bullet or BULLET_START.match(line.text):
            return True
        words = len(text.split())
        indented = (
            self.is_pdf
            and not centred
            and self._x0(line) > base.get((line.page, line.block), 0) + 10
        )
        if indented and not URL.fullmatch(text.strip()):
            return True
        if words >= 9 and not find_dates(text) and not self._placed(line):
            return True
        stripped = text.rstrip()
        # A sentence ends with a period; "Acme Inc." does not make a line a sentence.
        return (
            words >= 3
            and stripped.endswith((".", "…"))
            and not ABBREVIATION_END.search(stripped)
            and not find_dates(stripped)
        )

    def _placed(self, line: Line) -> bool:
        """ "Long University Name<TAB>City, Country": a cell holding only a place makes a
        long line an entry header, not a sentence."""
        if len(line.cells) < 2:
            return False
        last = line.cells[-1]
        return self._classify_segment(piece(self.raw, last.start, last.end))[0] == "location"

    def _line_dates(self, line: Line) -> list[DateRange]:
        return find_dates(line.text)

    def entries(self, section: Section) -> list[Entry]:
        if self.labels is not None:
            return self._labelled_entries(section, self.labels)
        lines = section.lines
        base, centred = self._base_x(lines)
        entries: list[Entry] = []
        current: Entry | None = None
        previous_body = False
        wrapped = self._wrapped(lines)
        for index, line in enumerate(lines):
            bodyish = self._is_bodyish(line, base, centred, section.kind) or index in wrapped
            text = line.text.strip()
            if section.kind == "certificates" and (index in wrapped or self._long_prose(text)):
                continue  # a paragraph that ran on after the section, not a certificate
            if current is not None and current.body and not bodyish:
                # A wrapped line of a paragraph continues it.
                last = current.body[-1]
                if (
                    previous_body
                    and not line.gap_before
                    and (text[:1].islower() or last.text.rstrip().endswith(("-", ",")))
                ):
                    bodyish = True
            if bodyish and current is not None:
                current.body.append(line)
                previous_body = True
                continue
            if URL.fullmatch(text) and current is not None:
                current.header.append(line)
                continue
            dates = [d for d in self._line_dates(line)]
            starts_new = current is None or (previous_body and not bodyish)
            if current is not None and not starts_new:
                date_only = bool(dates) and is_date_only(text)
                if (dates and current.dates is not None) or (
                    section.kind == "certificates"
                    and line.gap_before
                    and current.header
                    and not (date_only and current.dates is None)
                    # "Scrum.org, 2019" under a name: a line without a name starts nothing.
                    and not (current.dates is None and not self._text_count(line))
                ):
                    starts_new = True
                elif not dates and self._text_count(line) and current.text_slots >= 2:
                    # Both names are known: a new entry if a date follows before any body.
                    if (
                        current.dates is not None
                        and self._date_ahead(lines, index, base, centred, section.kind)
                    ) or section.kind == "certificates":
                        starts_new = True
                    elif current.dates is not None and section.kind != "education":
                        current.body.append(line)
                        previous_body = True
                        continue
                elif (
                    section.kind == "certificates"
                    and current.text_slots >= 1
                    and not dates
                    and re.search(r"\w,\s+\w", text)
                ):
                    starts_new = True  # "Name, Issuer" after a complete entry
            if bodyish and current is None:
                current = Entry()
                entries.append(current)
                current.body.append(line)
                previous_body = True
                continue
            if starts_new:
                current = Entry()
                entries.append(current)
            assert current is not None
            self._add_header(current, line, dates)
            previous_body = False
        return entries

    def _add_header(self, entry: Entry, line: Line, dates: Sequence[DateRange]) -> None:
        """``line`` is one of ``entry``'s header lines: its first date is the entry's."""
        entry.header.append(line)
        if dates and entry.dates is None:
            entry.dates = dates[0]
            entry.date_spans = [(line.start + dates[0].span[0], line.start + dates[0].span[1])]
        entry.text_slots += self._text_count(line)

    def _long_prose(self, text: str) -> bool:
        """Ten words or more, not counting a bullet, dashes or a trailing date."""
        text, _ = _strip_bullet(text)
        words = [w for w in text.split() if any(c.isalnum() for c in w)]
        return len(words) >= 10 and not (find_dates(text) and len(words) < 14)

    def _wrapped(self, lines: Sequence[Line]) -> set[int]:
        """Lines of paragraphs wrapped over several lines (in any alignment)."""
        wrapped: set[int] = set()
        for index in range(len(lines) - 1):
            a, b = lines[index], lines[index + 1]
            if b.gap_before or a.block != b.block or a.page != b.page:
                continue
            a_text, b_text = a.text.rstrip(), b.text.strip()
            a_words = a_text.split()
            if len(a.cells) > 1 or len(b.cells) > 1 or URL.match(b_text) or URL.match(a_text):
                continue
            if find_dates(a_text) or (find_dates(b_text) and is_date_only(b_text)):
                continue
            if (
                (a_text.endswith(("-", ",")) and len(a_words) >= 3)
                or (b_text[:1].islower() and len(a_words) >= 4)
                or (b_text[:1].isdigit() and a_words[-1][:1].islower() and len(a_words) >= 4)
            ):
                wrapped.update((index, index + 1))
        return wrapped

    def _date_ahead(
        self,
        lines: list[Line],
        index: int,
        base: dict[tuple[int, int], float],
        centred: bool,
        kind: str,
    ) -> bool:
        for line in lines[index : index + 4]:
            if self._is_bodyish(line, base, centred, kind):
                return False
            if find_dates(line.text):
                return True
        return False

    def _text_count(self, line: Line) -> int:
        count = 0
        for p in self._header_segments(line):
            kind, _ = self._classify_segment(p)
            if kind == "text":
                count += 1
        return count

    def _header_segments(self, line: Line) -> list[Piece]:
        cached = self._segments_cache.get(line.start)
        if cached is not None:
            return cached
        out: list[Piece] = []
        # A bulleted header line ("- Name — Issuer, 2021"): the bullet is no part of a value.
        bullet_end = line.start + _strip_bullet(line.text)[1]
        for cell in line.cells:
            for p in segments(self.raw, max(cell.start, bullet_end), cell.end):
                out.extend(self._cut_dates(p))
        self._segments_cache[line.start] = out
        return out

    def _cut_dates(self, p: Piece) -> list[Piece]:
        """Split a segment around the dates it contains ("Google (2019 - 2021)")."""
        if len(p.spans) != 1:
            return [p]
        start, end = p.spans[0]
        text = self.raw[start:end]
        found = find_dates(text)
        if not found or is_date_only(text):
            return [p]
        out: list[Piece] = []
        position = start
        for d in found:
            before = piece(self.raw, position, start + d.span[0], " \t|,;:()[]–—-•·")
            if before:
                out.append(before)
            out.append(piece(self.raw, start + d.span[0], start + d.span[1]))
            position = start + d.span[1]
        after = piece(self.raw, position, end, " \t|,;:()[]–—-•·")
        if after:
            out.append(after)
        return out

    def _classify_segment(self, p: Piece) -> tuple[str, object]:
        key = (p.text, tuple(p.spans))
        cached = self._classify_cache.get(key)
        if cached is None:
            cached = self._classify_cache[key] = self._classify(p)
        return cached

    def _classify(self, p: Piece) -> tuple[str, object]:
        text = p.text
        if not text:
            return "empty", None
        if is_date_only(text) and find_dates(text):
            return "date", find_dates(text)[0]
        if URL.fullmatch(text) or EMAIL.fullmatch(text):
            return "url", None
        if REMOTE.match(text):
            return "location", None
        if vocab.EMPLOYMENT_TYPE.match(text) or vocab.DURATION.match(text):
            return "employment", None
        found = self._parse_location(p)
        if found and (found[0].region or found[0].country_code):
            return "location", None
        if GPA.search(text):
            return "score", None
        return "text", None

    # -- builders ------------------------------------------------------------------------

    def _paragraphs(
        self, lines: list[Line], base: dict[tuple[int, int], float], centred: bool
    ) -> list[tuple[Piece, bool]]:
        """Body lines grouped into items; True when the item is a list item (highlight)."""
        items: list[tuple[list[Piece], bool]] = []
        previous: Line | None = None
        for line in lines:
            _text, offset = _strip_bullet(line.text)
            bullet = line.bullet or offset > 0
            p = piece(self.raw, line.start + offset, line.end, " \t")
            if not p:
                continue
            role = self.labels[line.start][1] if self.labels is not None else None
            if role is not None and items and role in (Role.CONT, Role.BULLET, Role.TEXT):
                # Labelled lines say themselves where an item starts: a continuation
                # carries on the item above, however its line is set (a hanging indent
                # after a short line is no new item).
                if role == Role.CONT:
                    items[-1][0].append(p)
                else:
                    items.append(([p], role == Role.BULLET or bullet))
                previous = line
                continue
            indented = (
                self.is_pdf
                and not centred
                and self._x0(line) > base.get((line.page, line.block), 0) + 10
            )
            new_item = previous is None or bullet or line.gap_before
            if not new_item and previous is not None:
                prev_text = previous.text.rstrip()
                if self.is_pdf:
                    right = self.right.get((previous.page, previous.block), previous.x1)
                    short = not centred and previous.x1 < right - max(
                        40.0, (right - previous.x0) * 0.18
                    )
                    ended = prev_text.endswith((".", "!", "?", ":")) and p.text[:1].isupper()
                    new_item = short or ended
                    if (
                        items
                        and items[-1][1]
                        and not bullet
                        and not indented
                        and not line.gap_before
                    ):
                        new_item = new_item and not p.text[:1].islower()
                else:
                    continuation = p.text[:1].islower() or prev_text.endswith(("-", ","))
                    new_item = not continuation
            if new_item:
                items.append(([p], bullet or indented))
            else:
                items[-1][0].append(p)
            previous = line
        return [(join(ps), is_list) for ps, is_list in items]

    def _dated(self, item: schema.Dated, entry: Entry, single_is_end: bool = False) -> list[float]:
        if entry.dates is None:
            return []
        d = entry.dates
        item.start_date = d.start
        item.end_date = None if d.current else d.end
        item.current = d.current
        if d.single and single_is_end:
            item.start_date = None
        item.evidence["startDate"] = list(entry.date_spans)
        if item.end_date:
            item.evidence["endDate"] = list(entry.date_spans)
        return [0.95]

    def _text_pieces(self, entry: Entry) -> list[tuple[Piece, Line]]:
        out: list[tuple[Piece, Line]] = []
        for line in entry.header:
            for p in self._header_segments(line):
                kind, _ = self._classify_segment(p)
                if kind == "text":
                    out.append((p, line))
        return out

    def _location_piece(self, entry: Entry) -> Piece | None:
        for line in entry.header:
            for p in self._header_segments(line):
                if self._classify_segment(p)[0] == "location":
                    return p
        return None

    def _location_suffix(self, p: Piece) -> tuple[Piece, Piece | None]:
        """Split "Acme, San Francisco, CA" into the name and a trailing printed place."""
        if len(p.spans) != 1:
            return p, None
        # Offsets in the raw text: the piece's text may have lost markup ("**Puppet**").
        for match in re.finditer(r",\s+", self.raw[p.spans[0][0] : p.spans[0][1]]):
            tail = sub = piece(self.raw, p.spans[0][0] + match.end(), p.spans[0][1])
            found = self._parse_location(sub)
            if found and (found[0].region or found[0].country_code) and found[0].city:
                head = piece(self.raw, p.spans[0][0], p.spans[0][0] + match.start())
                if head:
                    return head, tail
        return p, None

    def _place_suffix(self, p: Piece) -> tuple[Piece, Piece | None]:
        """Split an employer "Monzo Bank, London" whose tail is a bare place name."""
        if len(p.spans) != 1:
            return p, None
        printed = self.raw[p.spans[0][0] : p.spans[0][1]]
        match = re.search(r",\s+([^,]+)$", printed)
        if match is None:
            return p, None
        head, tail = printed[: match.start()], match.group(1)
        words = tail.split()
        if not (1 <= len(words) <= 2 and all(re.fullmatch(r"[A-ZÀ-Ý][\w'’\-]+", w) for w in words)):
            return p, None
        if (
            vocab.is_title(tail)
            or vocab.COMPANY_WORDS.search(tail)
            or vocab.INSTITUTION.search(tail + " " + head)
            or vocab.DEGREE.search(tail)
            or vocab.is_title(head)
        ):
            return p, None
        start = p.spans[0][0]
        return (
            piece(self.raw, start, start + match.start()),
            piece(self.raw, start + match.start(1), p.spans[0][1]),
        )

    def work(self, entry: Entry) -> schema.Work | None:
        location = self._location_piece(entry)
        texts: list[tuple[Piece, Line]] = []
        for p, line in self._text_pieces(entry):
            named, place = self._location_suffix(p)
            if place is not None and location is None:
                location = place
            texts.append((named, line))
        if len(texts) == 1:
            # "Senior Developer, Company" or "Developer at Company" on one line.
            only = texts[0][0]
            parts = split_piece(self.raw, only, re.compile(r",\s+|\s+(?:at|@|bei|chez|en)\s+"))
            if len(parts) == 2 and any(
                vocab.is_title(x.text) or vocab.COMPANY_WORDS.search(x.text) for x in parts
            ):
                texts = [(parts[0], texts[0][1]), (parts[1], texts[0][1])]
        position: Piece | None = None
        company: Piece | None = None
        if len(texts) == 2 and texts[0][1] is texts[1][1] and len(texts[0][0].spans) == 1:
            between = self.raw[texts[0][0].spans[0][1] : texts[1][0].spans[0][0]]
            if re.fullmatch(r"\W*\s(?:at|@|bei|chez)\s\W*", between):
                # "Title at Company" says which is which, whatever the words.
                texts = [(texts[1][0], texts[1][1]), (texts[0][0], texts[0][1])]
                company, position = texts[0][0], texts[1][0]
        scored = sorted(
            texts,
            key=lambda t: (
                -(vocab.title_score(t[0].text) - 2 * bool(vocab.COMPANY_WORDS.search(t[0].text))),
                # On a tie the text made of title words ("President", not "ACM Student Chapter").
                -vocab.title_score(t[0].text) / max(len(t[0].text.split()), 1),
            ),
        )
        confidences: list[float] = []
        leftover: list[Piece] = []
        if company is not None and position is not None:
            confidences += [0.9, 0.85]
        elif scored and vocab.is_title(scored[0][0].text):
            position = scored[0][0]
            confidences.append(0.9)
            rest = [t for t in texts if t[0] is not position]
            if rest:
                companies = [t for t in rest if vocab.COMPANY_WORDS.search(t[0].text)] or rest
                company = companies[0][0]
                confidences.append(0.85)
                leftover = [t[0] for t in rest if t[0] is not company]
        elif texts:
            company = texts[0][0]
            if len(texts) > 1:
                position = texts[1][0]
                if location is None:
                    # "Capgemini, Paris" under an unknown title: the part with a place after
                    # it is the employer (nobody prints a city after their job title).
                    placed = [t for t in texts[:2] if self._place_suffix(t[0])[1] is not None]
                    if len(placed) == 1 and placed[0][0] is position:
                        company, position = position, company
            confidences.extend([0.6, 0.6])
        if position is None and company is None:
            return None
        if company is not None and location is None and position is not None:
            company, location = self._place_suffix(company)
        work = schema.Work()
        if company:
            work.name = company.text
            work.evidence["name"] = company.spans
        if position:
            work.position = position.text
            work.evidence["position"] = position.spans
        if location is None:
            # "Title | Company | City": a short capitalised remainder is the place.
            location = next(
                (
                    p
                    for p in leftover
                    if len(p.text.split()) <= 3
                    and p.text[:1].isupper()
                    and not vocab.is_title(p.text)
                    and not find_dates(p.text)
                ),
                None,
            )
        if location:
            work.location = location.text
            work.evidence["location"] = location.spans
        confidences += self._dated(work, entry)
        self._body(work, entry, confidences)
        work.confidence = round(statistics.mean(confidences), 3)
        return work

    def _body(
        self,
        item: schema.Work | schema.Volunteer | schema.Project,
        entry: Entry,
        confidences: list[float],
    ) -> None:
        base, centred = self._base_x(entry.header + entry.body)
        summary: list[Piece] = []
        for index, (p, is_list) in enumerate(self._paragraphs(entry.body, base, centred)):
            if KEYWORDS_LABEL.match(p.text) and isinstance(item, schema.Project):
                continue
            if TAG_LINE.match(p.text):
                continue  # per-job tag lines are not content
            if is_list:
                item.evidence[f"highlights.{len(item.highlights)}"] = p.spans
                item.highlights.append(p.text)
            elif not summary and not item.highlights:
                summary.append(p)
            else:
                item.evidence[f"highlights.{len(item.highlights)}"] = p.spans
                item.highlights.append(p.text)
            del index
        if summary:
            key = "description" if isinstance(item, schema.Project) else "summary"
            setattr(item, key, summary[0].text)
            item.evidence[key] = summary[0].spans
        if item.highlights or summary:
            confidences.append(0.8)

    def volunteer(self, entry: Entry) -> schema.Volunteer | None:
        work = self._tagged("volunteer", entry, self.work(entry), schema.Work)
        if work is None:
            return None
        return schema.Volunteer(
            organization=work.name,
            position=work.position,
            location=work.location,
            start_date=work.start_date,
            end_date=work.end_date,
            current=work.current,
            summary=work.summary,
            highlights=work.highlights,
            confidence=work.confidence,
            evidence={("organization" if k == "name" else k): v for k, v in work.evidence.items()},
        )

    def education(self, entry: Entry) -> schema.Education | None:
        texts: list[Piece] = []
        score: Piece | None = None
        for line in entry.header + entry.body:
            match = GPA.search(line.text)
            if match and score is None:
                group = "a" if match.group("a") else "b"
                start = line.start + match.start(group)
                score = Piece(match.group(group), [(start, line.start + match.end(group))])
        for p, _ in self._text_pieces(entry):
            # "Northeastern University, Boston, MA": the place is not a degree ("MA").
            p, _place = self._location_suffix(p)
            parts = split_piece(self.raw, p, re.compile(r",\s+"))
            known = [
                x for x in parts if vocab.DEGREE.search(x.text) or vocab.INSTITUTION.search(x.text)
            ]
            texts.extend(parts if len(parts) > 1 and len(known) >= 2 else [p])
        degree: Piece | None = None
        institution: Piece | None = None
        leftovers: list[Piece] = []
        for p in texts:
            if GPA.search(p.text):
                continue
            is_institution = bool(vocab.INSTITUTION.search(p.text))
            is_degree = bool(vocab.DEGREE.search(p.text)) and not is_institution
            if is_degree and degree is None:
                degree = p
            elif is_institution and institution is None:
                institution = p
            else:
                leftovers.append(p)
        confidences = [0.9 if institution else 0.5]
        if institution is None and leftovers:
            institution = leftovers.pop(0)
        area: Piece | None = None
        study: Piece | None = degree
        if degree is not None:
            split = re.search(
                r"\s+(?:in|of science in|of arts in|en|in der|im|de|en el)\s+|,\s+|\s+[-–—]\s+",
                degree.text,
            )
            if split and not re.fullmatch(r"(?:of|de)", split.group().strip()):
                study = Piece(
                    degree.text[: split.start()],
                    [(degree.spans[0][0], degree.spans[0][0] + split.start())],
                )
                area_start = degree.spans[0][0] + split.end()
                area = Piece(degree.text[split.end() :], [(area_start, degree.spans[0][1])])
        if area is None and leftovers and degree is not None:
            candidate = leftovers[0]
            if not self._parse_location(candidate) and not _has_url(candidate.text):
                area = candidate
        if institution is None and degree is None:
            return None
        education = schema.Education()
        if institution:
            education.institution = institution.text
            education.evidence["institution"] = institution.spans
        if study:
            education.study_type = study.text
            education.evidence["studyType"] = study.spans
            confidences.append(0.85)
        if area:
            education.area = area.text
            education.evidence["area"] = area.spans
        if score:
            education.score = score.text
            education.evidence["score"] = score.spans
        labelled_end = any(
            re.search(r"expected|graduat|abschluss|diplôm|obtenu|titulad", line.text, re.I)
            for line in entry.header
        )
        confidences += self._dated(education, entry, single_is_end=labelled_end)
        education.confidence = round(statistics.mean(confidences), 3)
        return education

    def _one_line_project(self, entry: Entry) -> schema.Project | None:
        """ "Name — What it does. (Tech, Tech)" on one line, read as a sentence-like body."""
        line = entry.body[0]
        text, offset = _strip_bullet(line.text)
        split = re.search(r"\s+[—–-]\s+|:\s+", text)
        if split is None:
            return None
        name = piece(self.raw, line.start + offset, line.start + offset + split.start())
        words = name.text.split()
        if not 1 <= len(words) <= 6 or name.text.endswith(".") or not name.text[:1].isupper():
            return None
        project = schema.Project(name=name.text, evidence={"name": name.spans})
        rest_start = line.start + offset + split.end()
        description = piece(self.raw, rest_start, line.end, TRIM_KEEP_DASH)
        tags = re.search(r"\(([^()]+)\)\s*$", description.text)
        if tags and description.spans:
            items = [t.strip() for t in re.split(r"[,;|]", tags.group(1))]
            if all(0 < len(t.split()) <= 3 for t in items) and (
                len(items) > 1 or vocab.canonical_skill(items[0])
            ):
                tag_start = description.spans[0][0] + tags.start(1)
                tag_piece = piece(self.raw, tag_start, tag_start + len(tags.group(1)))
                for k in split_piece(self.raw, tag_piece, LIST_SPLIT):
                    project.evidence[f"keywords.{len(project.keywords)}"] = k.spans
                    project.keywords.append(k.text)
                description = piece(
                    self.raw, rest_start, description.spans[0][0] + tags.start(), TRIM_KEEP_DASH
                )
        if description:
            project.description = description.text
            project.evidence["description"] = description.spans
        confidences = [0.7]
        confidences += self._dated(project, entry)
        self._body(project, Entry(body=entry.body[1:]), confidences)
        project.confidence = round(statistics.mean(confidences), 3)
        return project

    def project(self, entry: Entry) -> schema.Project | None:
        texts = self._text_pieces(entry)
        if not texts and entry.body:
            return self._one_line_project(entry)
        project = schema.Project()
        confidences = [0.8]
        for index, (p, _line) in enumerate(texts):
            if KEYWORDS_LABEL.match(p.text):
                continue
            if index == 0:
                project.name = p.text
                project.evidence["name"] = p.spans
            elif (
                len(p.text.split()) <= 5
                and (vocab.is_title(p.text) or len(p.text.split()) <= 2)
                and not p.text.endswith(".")
                and not _has_url(p.text)
            ):
                project.evidence[f"roles.{len(project.roles)}"] = p.spans
                project.roles.append(p.text)
            elif project.description is None:
                project.description = p.text
                project.evidence["description"] = p.spans
        for line in entry.header + entry.body:
            label = KEYWORDS_LABEL.match(line.text)
            if label:
                rest = piece(self.raw, line.start + label.end(), line.end)
                for k in split_piece(self.raw, rest, LIST_SPLIT):
                    project.evidence[f"keywords.{len(project.keywords)}"] = k.spans
                    project.keywords.append(k.text)
            for match in URL.finditer(self.raw, line.start, line.end):
                if project.url is None and "@" not in match.group():
                    project.url = match.group().rstrip(".,)")
                    project.evidence["url"] = [(match.start(), match.start() + len(project.url))]
        if project.name is None:
            return None
        confidences += self._dated(project, entry)
        self._body(project, entry, confidences)
        project.confidence = round(statistics.mean(confidences), 3)
        return project

    def _parenthesised_issuer(self, p: Piece) -> list[Piece]:
        """ "Data Engineer (Google Cloud)": an organisation in brackets is the issuer; an
        acronym ("(PE)") or a level ("(Associate)") is part of the name."""
        if len(p.spans) != 1:
            return [p]
        match = re.search(r"\s*\(([^()]+)\)$", self.raw[p.spans[0][0] : p.spans[0][1]])
        if match is None or match.start() == 0:
            return [p]
        inner = match.group(1).strip()
        if (
            inner.isupper()
            or any(c.isdigit() for c in inner)
            or not inner[:1].isupper()
            or vocab.fold(inner) in vocab.LEVELS
            or re.search(r"associate|specialty|foundational|practitioner|level|track", inner, re.I)
        ):
            return [p]
        start = p.spans[0][0]
        name = piece(self.raw, start, start + match.start())
        issuer_start = start + match.start(1)
        return [name, piece(self.raw, issuer_start, issuer_start + len(match.group(1)))]

    def certificate(self, entry: Entry) -> schema.Certificate | None:
        texts = [p for p, _ in self._text_pieces(entry)]
        if not texts:
            return None
        certificate = schema.Certificate()
        if len(texts) == 1:
            parts = split_piece(self.raw, texts[0], re.compile(r",\s+(?=[^,]+$)|\s+[-–—]\s+"))
            if len(parts) == 2:
                texts = parts
        id_pattern = re.compile(
            r"(?:credential|license|licence|id|nr|no)\.?\s*(?:id)?\s*[:#]\s*(\S+)", re.I
        )
        rest: list[Piece] = []
        for p in texts:
            match = id_pattern.search(p.text)
            if match and certificate.credential_id is None:
                certificate.credential_id = match.group(1)
                start = p.spans[0][0] + match.start(1)
                certificate.evidence["credentialId"] = [(start, start + len(match.group(1)))]
            else:
                rest.append(p)
        if not rest:
            return None
        if len(rest) == 1:
            rest = self._parenthesised_issuer(rest[0])
        certificate.name = rest[0].text
        certificate.evidence["name"] = rest[0].spans
        if len(rest) > 1:
            certificate.issuer = rest[1].text
            certificate.evidence["issuer"] = rest[1].spans
        else:
            # An issuer known by its domain ("Scrum.org, 2019") on a line of its own.
            domain = next(
                (
                    p
                    for line in entry.header[1:]
                    for p in self._header_segments(line)
                    if self._classify_segment(p)[0] == "url"
                    and re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", p.text)
                    and not EMAIL.fullmatch(p.text)
                ),
                None,
            )
            if domain is not None:
                certificate.issuer = domain.text
                certificate.evidence["issuer"] = domain.spans
        if entry.dates is not None:
            certificate.date = entry.dates.start or entry.dates.end
            certificate.evidence["date"] = list(entry.date_spans)
        for line in entry.header:
            for match in URL.finditer(self.raw, line.start, line.end):
                if match.group() != certificate.issuer:
                    certificate.url = match.group()
                    certificate.evidence["url"] = [match.span()]
        certificate.confidence = 0.85 if certificate.issuer else 0.7
        return certificate

    def _tagged(self, kind: str, entry: Entry, item: T | None, cls: type[T]) -> T | None:
        """``item`` as the rules read it, with the fields the tagger names in its header
        instead: a rules value that overlaps a tagged one yields to it. ``item`` itself is
        kept when the tagged reading would leave it without what it needs."""
        if self.tagger is None:
            return item
        shape = "work" if kind == "volunteer" else kind
        mapping = TAGGED[shape]
        lines = [line for line in entry.header if not self._long_prose(line.text)]
        wrapped = [
            number
            for number, line in enumerate(lines)
            if self.labels is not None and self.labels[line.start][1] == Role.CONT
        ]
        fields = self.tagger.fields(kind, lines, self.raw, wrapped) if lines else {}
        found = {
            tag: values
            for tag, values in fields.items()
            if tag in mapping and values[0][1] >= TAGGED_CONFIDENCE
        }
        if not found:
            return item
        out = item.model_copy(deep=True) if item is not None else self._empty(cls, entry)
        tagged = [span for values in found.values() for p, _ in values for span in p.spans]
        for tag, (attr, key) in mapping.items():
            keys = [k for k in out.evidence if k == key or k.startswith(f"{key}.")]
            spans = [span for k in keys for span in out.evidence[k]]
            if tag in found or any(a < d and c < b for a, b in spans for c, d in tagged):
                setattr(out, attr, [] if attr == "roles" else None)
                for k in keys:
                    del out.evidence[k]
            if tag not in found:
                continue
            if attr == "roles":
                for number, (p, _) in enumerate(found[tag]):
                    out.evidence[f"roles.{number}"] = p.spans
                    getattr(out, attr).append(p.text)
            else:
                value, _ = found[tag][0]
                setattr(out, attr, value.text)
                out.evidence[key] = value.spans
        if not any(getattr(out, attr) for attr in REQUIRED[shape]):
            return item
        out.confidence = round(statistics.mean(values[0][1] for values in found.values()), 3)
        return out

    def _empty(self, cls: type[T], entry: Entry) -> T:
        """An item with only what the rules read outside the header fields."""
        item = cls()
        if isinstance(item, schema.Certificate):
            if entry.dates is not None:
                item.date = entry.dates.start or entry.dates.end
                item.evidence["date"] = list(entry.date_spans)
            return item
        self._dated(item, entry)
        if isinstance(item, schema.Work | schema.Project):
            self._body(item, entry, [])
        return item

    # -- skills --------------------------------------------------------------------------

    def skills(self, section: Section) -> list[schema.Skill]:
        skills: list[schema.Skill] = []
        pending_label: Piece | None = None
        pending_level: Piece | None = None
        last_list: schema.Skill | None = None
        lines = section.lines
        for index, line in enumerate(lines):
            text, offset = _strip_bullet(line.text)
            start = line.start + offset
            whole = piece(self.raw, start, line.end)
            if not whole:
                continue
            level_key = vocab.fold(whole.text)
            if level_key in vocab.LEVELS and pending_label is not None:
                pending_level = whole
                continue
            if level_key in vocab.LEVELS and last_list is not None and not last_list.level:
                last_list.level = whole.text
                last_list.evidence["level"] = whole.spans
                continue
            label: Piece | None = None
            items_piece: Piece | None = None
            if len(line.cells) >= 2 and not self._is_list(line.cells[0].text):
                first = line.cells[0]
                candidate = piece(self.raw, first.start, first.end)
                rest_start = line.cells[1].start
                if len(candidate.text.split()) <= 4 and (
                    candidate.text.endswith(":")
                    or (
                        len(line.cells) == 2
                        and vocab.fold(line.cells[1].text.strip()) in vocab.LEVELS
                    )
                    or self.raw[first.end - 1] == ":"
                    or (len(line.cells) == 2 and self._is_list(line.cells[1].text))
                    or "|" in self.raw[rest_start : line.end]
                ):
                    label = candidate
                    items_piece = piece(self.raw, rest_start, line.end)
            if label is None:
                match = LABEL.match(text)
                if match and len(match.group("label").split()) <= 4:
                    label = piece(
                        self.raw, start + match.start("label"), start + match.end("label")
                    )
                    items_piece = piece(
                        self.raw, start + match.start("rest"), start + match.end("rest")
                    )
            if (
                label is not None
                and items_piece is not None
                and vocab.fold(items_piece.text) in vocab.LEVELS
            ):
                # "Python — Expert", or a table row "Figma | Expert": one skill and its level.
                skill = schema.Skill(
                    name=label.text,
                    level=items_piece.text,
                    confidence=0.85,
                    evidence={"name": label.spans, "level": items_piece.spans},
                )
                skills.append(skill)
                last_list = None
                pending_label = None
                continue
            if label is not None and items_piece is not None:
                if vocab.INTERESTS.search(label.text):
                    pending_label = None
                    last_list = None
                    continue
                skill = schema.Skill(
                    name=label.text, confidence=0.9, evidence={"name": label.spans}
                )
                self._level_in_brackets(skill, label)
                self._add_keywords(skill, items_piece)
                skills.append(skill)
                last_list = skill
                pending_label = None
                continue
            if self._is_list(text):
                continuation = (
                    last_list is not None
                    and pending_label is None
                    and not line.gap_before
                    and index > 0
                    and lines[index - 1].text.rstrip().endswith(",")
                )
                if continuation and last_list is not None:
                    self._add_keywords(last_list, whole)
                    continue
                skill = schema.Skill(confidence=0.85)
                if pending_label is not None:
                    skill.name = pending_label.text
                    skill.evidence["name"] = pending_label.spans
                    if pending_level is not None:
                        skill.level = pending_level.text
                        skill.evidence["level"] = pending_level.spans
                self._add_keywords(skill, whole)
                if skill.name is None:
                    # An unlabelled list: one entry per skill.
                    for k, keyword in enumerate(skill.keywords):
                        skills.append(
                            schema.Skill(
                                name=keyword,
                                confidence=0.8,
                                evidence={"name": skill.evidence[f"keywords.{k}"]},
                            )
                        )
                    last_list = None
                else:
                    skills.append(skill)
                    last_list = skill
                pending_label = None
                pending_level = None
                continue
            if len(line.cells) > 1:
                for cell in line.cells:
                    p = piece(self.raw, cell.start, cell.end)
                    if p:
                        skills.append(
                            schema.Skill(name=p.text, confidence=0.75, evidence={"name": p.spans})
                        )
                pending_label = None
                continue
            # A lone short line: a group label if a list or level follows, else one skill.
            nxt = lines[index + 1] if index + 1 < len(lines) else None
            if (
                nxt is not None
                and (self._is_list(nxt.text) or vocab.fold(nxt.text.strip()) in vocab.LEVELS)
                and len(whole.text.split()) <= 5
            ):
                if pending_label is not None:
                    skills.append(_lone_skill(pending_label, pending_level))
                pending_label = whole
                pending_level = None
                continue
            if pending_label is not None:
                skills.append(_lone_skill(pending_label, pending_level))
                pending_label = None
                pending_level = None
            for p in self._split_words(whole):
                skills.append(schema.Skill(name=p.text, confidence=0.7, evidence={"name": p.spans}))
        if pending_label is not None:
            skills.append(_lone_skill(pending_label, pending_level))
        return skills

    def _level_in_brackets(self, skill: schema.Skill, label: Piece) -> None:
        """A level in brackets after a group's label: in "Frameworks (Advanced): React,
        Vue" the group is "Frameworks", its level "Advanced"."""
        if len(label.spans) != 1:
            return
        start, end = label.spans[0]
        found = LEVEL_IN_BRACKETS.search(self.raw, start, end)
        if found is None or vocab.fold(found["level"].strip()) not in vocab.LEVELS:
            return
        name = piece(self.raw, start, found.start())
        level = piece(self.raw, found.start("level"), found.end("level"))
        skill.name, skill.level = name.text, level.text
        skill.evidence["name"], skill.evidence["level"] = name.spans, level.spans

    def _is_list(self, text: str) -> bool:
        return bool(re.search(r"[,;|]|\s[•·]\s", text))

    def _split_words(self, p: Piece) -> list[Piece]:
        """A space-separated run of skills, split at known (multi-word) vocabulary terms."""
        words = p.text.split()
        if len(words) <= 3 or len(p.spans) != 1:
            return [p]
        known = vocab.skills_vocabulary()
        out: list[Piece] = []
        start = p.spans[0][0]
        positions: list[tuple[int, int]] = [m.span() for m in re.finditer(r"\S+", p.text)]
        index = 0
        hits = 0
        while index < len(words):
            for size in (4, 3, 2, 1):
                chunk = " ".join(words[index : index + size])
                if index + size <= len(words) and vocab.fold(chunk) in known:
                    hits += 1
                    break
            else:
                size = 1
            s, e = positions[index][0], positions[index + size - 1][1]
            out.append(Piece(" ".join(words[index : index + size]), [(start + s, start + e)]))
            index += size
        return out if hits >= len(out) * 0.6 else [p]

    def _add_keywords(self, skill: schema.Skill, items: Piece) -> None:
        for k in split_piece(self.raw, items, LIST_SPLIT):
            text = re.sub(r"^(?:and|und|et|y)\s+", "", k.text, flags=re.I)
            spans = k.spans
            if text != k.text:
                spans = [(spans[0][1] - len(text), spans[0][1])]
            if text:
                skill.evidence[f"keywords.{len(skill.keywords)}"] = spans
                skill.keywords.append(text)

    # -- all -----------------------------------------------------------------------------

    def run(self) -> schema.Extraction:
        sections = self.sections()
        result = schema.Extraction(basics=self.basics(sections))
        for section in sections:
            kind = section.kind
            if kind == "skills":
                result.skills.extend(self.skills(section))
                continue
            if kind not in ("work", "volunteer", "education", "projects", "certificates"):
                continue
            for entry in self.entries(section):
                if kind == "work":
                    work = self._tagged(kind, entry, self.work(entry), schema.Work)
                    if work:
                        result.work.append(work)
                elif kind == "volunteer":
                    volunteer = self.volunteer(entry)
                    if volunteer:
                        result.volunteer.append(volunteer)
                elif kind == "education":
                    education = self._tagged(kind, entry, self.education(entry), schema.Education)
                    if education:
                        result.education.append(education)
                elif kind == "certificates":
                    certificate = self._tagged(
                        kind, entry, self.certificate(entry), schema.Certificate
                    )
                    if certificate:
                        result.certificates.append(certificate)
                elif kind == "projects":
                    header_text = " ".join(line.text for line in entry.header)
                    if "volunteer" in section.also and vocab.VOLUNTEER_WORDS.search(header_text):
                        volunteer = self.volunteer(entry)
                        if volunteer:
                            result.volunteer.append(volunteer)
                        continue
                    project = self._tagged(kind, entry, self.project(entry), schema.Project)
                    if project:
                        result.projects.append(project)
        return result


def extract(
    document: ResumeText,
    labels: Sequence[tuple[Section_, Role]] | None = None,
    tagger: FieldTagger | None = None,
) -> schema.Extraction:
    """Extract a resume's structured content with the offline rules engine, following the
    line labeller's ``labels`` and the field ``tagger`` when given."""
    return Engine(document, labels, tagger).run()

"""Dates as printed on resumes, in English, German, French, Spanish, Italian, Portuguese and
Dutch.

``find_dates(text)`` returns every date range or single date in a string, normalised to
``YYYY-MM`` or ``YYYY``, with "Present"/"heute"/"aujourd'hui"/"actualidad" meaning current.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from careeros.text import normalise

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "jan january janv janvier januar jänner ene enero gen gennaio janeiro januari",
        "feb february fev fév févr février februar febrero febbraio fevereiro februari",
        "mar march mars märz maerz marzo mrz março marco maart mrt",
        "apr april avr avril abr abril aprile",
        "may mai mayo mag maggio maio mei",
        "jun june juin juni junio giu giugno junho",
        "jul july juil juillet juli julio lug luglio julho",
        "aug august aoû aout août agosto ago augustus",
        "sep sept september septembre septiembre set setiembre settembre setembro",
        "oct october okt oktober octobre octubre ott ottobre out outubro",
        "nov november novembre noviembre novembro",
        "dec december dez dezember déc dec décembre diciembre dic dicembre dezembro",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

SEASONS = [
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "frühling",
    "frühjahr",
    "sommer",
    "herbst",
    "printemps",
    "été",
    "automne",
    "hiver",
    "primavera",
    "verano",
    "otoño",
    "invierno",
]
PRESENT = (
    r"present|current|currently|now|today|ongoing|date|heute|jetzt|aktuell|derzeit|bis heute|"
    r"laufend|aujourd['’]hui|présent|actuel|actuellement|en cours|maintenant|"
    r"actualidad|presente|actual|hoy|la fecha|oggi|in corso|attuale|atual|atualmente|"
    r"o momento|heden|nu|huidig"
)
_MONTH_NAMES = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_SEASON_NAMES = "|".join(SEASONS)
YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
# One point in time: "Jan 2020", "January, 2020", "01/2020", "2020-01", "01.2020", "2020",
# "Summer 2019", "Jan. '20" is not supported (ambiguous).
POINT = (
    rf"(?:(?:{_MONTH_NAMES})\.?,?\s*(?:de\s+)?{YEAR}"
    rf"|(?:{_SEASON_NAMES})\s+{YEAR}"
    rf"|(?:0?[1-9]|1[0-2])\s*[/.\-]\s*{YEAR}"
    rf"|{YEAR}\s*[/.\-]\s*(?:0[1-9]|1[0-2])(?![\d])"
    rf"|{YEAR})"
)
DASH = r"(?:\s*(?:[-‐‑‒–—―~]|to|until|till|bis|au|à|a|hasta|-)\s*)"
# Not inside a word or a number; Markdown's emphasis ("_2019 – 2021_") is no part of one.
WORD_BEFORE = r"(?<![^\W_])"
WORD_AFTER = r"(?![^\W_])"
RANGE = re.compile(
    rf"{WORD_BEFORE}(?<![/.])(?P<start>{POINT})(?:{DASH}(?:(?P<end>{POINT})|(?P<present>{PRESENT}))"
    rf"|\s*[-–—]\s*(?=$|\s*[|)\]]))?{WORD_AFTER}(?!/)",
    re.IGNORECASE,
)
SINCE = re.compile(
    rf"{WORD_BEFORE}(?:since|seit|depuis|desde)\s+(?P<start>{POINT}){WORD_AFTER}(?!/)",
    re.IGNORECASE,
)
GRADUATION = re.compile(
    r"(?:expected|graduat\w*|anticipated|abschluss|diplômé|obtenido|end|until)\W*$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class DateRange:
    start: str | None
    end: str | None
    current: bool
    span: tuple[int, int]  # within the searched string

    @property
    def single(self) -> bool:
        return not self.current and self.start is not None and self.start == self.end


def parse_point(text: str) -> str | None:
    """``Jan 2020`` → ``2020-01``; ``2020`` → ``2020``; ``Summer 2019`` → ``2019``."""
    folded = normalise(text).rstrip(".")
    year_match = re.search(YEAR, folded)
    if not year_match:
        return None
    year = year_match.group()
    word = re.match(r"[a-zäöüéèûôáíóúñ]+", folded)
    if word:
        month = MONTHS.get(word.group())
        return f"{year}-{month:02d}" if month else year
    numbers = re.findall(r"\d+", folded)
    if len(numbers) == 2:
        first, second = numbers
        month_text = second if len(first) == 4 else first
        month = int(month_text)
        if 1 <= month <= 12:
            return f"{year}-{month:02d}"
    return year


def find_dates(text: str) -> list[DateRange]:
    """Every date or range in ``text``, in order."""
    return list(_find_dates(text))


@lru_cache(maxsize=4096)
def _find_dates(text: str) -> tuple[DateRange, ...]:
    found: list[DateRange] = []
    for match in SINCE.finditer(text):
        start = parse_point(match.group("start"))
        found.append(DateRange(start, None, True, match.span()))
    for match in RANGE.finditer(text):
        if any(f.span[0] <= match.start() < f.span[1] for f in found):
            continue
        start = parse_point(match.group("start"))
        if match.group("present"):
            found.append(DateRange(start, None, True, match.span()))
        elif match.group("end"):
            found.append(DateRange(start, parse_point(match.group("end")), False, match.span()))
        elif match.group().rstrip().endswith(("-", "–", "—")):
            # "2020 –" with nothing after it: an open range.
            found.append(DateRange(start, None, True, match.span()))
        else:
            found.append(DateRange(start, start, False, match.span()))
    found.sort(key=lambda d: d.span)
    return tuple(found)


@lru_cache(maxsize=4096)
def is_date_only(text: str) -> bool:
    """True if ``text`` is nothing but dates (and separators or labels like "Since")."""
    rest = text
    for found in reversed(find_dates(text)):
        rest = rest[: found.span[0]] + rest[found.span[1] :]
    return not re.sub(r"[\s|,;:()\[\]•·\-–—/]+|since|seit|depuis|desde", "", rest, flags=re.I)

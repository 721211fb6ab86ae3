"""Template filters that put CareerOS's internal values into words for people.

Section names instead of table names, where a fact came from and how sure the reader
was instead of a source code and a number, human durations instead of ISO 8601.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django import template
from django.utils.text import capfirst

from careeros.db.versioning import Source, field_label
from profiles.entities import spec_for_type

register = template.Library()

# How sure a reader's confidence (0..1) is, from the top: the first bound it reaches.
CONFIDENCE_WORDS = (
    (Decimal("0.95"), "almost certainly right"),
    (Decimal("0.80"), "likely right"),
    (Decimal("0.60"), "probably right, worth a look"),
    (Decimal("0"), "unsure, please check it"),
)

SOURCE_WORDS = {
    Source.MANUAL: "typed by you",
    Source.UPLOAD: "read from your upload",
    Source.INTERVIEW: "from your interview",
    Source.AI_ENRICHMENT: "suggested by AI",
}

# How alike two versions of a resume are (similarity 0..1), from the top.
SIMILARITY_WORDS = (
    (0.98, "The same as before"),
    (0.85, "Nearly the same"),
    (0.6, "Partly changed"),
    (0.3, "Much changed"),
    (0.0, "Very different"),
)


@register.filter
def section_name(entity_type: str) -> str:
    """ "work_experience" → "Work experience"."""
    try:
        return spec_for_type(entity_type).title
    except KeyError:
        return str(entity_type).replace("_", " ").capitalize()


@register.filter
def entry_kind(entity_type: str) -> str:
    """What one entry of a type is: "work_experience" → "Work experience", "skill" → "Skill"."""
    try:
        return capfirst(spec_for_type(entity_type).verbose_name)
    except KeyError:
        return str(entity_type).replace("_", " ").capitalize()


@register.filter
def field_name(field: str, entity_type: str) -> str:
    """A field of an entity type by its label: "start_date" → "Start date"."""
    try:
        return field_label(spec_for_type(entity_type).model, field)
    except (KeyError, LookupError):
        return str(field).replace("_", " ").capitalize()


@register.filter
def confidence_words(confidence: Any) -> str:
    if confidence is None or confidence == "":
        return ""
    value = Decimal(str(confidence))
    return next(words for bound, words in CONFIDENCE_WORDS if value >= bound)


@register.filter
def provenance(entity: Any) -> str:
    """Where a version came from and how sure its source was, as one phrase:
    "read from your upload, likely right"."""
    source = getattr(entity, "source", None)
    where = SOURCE_WORDS.get(source, "source unknown") if source else "source unknown"
    if source == Source.MANUAL:
        return where
    sure = confidence_words(getattr(entity, "source_confidence", None))
    return f"{where}, {sure}" if sure else where


@register.filter
def similarity_words(score: Any) -> str:
    if score is None:
        return ""
    value = float(score)
    return next(words for bound, words in SIMILARITY_WORDS if value >= bound)


@register.filter
def reader_name(model_used: str | None) -> str:
    """Who read a resume, without the engine's identifier."""
    if not model_used or str(model_used).startswith("rules"):
        return "CareerOS's own reader"
    return "an AI model"


_ISO_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


@register.filter
def duration_words(value: Any) -> str:
    """A timedelta, seconds or an ISO 8601 duration ("PT15M") as "15 minutes"."""
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
    elif isinstance(value, int | float):
        seconds = int(value)
    else:
        match = _ISO_DURATION.match(str(value or "").strip())
        if not match:
            return str(value or "")
        days, hours, minutes, secs = match.groups()
        seconds = (
            int(days or 0) * 86400
            + int(hours or 0) * 3600
            + int(minutes or 0) * 60
            + int(float(secs or 0))
        )
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        _plural(n, unit) for n, unit in ((days, "day"), (hours, "hour"), (minutes, "minute")) if n
    ]
    if not parts:
        return _plural(secs, "second") if secs else "a moment"
    return " ".join(parts[:2])

"""Is what a source read a plausible entity of its type? The checks that keep junk out of
the profile: a certificate named "Issued" by "Expires", a sentence read as a skill, a job
that ends before it starts. Each returns the problems a person should see; an entity with
problems waits for review instead of entering the profile by itself.

Word lists are data (``profiles/data/``), in many languages.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from careeros.text import fold

DATA = Path(__file__).resolve().parent / "data"
# More words than this is a sentence, not a name (names of degrees and certificates run
# to about ten words: "AWS Certified Solutions Architect – Associate (SAA-C03)").
MAX_NAME_WORDS = 14
# A skill's name is short; longer text is a description of work.
MAX_SKILL_WORDS = 6
_DATE_PART = re.compile(r"^[\d\W_]*$")


@cache
def _words(name: str) -> frozenset[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(
        fold(word)
        for line in lines
        if line.strip() and not line.startswith("#")
        for word in ([line] if name == "status_words.txt" else line.split())
    )


def is_status_or_date(value: Any) -> bool:
    """ "Issued", "Expires 2024", "03/2021", "Present": a label or a date, not a name."""
    text = fold(value)
    if not text:
        return False
    if text in _words("status_words.txt"):
        return True
    words = text.split()
    status, months = _words("status_words.txt"), _words("months.txt")
    return all(
        _DATE_PART.match(word) or word in months or word in status for word in words
    ) and any(_DATE_PART.match(word) or word in months for word in words)


def starts_with_label(value: Any) -> bool:
    """ "Credential ID AWS-ASA", "Issued Mar 2021 by…": a label line's start, not a name."""
    words = fold(value).split()
    status = _words("status_words.txt")
    return len(words) > 1 and any(" ".join(words[:n]) in status for n in (1, 2, 3))


def is_sentence(value: Any, *, max_words: int = MAX_NAME_WORDS) -> bool:
    """Prose rather than a name: too many words, or a clause ending in a full stop."""
    text = str(value or "").strip()
    words = text.split()
    if len(words) > max_words:
        return True
    return len(words) >= 6 and text.endswith((".", "!", "?"))


def _months(value: Any, *, end: bool) -> int | None:
    match = re.match(r"^(\d{4})(?:-(\d{2}))?", str(value or ""))
    if match is None:
        return None
    month = match.group(2)
    return int(match.group(1)) * 12 + (int(month) - 1 if month else (11 if end else 0))


def dates_ordered(fields: dict[str, Any], start: str, end: str) -> bool:
    """Whether ``start`` is not after ``end`` (True when either is missing)."""
    first, last = _months(fields.get(start), end=False), _months(fields.get(end), end=True)
    return first is None or last is None or first <= last


def _name_problems(label: str, value: Any) -> list[str]:
    if not value:
        return []
    if is_status_or_date(value):
        return [f"Its {label} “{value}” looks like a date or a label, not a name."]
    if is_sentence(value):
        return [f"Its {label} reads like a sentence, not a name."]
    return []


def work_problems(fields: dict[str, Any]) -> list[str]:
    problems = _name_problems("title", fields.get("title"))
    problems += _name_problems("employer", fields.get("company"))
    if not dates_ordered(fields, "start_date", "end_date"):
        problems.append("It ends before it starts.")
    return problems


def education_problems(fields: dict[str, Any]) -> list[str]:
    problems = _name_problems("institution", fields.get("institution"))
    if not dates_ordered(fields, "start_date", "end_date"):
        problems.append("It ends before it starts.")
    return problems


def skill_problems(fields: dict[str, Any]) -> list[str]:
    name = fields.get("name")
    if name and is_status_or_date(name):
        return [f"“{name}” looks like a date or a label, not a skill."]
    if name and is_sentence(name, max_words=MAX_SKILL_WORDS):
        return ["It reads like a description, not the name of a skill."]
    return []


def project_problems(fields: dict[str, Any]) -> list[str]:
    problems = _name_problems("name", fields.get("title"))
    if not dates_ordered(fields, "start_date", "end_date"):
        problems.append("It ends before it starts.")
    return problems


def certification_problems(fields: dict[str, Any]) -> list[str]:
    name, issuer = fields.get("name"), fields.get("issuing_organization")
    problems = _name_problems("name", name)
    # A certificate's lines are full of labels ("Credential ID …", "Issued …"): a name
    # that starts with one is probably the wrong line.
    if name and not problems and starts_with_label(name):
        problems.append(f"Its name “{name}” starts with a label, so it may be the wrong line.")
    if issuer:
        if is_status_or_date(issuer):
            problems.append(f"Its issuer “{issuer}” looks like a date or a label.")
        elif is_sentence(issuer, max_words=10):
            problems.append("Its issuer reads like a sentence, not an organisation.")
        elif name and fold(issuer) == fold(name):
            problems.append("Its name and its issuer are the same.")
    if not dates_ordered(fields, "issue_date", "expiration_date"):
        problems.append("It expires before it was issued.")
    return problems


# Fewer digits than this is not a telephone number (the shortest national numbers have
# about seven digits).
MIN_PHONE_DIGITS = 6


def basics_problems(fields: dict[str, Any]) -> list[str]:
    problems = []
    email = fields.get("email")
    if email and ("@" not in email or " " in email.strip()):
        problems.append(f"“{email}” does not look like an e-mail address.")
    phone = fields.get("phone")
    if phone and sum(char.isdigit() for char in phone) < MIN_PHONE_DIGITS:
        problems.append(f"“{phone}” does not look like a phone number.")
    return problems

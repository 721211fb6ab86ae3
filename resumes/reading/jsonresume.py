"""JSON Resume documents (https://jsonresume.org/schema) as text.

The raw text lists every scalar value of the document on its own line, after its JSON
pointer (RFC 6901) and a tab: ``/work/0/position<TAB>Data Engineer``. Evidence spans index
into it like into any resume's text, so each value's evidence is the line that names its
pointer. The extraction (``resumes.extraction.jsonresume``) reads the lines back.

Hostile documents are refused before ``json.loads`` builds anything: the size, the nesting
depth (counted over the bytes, outside strings) and the number of values are capped.
"""

from __future__ import annotations

import json
from typing import Any

from resumes.reading.model import ResumeText, UnreadableDocument, _Builder

# A JSON Resume nests four levels (basics.location.city, work[i].highlights[j]); a few more
# leave room for other tools' extensions, and anything deeper is not a resume.
MAX_DEPTH = 12
# A long resume has a few hundred values; this leaves room for a whole career.
MAX_VALUES = 20_000
MAX_BYTES = 2 * 1024 * 1024
SECTIONS = (
    "basics",
    "work",
    "volunteer",
    "education",
    "awards",
    "certificates",
    "publications",
    "skills",
    "languages",
    "interests",
    "references",
    "projects",
)


def nesting_depth(data: bytes) -> int:
    """The deepest nesting of objects and arrays, over the bytes (strings skipped), so a
    depth bomb is measured without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x7B, 0x5B):  # { [
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x7D, 0x5D):
            depth -= 1
    return deepest


def load(data: bytes) -> dict[str, Any]:
    """The document as a dict; raises ``UnreadableDocument`` with the reason."""
    if len(data) > MAX_BYTES:
        raise UnreadableDocument(
            f"This JSON file is larger than {MAX_BYTES // (1024 * 1024)} MB; "
            "a JSON Resume is a few kilobytes."
        )
    depth = nesting_depth(data)
    if depth > MAX_DEPTH:
        raise UnreadableDocument(
            f"This JSON file nests {depth} levels deep; a JSON Resume needs at most "
            f"{MAX_DEPTH}. It was refused."
        )
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise UnreadableDocument(f"This file is not valid JSON ({error}).") from error
    if not isinstance(document, dict) or not any(key in document for key in SECTIONS):
        raise UnreadableDocument(
            "This JSON file is not a JSON Resume: it has none of its sections "
            "(basics, work, education, skills, projects, certificates…)."
        )
    return document


def pointer(parts: tuple[str | int, ...]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def unpointer(text: str) -> tuple[str, ...]:
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in text.split("/")[1:])


def _leaves(value: Any, parts: tuple[str | int, ...]) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(item, (*parts, key))]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in _leaves(item, (*parts, index))]
    if value is None or isinstance(value, bool):
        return []
    return [(pointer(parts), str(value))]


def read_json_resume(data: bytes) -> ResumeText:
    document = load(data)
    leaves = _leaves(document, ())
    if len(leaves) > MAX_VALUES:
        raise UnreadableDocument(
            f"This JSON file holds {len(leaves)} values; a resume has a few hundred. "
            "It was refused."
        )
    builder = _Builder()
    for path, value in leaves:
        text = value.strip()
        if text:
            builder.add([(path, 0.0, 0.0), (text, 0.0, 0.0)])
    return builder.build("json")

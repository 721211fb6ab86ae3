"""URLs for many objects at the cost of one ``reverse()``.

A page listing fifty entities would otherwise resolve the same URL pattern fifty times
(about as costly as the rest of the line's rendering); the pattern is reversed once with a
marker in the varying place, and each object's URL is the marker replaced.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.urls import reverse

# Stands in for the varying argument: a UUID no object has, valid for every converter that
# takes a UUID or a string.
_MARKER = uuid.UUID("00000000-0000-4000-8000-000000000000")


def url_for_each(name: str, *args: Any) -> Callable[[Any], str]:
    """``reverse(name, args=[*args, value])`` as a function of ``value``, reversed once.

    For values a URL carries as they are (UUIDs, numbers): they are not quoted.
    """
    head, tail = reverse(name, args=[*args, _MARKER]).split(str(_MARKER))
    return lambda value: f"{head}{value}{tail}"

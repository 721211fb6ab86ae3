"""The header's main navigation, one list for every page (``settings.NAVIGATION``).

Each entry names a URL and, optionally, a callable (by dotted path, so this module imports
no app) that returns a count shown beside the label, e.g. the suggestions waiting for
review. An app adds its page by adding an entry to the setting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool
    count: int | None


@cache
def _counter(path: str) -> Callable[[Any], int]:
    counter: Callable[[Any], int] = import_string(path)
    return counter


@cache
def _url(name: str, prefix: str) -> str:
    """The entry's URL, reversed once a process for each script prefix (it is the same on
    every request, and the header shows it on every page)."""
    return reverse(name)


def _is_current(request: HttpRequest, url: str) -> bool:
    # The root matches itself only; every other entry matches its whole subtree.
    return request.path == url if url == "/" else request.path.startswith(url)


def navigation(request: HttpRequest) -> dict[str, list[NavItem]]:
    """Template context: ``navigation``, empty for signed-out visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = []
    for entry in settings.NAVIGATION:
        url = _url(entry["url"], get_script_prefix())
        count_path = entry.get("count")
        count = _counter(count_path)(user) if count_path else None
        items.append(NavItem(entry["label"], url, _is_current(request, url), count))
    return {"navigation": items}

"""(being written)"""

from __future__ import annotations

from typing import Any


def families(base_style: Any, sidebar_style: Any) -> list[Any]:
    return []

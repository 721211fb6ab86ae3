"""The ``rules`` provider: offline, deterministic, no key needed."""

from __future__ import annotations

from resumes.extraction.rules.engine import extract

__all__ = ["extract"]

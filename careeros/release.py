"""What rendered markup kept in the cache is keyed by, so that a deploy never serves the
markup of the release before it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

# What a page's markup is made from: templates and the code that fills them.
SUFFIXES = (".html", ".py")
SKIPPED = frozenset({".venv", ".data", ".git", "node_modules", "__pycache__", "tests", "bench"})


def source_digest(root: Path) -> str:
    """A short digest of the templates and Python files under ``root`` (their paths and
    contents): it changes with any release that changes them."""
    digest = hashlib.blake2b(digest_size=8)
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(f for f in folders if f not in SKIPPED and not f.startswith("."))
        for name in sorted(files):
            if name.endswith(SUFFIXES):
                path = Path(folder, name)
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()

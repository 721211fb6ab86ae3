"""The release that cached markup is keyed by, when the deploy names none."""

from __future__ import annotations

from pathlib import Path

from careeros.release import source_digest


def test_the_digest_changes_with_a_template_or_code_and_nothing_else(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "card.html").write_text("<article>{{ card }}</article>")
    (tmp_path / "app.py").write_text("CARD = 1\n")
    (tmp_path / ".venv" / "lib").mkdir(parents=True)
    (tmp_path / "__pycache__").mkdir()
    first = source_digest(tmp_path)
    assert source_digest(tmp_path) == first
    # Installed packages, caches, data and stylesheets leave it as it is.
    (tmp_path / ".venv" / "lib" / "django.py").write_text("VERSION = 6\n")
    (tmp_path / "__pycache__" / "app.pyc.html").write_text("x")
    (tmp_path / "style.css").write_text("article { color: red }")
    assert source_digest(tmp_path) == first
    (tmp_path / "templates" / "card.html").write_text("<article class=card>{{ card }}</article>")
    second = source_digest(tmp_path)
    assert second != first
    (tmp_path / "app.py").write_text("CARD = 2\n")
    assert source_digest(tmp_path) not in (first, second)

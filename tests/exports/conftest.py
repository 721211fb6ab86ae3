"""The published JSON Resume schema and a published theme, fetched once from the npm
registry into .data/npm/ (skipped, with the reason, where npm or node is missing)."""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.resumes.conftest import media_root  # noqa: F401 - a fixture these tests use
from tests.resumes.test_s3_storage import s3_bucket  # noqa: F401 - a fixture these tests use

CACHE = ROOT / ".data" / "npm"
SCHEMA_PACKAGE = "@jsonresume/schema@1.3.1"
THEME_PACKAGE = "jsonresume-theme-even@0.26.1"


@pytest.fixture(scope="session")
def jsonresume_schema() -> dict[str, Any]:
    """schema.json of the @jsonresume/schema npm package."""
    target = CACHE / "jsonresume-schema-1.3.1" / "package" / "schema.json"
    if not target.exists():
        if shutil.which("npm") is None:
            pytest.skip("npm is not installed, so the JSON Resume schema cannot be fetched")
        folder = target.parent.parent
        folder.mkdir(parents=True, exist_ok=True)
        packed = subprocess.run(
            ["npm", "pack", SCHEMA_PACKAGE, "--pack-destination", str(folder), "--silent"],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        if packed.returncode != 0:
            pytest.skip(f"npm pack {SCHEMA_PACKAGE} failed: {packed.stderr.strip()[:200]}")
        with tarfile.open(folder / packed.stdout.strip().splitlines()[-1]) as archive:
            archive.extractall(folder, filter="data")
    schema: dict[str, Any] = json.loads(target.read_text())
    return schema


@pytest.fixture(scope="session")
def jsonresume_theme() -> Path:
    """The ES module entry of a published JSON Resume theme, installed with npm."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed to render a JSON Resume theme")
    prefix = CACHE / "theme-even-0.26.1"
    entry = prefix / "node_modules" / "jsonresume-theme-even" / "dist" / "index.js"
    if not entry.exists():
        prefix.mkdir(parents=True, exist_ok=True)
        installed = subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--ignore-scripts",
                "--prefix",
                str(prefix),
                THEME_PACKAGE,
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if installed.returncode != 0 or not entry.exists():
            pytest.skip(f"npm install {THEME_PACKAGE} failed: {installed.stderr.strip()[:200]}")
    return entry


def render_with_theme(theme: Path, resume: dict[str, Any], tmp_path: Path) -> str:
    """HTML of ``resume`` as the theme renders it (node)."""
    file = tmp_path / "resume.json"
    file.write_text(json.dumps(resume))
    rendered = subprocess.run(
        ["node", str(Path(__file__).with_name("render_theme.mjs")), str(theme), str(file)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return rendered.stdout


@pytest.fixture
def vault_keys(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-key vault ring, so transcripts can be stored (here and in a worker started
    after it)."""
    import base64
    import os

    entry = f"k1:{base64.b64encode(os.urandom(32)).decode()}"
    settings.ENCRYPTION_KEYS = [entry]
    monkeypatch.setenv("ENCRYPTION_KEYS", entry)


def owned_rows(user_id: Any) -> dict[str, int]:
    """Rows left anywhere for ``user_id``: every table with a user_id column, the user and
    profile rows, and the resume tables owned through streams (read as the system)."""

    from careeros.db.rls import system_context

    counts: dict[str, int] = {}
    with system_context() as system, system.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND column_name = 'user_id' ORDER BY table_name"
        )
        tables = [row[0] for row in cursor.fetchall()]
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table} WHERE user_id = %s", [user_id])  # noqa: S608
            counts[table] = cursor.fetchone()[0]
        for table in ("users", "profiles"):
            cursor.execute(f"SELECT count(*) FROM {table} WHERE id = %s", [user_id])  # noqa: S608
            counts[table] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM resume_versions v LEFT JOIN resume_streams s "
            "ON s.id = v.stream_id WHERE s.id IS NULL OR s.user_id = %s",
            [user_id],
        )
        counts["resume_versions"] = cursor.fetchone()[0]
        for table in ("parsed_resume_entities", "resume_diffs"):
            cursor.execute(
                f"SELECT count(*) FROM {table} t LEFT JOIN resume_versions v "  # noqa: S608
                "ON v.id = t.resume_version_id WHERE v.id IS NULL"
            )
            counts[f"{table} (orphaned)"] = cursor.fetchone()[0]
    return counts

"""One module imports cryptography; the vault, part of careeros, imports no app."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

APPS = {"profiles", "resumes", "merges", "enrichment", "interviews"}
SKIPPED = {"node_modules"}


def python_files() -> list[Path]:
    """The checkout's Python files, without descending into the virtualenv or data."""
    files = [path for path in ROOT.glob("*.py")]
    for top in ROOT.iterdir():
        if top.is_dir() and top.name not in SKIPPED and not top.name.startswith("."):
            files += top.rglob("*.py")
    return files


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_only_the_vaults_crypto_module_imports_cryptography() -> None:
    importers = [
        str(path.relative_to(ROOT))
        for path in python_files()
        if "cryptography" in imported_roots(path)
    ]
    assert importers == ["careeros/vault/crypto.py"]


def test_the_vault_imports_no_app() -> None:
    vault = ROOT / "careeros" / "vault"
    offenders = {
        str(path.relative_to(ROOT)): imported_roots(path) & APPS
        for path in vault.rglob("*.py")
        if imported_roots(path) & APPS
    }
    assert offenders == {}

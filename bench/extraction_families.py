"""The offline extractor's field F1 per template family and producer (synthetic corpus) and per
source (the shared corpora).

    .venv/bin/python bench/extraction_families.py [--synth .data/synth] [--corpus DIR ...]
        [--no-corpus] [--provider rules|learned] [--save results.json]

Every document ``<id>.<pdf|docx|txt|md>`` beside a ground truth ``<id>.json`` is read with
``read_document`` and extracted by the ``rules`` provider (or ``--provider learned``), then
scored with ``resumes.extraction.evaluation``. Synthetic documents are grouped by their
``_meta.family`` and ``_meta.producer`` (and by language); the shared corpora by the source
repository of their manifest.
``../shared/corpus2`` is held out: it is reported, never tuned on. A document the reader
refuses scores as an empty extraction and is counted under "refused".
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from resumes.extraction.evaluation import SECTIONS, Score, score_document, total  # noqa: E402
from resumes.extraction.providers import Provider, get_provider  # noqa: E402
from resumes.reading import UnreadableDocument, read_document  # noqa: E402

KINDS = ("pdf", "docx", "txt", "md")
SHARED = ROOT.parent / "shared"


def documents(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix[1:] in KINDS and p.with_suffix(".json").is_file() and ".labels" not in p.name
    )


def sources(folder: Path) -> dict[str, str]:
    """Document id → source repository, from the corpus manifest."""
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        return {}
    items = json.loads(manifest.read_text()).get("items", [])
    return {item["id"]: item.get("repo", "?") for item in items}


class Group:
    def __init__(self) -> None:
        self.documents = 0
        self.refused = 0
        self.sections: dict[str, Score] = defaultdict(Score)

    def add(self, scores: dict[str, Score], refused: bool) -> None:
        self.documents += 1
        self.refused += refused
        for name, score in scores.items():
            self.sections[name].add(score)

    @property
    def overall(self) -> Score:
        return total(self.sections.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "refused": self.refused,
            "overall": round(self.overall.f1, 3),
            **{
                name: round(self.sections[name].f1, 3)
                for name in SECTIONS
                if self.sections[name].counted
            },
        }


def score_path(path: Path, provider: Provider) -> tuple[dict[str, Score], bool, str]:
    gold = json.loads(path.with_suffix(".json").read_text())
    try:
        text = read_document(path.read_bytes(), path.suffix[1:])
    except UnreadableDocument as error:
        return score_document(gold, {}), True, error.message
    predicted = provider.extract(text).to_json_resume()
    return score_document(gold, predicted), False, ""


def table(title: str, groups: dict[str, Group]) -> None:
    columns = ("overall", *SECTIONS)
    print(f"\n{title}")
    header = f"{'':34}{'docs':>5}{'refused':>8}" + "".join(f"{c[:7]:>8}" for c in columns)
    print(header)
    for name in sorted(groups):
        row = groups[name].as_dict()
        cells = "".join(f"{row[c]:8.3f}" if c in row else f"{'-':>8}" for c in columns)
        print(f"{name[:33]:34}{row['documents']:5d}{row['refused']:8d}{cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--synth", default=str(ROOT / ".data" / "synth"))
    parser.add_argument(
        "--corpus",
        action="append",
        help="a shared corpus folder (default ../shared/corpus and ../shared/corpus2)",
    )
    parser.add_argument("--no-corpus", action="store_true", help="the synthetic corpus only")
    parser.add_argument("--no-synth", action="store_true", help="the shared corpora only")
    parser.add_argument("--save", help="write every figure to this JSON file")
    parser.add_argument(
        "--provider", choices=("rules", "learned"), default="rules", help="the extractor (rules)"
    )
    parser.add_argument("--verbose", action="store_true", help="one line per document")
    parser.add_argument(
        "--languages", help="synthetic documents of these languages only (comma-separated)"
    )
    options = parser.parse_args()
    provider = get_provider(options.provider)
    results: dict[str, Any] = {}

    synth = Path(options.synth)
    if not options.no_synth and synth.is_dir():
        by_family: dict[str, Group] = defaultdict(Group)
        by_producer: dict[str, Group] = defaultdict(Group)
        by_language: dict[str, Group] = defaultdict(Group)
        everything = Group()
        for path in documents(synth):
            meta = json.loads(path.with_suffix(".json").read_text()).get("_meta", {})
            labels = path.with_name(path.stem + ".labels.json")
            language = (
                json.loads(labels.read_text()).get("language", "?") if labels.is_file() else "?"
            )
            if options.languages and language not in options.languages.split(","):
                continue
            scores, refused, why = score_path(path, provider)
            by_family[meta.get("family", "?")].add(scores, refused)
            by_producer[meta.get("producer", "?")].add(scores, refused)
            by_language[language].add(scores, refused)
            everything.add(scores, refused)
            if options.verbose:
                print(f"{path.name:40}{total(scores.values()).f1:7.3f} {why}")
        table(f"synthetic corpus {synth} by family", by_family)
        table("synthetic corpus by producer", by_producer)
        table("synthetic corpus by language", by_language)
        table("synthetic corpus", {"all": everything})
        families = [g.overall.f1 for g in by_family.values()]
        if families:
            print(f"mean family F1 {sum(families) / len(families):.3f}, lowest {min(families):.3f}")
        results["synth"] = {
            "families": {k: v.as_dict() for k, v in by_family.items()},
            "producers": {k: v.as_dict() for k, v in by_producer.items()},
            "languages": {k: v.as_dict() for k, v in by_language.items()},
            "all": everything.as_dict(),
        }

    folders = [Path(f) for f in options.corpus or (SHARED / "corpus", SHARED / "corpus2")]
    for folder in [] if options.no_corpus else folders:
        if not folder.is_dir():
            print(f"\n{folder}: absent, skipped")
            continue
        origin = sources(folder)
        by_source: dict[str, Group] = defaultdict(Group)
        everything = Group()
        for path in documents(folder):
            scores, refused, why = score_path(path, provider)
            by_source[origin.get(path.stem, path.stem)].add(scores, refused)
            everything.add(scores, refused)
            if options.verbose:
                print(f"{path.name:40}{total(scores.values()).f1:7.3f} {why}")
        table(f"{folder.name} by source", by_source)
        table(folder.name, {"all": everything})
        results[folder.name] = {
            "sources": {k: v.as_dict() for k, v in by_source.items()},
            "all": everything.as_dict(),
        }

    if options.save:
        Path(options.save).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

"""Score the extraction of every document in a folder against its ``<name>.json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from resumes.extraction import PROVIDERS, get_provider
from resumes.extraction.evaluation import SECTIONS, Score, score_document, total
from resumes.reading import KINDS, UnreadableDocument, read_document


class Command(BaseCommand):
    help = "Precision/recall/F1 per section of the extraction of DIR's documents."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--provider", choices=PROVIDERS, default=None)
        parser.add_argument("--per-document", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory.")
        provider = get_provider(options["provider"])
        sections: dict[str, Score] = {name: Score() for name in SECTIONS}
        documents = sorted(
            p
            for p in directory.iterdir()
            # A .json is the ground truth of the document of the same name, not a document.
            if p.suffix.lstrip(".").lower() in KINDS
            and p.suffix.lower() != ".json"
            and p.with_suffix(".json").is_file()
        )
        if not documents:
            raise CommandError(f"No documents with ground truth in {directory}.")
        for path in documents:
            gold = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            try:
                text = read_document(path.read_bytes(), path.suffix)
                predicted = provider.extract(text).to_json_resume()
            except UnreadableDocument as error:
                self.stderr.write(f"{path.name}: {error.message}")
                predicted = {}
            scores = score_document(gold, predicted)
            for name, score in scores.items():
                sections[name].add(score)
            if options["per_document"]:
                overall = total(scores.values())
                detail = "  ".join(
                    f"{n} {s.f1:.2f}" for n, s in scores.items() if s.counted and s.f1 < 1
                )
                self.stdout.write(f"{path.name:45} F1 {overall.f1:.3f}  {detail}")
        self.stdout.write(f"{len(documents)} documents, provider {provider.model_label}")
        self.stdout.write(f"{'section':14}{'P':>8}{'R':>8}{'F1':>8}{'TP':>6}{'FP':>6}{'FN':>6}")
        for name in SECTIONS:
            s = sections[name]
            if not s.counted:
                continue
            self.stdout.write(
                f"{name:14}{s.precision:8.3f}{s.recall:8.3f}{s.f1:8.3f}{s.tp:6}{s.fp:6}{s.fn:6}"
            )
        self.stdout.write(f"overall F1: {total(sections.values()).f1:.3f}")

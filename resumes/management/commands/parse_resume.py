"""Print a resume file's extraction as JSON Resume, without touching the database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from resumes.extraction import PROVIDERS, ProviderError, get_provider
from resumes.reading import UnreadableDocument, read_document


class Command(BaseCommand):
    help = "Extract a resume (PDF, DOCX, TXT) and print it as JSON Resume."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--provider", choices=PROVIDERS, default=None)
        parser.add_argument(
            "--evidence", action="store_true", help="Print the full result with evidence spans."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            document = read_document(path.read_bytes(), path.suffix.lstrip("."))
            provider = get_provider(options["provider"])
            extraction = provider.extract(document)
        except UnreadableDocument as error:
            raise CommandError(error.message) from error
        except ProviderError as error:
            raise CommandError(str(error)) from error
        if options["evidence"]:
            output: dict[str, Any] = extraction.model_dump(mode="json")
            output["_model"] = provider.model_label
        else:
            output = extraction.to_json_resume()
        self.stdout.write(json.dumps(output, indent=2, ensure_ascii=False))

"""Import a resume file for a user through the processing pipeline and print the outcome."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from careeros.db.rls import system_context, user_context
from profiles.models import User
from resumes import services
from resumes.models import ResumeVersion, UploadSource


class Command(BaseCommand):
    help = (
        "Upload PATH as the next version of a stream of the user with e-mail EMAIL and run "
        "the processing pipeline (upload, parse, enrich, complete), then print the outcome."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", required=True, help="the owner's e-mail address")
        parser.add_argument("--stream", default="Imported", help="stream name (created if new)")
        parser.add_argument(
            "--worker",
            action="store_true",
            help="hand the stages to the Celery workers and wait, instead of running them here",
        )
        parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        size = path.stat().st_size
        if size > settings.RESUME_MAX_UPLOAD_BYTES:
            raise CommandError(
                f"{path} is larger than {settings.RESUME_MAX_UPLOAD_BYTES // 2**20} MB."
            )
        try:
            # An operator's command: the address is looked up through the system login.
            with system_context():
                user = User.objects.get(email__iexact=options["user"].strip())
        except User.DoesNotExist:
            raise CommandError(f"No user with the e-mail address {options['user']}.") from None

        with user_context(user.pk), path.open("rb") as content:
            stream = services.resume_stream_create(user=user, name=options["stream"])
            version = services.resume_version_upload(
                user=user,
                stream=stream,
                filename=path.name,
                content=content,
                size=size,
                source=UploadSource.CLI,
                enqueue=options["worker"],
            )
        self.stdout.write(f"Uploaded {path.name} as {stream.name} v{version.version_number}.")
        if options["worker"]:
            version = self._wait(user, version, options["timeout"])
        else:
            services.resume_pipeline_run_inline(version_id=version.pk, user_id=user.pk)
        self._report(user, version)

    def _wait(self, user: User, version: ResumeVersion, timeout: float) -> ResumeVersion:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with user_context(user.pk):
                version = ResumeVersion.objects.get(pk=version.pk)
            if version.is_terminal:
                return version
            time.sleep(0.2)
        raise CommandError(
            f"Still {version.processing_status} at {version.current_stage} after {timeout:.0f} s; "
            "is a worker running?"
        )

    def _report(self, user: User, version: ResumeVersion) -> None:
        with user_context(user.pk):
            version = ResumeVersion.objects.get(pk=version.pk)
            counts = Counter(version.parsed_entities.values_list("entity_type", flat=True))
            diffs = list(version.diffs.order_by("comparison_type"))
        if not version.is_completed:
            raise CommandError(f"Failed at {version.current_stage}: {version.error}")
        self.stdout.write(self.style.SUCCESS(f"Completed: version {version.pk}"))
        for entity_type, count in sorted(counts.items()):
            self.stdout.write(f"  {entity_type}: {count}")
        for diff in diffs:
            document = diff.document
            self.stdout.write(
                f"  {diff.get_comparison_type_display()}: similarity {diff.similarity_score}, "
                f"{len(document.added)} added, {len(document.removed)} removed, "
                f"{len(document.changed)} changed"
            )

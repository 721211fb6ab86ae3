"""The complete stage (merge proposals) of an upload into a large profile: SQL statements
and time, independent of the profile's size and history.

A fresh user gets a profile of ``--entities`` entities (spread over the five types, each
with ``--history`` versions); then one resume is uploaded and its stages run inline. The
complete stage is measured alone: statements issued and wall time (goal for a two-page
resume into 2,000 entities: ≤ 40 statements, ≤ 300 ms), and again for a profile a tenth
the size, so the growth shows.

Usage: ``.venv/bin/python bench/merge_scale.py [--resume PATH] [--entities 2000]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careeros.settings")

import django  # noqa: E402

from careeros.embedded import export_environment  # noqa: E402

export_environment()
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from careeros.db.rls import user_context  # noqa: E402
from careeros.db.roles import owner_connection  # noqa: E402
from careeros.db.versioning import Operation, Source, create_versions, write_version  # noqa: E402
from profiles.entities import ENTITY_SPECS  # noqa: E402
from profiles.models import User  # noqa: E402
from profiles.services import user_sign_up  # noqa: E402
from resumes import services  # noqa: E402
from resumes.schemas import Stage  # noqa: E402

CORPUS_RESUME = ROOT.parent / "shared" / "corpus" / "dev08_resumegenerator_pdfprint.pdf"
OWN_RESUME = ROOT / "tests" / "merges" / "resume_a_updated.txt"
ROUNDS = 3


def fields_for(slug: str, n: int) -> dict[str, Any]:
    return {
        "work": {"title": f"Engineer {n}", "company": f"Company {n} Ltd", "start_date": "2015"},
        "education": {"institution": f"University {n}", "degree": "BSc"},
        "skills": {"name": f"Skill{n}"},
        "projects": {"title": f"Project {n}"},
        "certifications": {"name": f"Certificate {n}", "issuing_organization": f"Issuer {n}"},
    }[slug]


def profile_of(size: int, history: int) -> User:
    user = user_sign_up(
        email=f"scale-{uuid.uuid4().hex[:8]}@example.com", password=uuid.uuid4().hex
    )
    with user_context(user.pk):
        for spec in ENTITY_SPECS:
            count = size // len(ENTITY_SPECS)
            created = create_versions(
                spec.model,
                user=user,
                entities=[fields_for(spec.slug, n) for n in range(count)],
                source=Source.MANUAL,
                confidences=[Decimal("1.00")] * count,
                reason="bench",
                provenances=[None] * count,
            )
            for entity in created:
                for _ in range(history - 1):
                    write_version(
                        spec.model,
                        user=user,
                        operation=Operation.REVISE,
                        logical_entity_id=entity.logical_entity_id,
                        changes={},
                    )
    return user


def complete_stage(user: User, resume: Path) -> tuple[int, float]:
    with user_context(user.pk):
        stream = services.resume_stream_create(user=user, name=f"Bench {uuid.uuid4().hex[:6]}")
        with resume.open("rb") as handle:
            version = services.resume_version_upload(
                user=user,
                stream=stream,
                filename=resume.name,
                content=handle,
                size=resume.stat().st_size,
                enqueue=False,
            )
    for stage in (Stage.UPLOAD, Stage.PARSE, Stage.ENRICH):
        services.resume_stage_run(
            version_id=version.pk, stage=stage, user_id=user.pk, enqueue_next=False
        )
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        outcome = services.resume_stage_run(
            version_id=version.pk, stage=Stage.COMPLETE, user_id=user.pk, enqueue_next=False
        )
        elapsed = time.perf_counter() - started
    assert outcome == "completed", outcome
    return len(queries.captured_queries), elapsed * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--resume", type=Path, default=None)
    parser.add_argument("--entities", type=int, default=2000)
    parser.add_argument("--history", type=int, default=3)
    args = parser.parse_args()
    resume = args.resume or (CORPUS_RESUME if CORPUS_RESUME.exists() else OWN_RESUME)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tempfile.mkdtemp(prefix="careeros-bench-media-")},
        },
    }
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "careeros_bench_scale"
    with owner_connection():
        connection.creation.create_test_db(verbosity=0, keepdb=False, serialize=False)
        # The system login uses the same database (as the tests' mirror does).
        connections[settings.SYSTEM_DB_ALIAS].creation.set_as_test_mirror(connection.settings_dict)
    try:
        print(f"resume: {resume.name}; {args.history} versions per profile entity")
        for size in (args.entities // 10, args.entities):
            user = profile_of(size, args.history)
            runs = [complete_stage(user, resume) for _ in range(ROUNDS)]
            statements = max(n for n, _ in runs)
            print(
                f"profile of {size:>5} entities: complete stage {statements} statements, "
                f"median {statistics.median(ms for _, ms in runs):.0f} ms over {ROUNDS} uploads "
                f"(goal at 2,000: ≤ 40 statements, ≤ 300 ms)"
            )
    finally:
        with owner_connection():
            connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


if __name__ == "__main__":
    main()

"""Duplicates created and facts lost when one person's resumes are uploaded one after another.

The corpus holds the same person in several layouts (Reactive Resume's six templates,
resume-generator's PDF and plain text, Resume Matcher's two templates). For each such
group, in a fresh database: a new user uploads the first document, then each of the
others, accepting every suggestion after each upload. Then it counts:

- duplicate entities: current profile entities of one type with the same normalised key
  (company and title, institution, skill, project or certificate name) beyond the first;
- facts lost: values that the engine extracted from some upload (job titles, companies,
  dates, every line of a job's description, institutions, degrees, skills, project and
  certificate names) that no current profile entity holds at the end: what merging
  dropped. (Extraction accuracy itself is ``manage.py evaluate_extraction``'s business.)

Usage: ``.venv/bin/python bench/merge_corpus.py [--corpus ../shared/corpus]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from io import StringIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careeros.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from careeros.db.rls import user_context  # noqa: E402
from careeros.db.roles import owner_connection  # noqa: E402
from careeros.text import fold  # noqa: E402
from merges.models import MergeDecision  # noqa: E402
from merges.services import merge_decisions_accept_all  # noqa: E402
from profiles.entities import ENTITY_SPECS  # noqa: E402
from profiles.matching import skill_key  # noqa: E402
from profiles.models import User  # noqa: E402
from profiles.services import user_sign_up  # noqa: E402
from resumes.models import ParsedResumeEntity  # noqa: E402

GROUPS = {
    "reactive-resume": [
        f"dev0{n}_reactiveresume_{name}"
        for n, name in [
            (1, "azurill"),
            (2, "ditto"),
            (3, "gengar"),
            (4, "kakuna"),
            (5, "nosepass"),
            (6, "pikachu"),
        ]
    ],
    "resume-generator": ["dev08_resumegenerator_pdfprint", "dev09_resumegenerator_plaintext"],
    "resume-matcher": [
        "dev10_resumematcher_single_column",
        "dev11_resumematcher_modern_two_column",
    ],
}
KEYS = {
    "work": lambda e: (fold(e.company), fold(e.title)),
    "education": lambda e: (fold(e.institution), fold(e.degree)),
    "skills": lambda e: skill_key(e.name),
    "projects": lambda e: fold(e.title),
    "certifications": lambda e: fold(e.name),
}
# The values of a parsed entity that must survive in the profile, per entity type.
FACT_FIELDS = {
    "work_experience": ("title", "company", "start_date", "end_date", "description"),
    "education": ("institution", "degree", "field_of_study", "start_date", "end_date"),
    "skill": ("name",),
    "project": ("title", "url", "description", "achievements"),
    "certification": ("name", "issuing_organization", "issue_date"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    media = tempfile.mkdtemp(prefix="careeros-bench-media-")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media},
        },
    }
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = "careeros_bench_merge"
    with owner_connection():
        connection.creation.create_test_db(verbosity=0, keepdb=False, serialize=False)
        # The system login uses the same database (as the tests' mirror does).
        connections[settings.SYSTEM_DB_ALIAS].creation.set_as_test_mirror(connection.settings_dict)
    try:
        totals: Counter[str] = Counter()
        for group, names in GROUPS.items():
            figures = measure(group, [find(args.corpus, name) for name in names])
            totals.update(figures)
        print(
            f"ALL: uploads {totals['uploads']}, duplicate entities {totals['duplicates']}, "
            f"facts lost by merging {totals['lost']} of {totals['facts']}, "
            f"suggestions reviewed {totals['reviewed']}"
        )
    finally:
        with owner_connection():
            connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)


def find(corpus: Path, name: str) -> Path:
    for suffix in (".pdf", ".docx", ".txt"):
        if (corpus / f"{name}{suffix}").exists():
            return corpus / f"{name}{suffix}"
    raise FileNotFoundError(name)


def measure(group: str, paths: list[Path]) -> Counter[str]:
    user = user_sign_up(email=f"{group}@bench.example", password="bench-password-1234")  # noqa: S106
    reviewed = 0
    started = time.perf_counter()
    for path in paths:
        call_command("import_resume", str(path), user=user.email, stream=group, stdout=StringIO())
        with user_context(user.pk):
            reviewed += merge_decisions_accept_all(user=user)
    elapsed = time.perf_counter() - started
    with user_context(user.pk):
        profile = {
            spec.slug: list(spec.model.objects.for_user(user).current()) for spec in ENTITY_SPECS
        }
        duplicates = {
            kind: sum(n - 1 for n in Counter(KEYS[kind](e) for e in rows).values())
            for kind, rows in profile.items()
        }
        facts, lost = extracted_facts(user), []
        held = profile_values(user)
        for entity_type, field, value in sorted(facts):
            if value not in held[entity_type, field]:
                lost.append((entity_type, field, value))
        decided = Counter(
            MergeDecision.objects.for_user(user).values_list("decision_type", flat=True)
        )
    counts = ", ".join(f"{kind} {len(rows)}" for kind, rows in profile.items())
    print(f"{group}: {len(paths)} uploads in {elapsed:.1f} s; profile: {counts}")
    print(f"  duplicate entities: {sum(duplicates.values())} {dict(duplicates)}")
    print(f"  facts extracted: {len(facts)}; lost by merging: {len(lost)}")
    for fact in lost[:20]:
        print(f"    lost: {fact}")
    print(f"  decisions: {dict(decided)}; suggestions accepted after review: {reviewed}")
    return Counter(
        uploads=len(paths),
        duplicates=sum(duplicates.values()),
        facts=len(facts),
        lost=len(lost),
        reviewed=reviewed,
    )


def extracted_facts(user: User) -> set[tuple[str, str, str]]:
    facts = set()
    for entity in ParsedResumeEntity.objects.filter(user=user):
        fields = entity.data.fields()
        for field in FACT_FIELDS[entity.entity_type]:
            for value in pieces(fields.get(field)):
                facts.add((entity.entity_type, field, normalise(field, value)))
    return facts


def profile_values(user: User) -> dict[tuple[str, str], set[str]]:
    held: dict[tuple[str, str], set[str]] = defaultdict(set)
    for spec in ENTITY_SPECS:
        table = spec.entity_type
        for row in spec.model.objects.for_user(user).current():
            for field in FACT_FIELDS[table]:
                for value in pieces(getattr(row, field)):
                    held[table, field].add(normalise(field, value))
                    if field.endswith("_date"):
                        # A month in the profile holds the year a resume printed alone.
                        held[table, field].add(str(value)[:4])
    return held


def pieces(value: Any) -> list[Any]:
    """A value as the facts it holds: a description's lines, a list's items."""
    if not value:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, str) and "\n" in value:
        return [line for line in value.splitlines() if fold(line)]
    return [value]


def normalise(field: str, value: Any) -> str:
    if field.endswith("_date"):
        return str(value)
    return skill_key(value) if field == "name" else fold(value)


if __name__ == "__main__":
    main()

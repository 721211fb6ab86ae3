"""Export times for a profile of 200 entities (and other sizes): JSON Resume, DOCX, PDF.

Renders a made-up profile (``tests/exports/sample.py``: the five entity types in turn,
every field filled) in each format several times and prints the median time and the size,
then how well CareerOS's offline reader reads the DOCX and PDF back (F1 with the
extraction scorer) and how long reading the JSON Resume back takes. No database: the
exports are pure functions of a profile snapshot; reading the snapshot is one query per
entity type.

Usage: ``.venv/bin/python bench/export_times.py [--entities 200] [--runs 5]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careeros.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from exports.jsonresume import json_resume  # noqa: E402
from exports.services import render  # noqa: E402
from resumes.extraction import get_provider, jsonresume  # noqa: E402
from resumes.extraction.evaluation import score_document, total  # noqa: E402
from resumes.reading import read_document  # noqa: E402
from tests.exports.sample import sample_snapshot  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, nargs="+", default=[20, 200])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for count in args.entities:
        snapshot = sample_snapshot(count)
        print(f"profile of {count} entities")
        outputs: dict[str, bytes] = {}
        for slug in ("jsonresume", "docx", "pdf"):
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                outputs[slug] = render(snapshot, slug)
                times.append(time.perf_counter() - started)
            print(
                f"  export {slug:<10} median {statistics.median(times) * 1000:8.1f} ms  "
                f"max {max(times) * 1000:8.1f} ms  {len(outputs[slug]) / 1024:8.1f} KiB"
            )
        gold = json_resume(snapshot)
        for slug in ("docx", "pdf"):
            started = time.perf_counter()
            extraction = get_provider("rules").extract(read_document(outputs[slug], slug))
            elapsed = time.perf_counter() - started
            f1 = total(score_document(gold, extraction.to_json_resume()).values()).f1
            print(f"  read back {slug:<7} F1 {f1:.3f}  in {elapsed * 1000:8.1f} ms")
        started = time.perf_counter()
        extraction = jsonresume.extract(read_document(outputs["jsonresume"], "json"))
        elapsed = time.perf_counter() - started
        read = sum(
            len(getattr(extraction, s))
            for s in ("work", "education", "skills", "projects", "certificates")
        )
        print(f"  read back jsonresume {read} entries in {elapsed * 1000:8.1f} ms")
        print(f"  ({len(json.dumps(gold))} bytes of JSON)")


if __name__ == "__main__":
    main()

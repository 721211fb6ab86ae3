"""``python -m resumes.extraction.synth [--count N] [--seed S] [--out DIR] [--only NAME ...]``:
regenerate the synthetic corpus (see README, "Synthetic corpus")."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from resumes.extraction.synth.families import available, families, generate

DEFAULT_OUT = Path(".data") / "synth"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m resumes.extraction.synth", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--count", type=int, default=4, help="documents per family (4)")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--only", nargs="*", help="family or producer names")
    parser.add_argument("--list", action="store_true", help="list the families and stop")
    parser.add_argument("--keep", action="store_true", help="keep what is in --out already")
    options = parser.parse_args(argv)
    if options.list:
        for family in families():
            state = "" if available(family) else f"  (needs {family.needs})"
            print(f"{family.name:28}{family.producer:14}{family.ext}{state}")
        return 0
    if options.out.exists() and not options.keep:
        shutil.rmtree(options.out)
    written = generate(options.out, count=options.count, seed=options.seed, only=options.only)
    print(f"{len(written)} documents in {options.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

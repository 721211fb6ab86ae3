"""``python -m resumes.extraction.learned [--synth DIR] [--count N] [--seed S] [--out DIR]``:
regenerate the synthetic corpus and train the line labeller and the field tagger on it
(README, "Learned line labeller"). ``--keep`` trains on the corpus already in ``--synth``;
``--only`` limits the families or producers (the CI smoke run uses the ones the virtualenv
can render)."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from resumes.extraction.learned.fields import FIELDS, FieldTagger
from resumes.extraction.learned.labeller import MODEL, Labeller
from resumes.extraction.learned.training import evaluate, load, tag_accuracy, train
from resumes.extraction.synth.families import generate

DEFAULT_SYNTH = Path(".data") / "synth-train"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="./dev train-extractor", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--synth", type=Path, default=DEFAULT_SYNTH)
    parser.add_argument("--count", type=int, default=16, help="documents per family (16)")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--only", nargs="*", help="family or producer names")
    parser.add_argument("--keep", action="store_true", help="train on --synth as it is")
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--out", type=Path, default=MODEL, help="the model folder")
    options = parser.parse_args(argv)
    started = time.monotonic()
    if not options.keep:
        if options.synth.exists():
            shutil.rmtree(options.synth)
        generate(options.synth, count=options.count, seed=options.seed, only=options.only)
    examples = load(options.synth)
    if not examples:
        print(f"No labelled documents in {options.synth}.", file=sys.stderr)
        return 1
    train(examples, options.out, {"max_iterations": options.iterations})
    score, _ = evaluate(Labeller(options.out), examples)
    tags, tokens = tag_accuracy(FieldTagger(options.out / FIELDS), examples)
    size = sum(path.stat().st_size for path in options.out.iterdir())
    rates = score.rates()
    print(
        f"{len(examples)} documents, {score.lines} lines; trained {options.out} "
        f"({size / 1e3:.0f} kB) in {time.monotonic() - started:.0f} s; "
        f"training-set line accuracy {rates['label']:.3f}, header tokens {len(tokens)} tagged "
        f"{tags:.3f} right (held-out figures: bench/extraction_lofo.py)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

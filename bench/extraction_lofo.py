"""Leave-one-template-family-out evaluation of the learned line labeller, and the same
labeller (trained on the whole synthetic corpus) on the shared corpora it never saw.

    .venv/bin/python bench/extraction_lofo.py [--synth .data/synth-train] [--iterations 60]
        [--families html-onecol,txt-caps] [--c1 0.05] [--c2 0.01] [--no-corpus]
        [--save results.json]

For each family k the labeller and the field tagger are trained on every other family and
scored on k: line accuracy (section and role), the share of header tokens tagged right, and
field F1 of the extraction that follows the labels and the tags ("F1 tags"), the labels alone
("F1 crf") and the rules engine's own ("F1 rules") on the same documents. The probabilities
of all held-out lines give the reliability table and the expected calibration error.
``../shared/corpus`` and ``../shared/corpus2`` are test data only: scored, never trained on.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from resumes.extraction.evaluation import Score, score_document, total  # noqa: E402
from resumes.extraction.learned.align import split_label  # noqa: E402
from resumes.extraction.learned.fields import FIELDS, FieldTagger  # noqa: E402
from resumes.extraction.learned.labeller import Labeller  # noqa: E402
from resumes.extraction.learned.training import (  # noqa: E402
    Example,
    calibration,
    evaluate,
    load,
    tag_accuracy,
    train,
)
from resumes.extraction.rules.engine import extract  # noqa: E402
from resumes.reading import UnreadableDocument, read_document  # noqa: E402

SHARED = ROOT.parent / "shared"
KINDS = ("pdf", "docx", "txt", "md")


def field_f1(labeller: Labeller, tagger: FieldTagger, paths: list[Path]) -> dict[str, float]:
    """Overall field F1 over ``paths`` of the extraction with the labels and the tags, with
    the labels alone, and of the rules engine alone."""
    scores: dict[str, dict[str, Score]] = {
        name: defaultdict(Score) for name in ("tags", "crf", "rules")
    }
    for path in paths:
        gold = json.loads(path.with_suffix(".json").read_text())
        try:
            document = read_document(path.read_bytes(), path.suffix[1:])
        except UnreadableDocument:
            continue
        labels = [split_label(label) for label, _ in labeller.label(document)]
        extractions = {
            "tags": extract(document, labels, tagger),
            "crf": extract(document, labels),
            "rules": extract(document),
        }
        for name, extraction in extractions.items():
            for field, score in score_document(gold, extraction.to_json_resume()).items():
                scores[name][field].add(score)
    return {name: total(by_field.values()).f1 for name, by_field in scores.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--synth", type=Path, default=ROOT / ".data" / "synth-train")
    parser.add_argument("--iterations", type=int, default=60)
    parser.add_argument("--c1", type=float, help="L1 regularisation (training.PARAMS otherwise)")
    parser.add_argument("--c2", type=float, help="L2 regularisation (training.PARAMS otherwise)")
    parser.add_argument("--families", help="hold out only these families (comma-separated)")
    parser.add_argument("--no-corpus", action="store_true")
    parser.add_argument("--save")
    options = parser.parse_args()
    params: dict[str, object] = {"max_iterations": options.iterations}
    params.update({k: v for k, v in (("c1", options.c1), ("c2", options.c2)) if v is not None})
    started = time.monotonic()
    examples = load(options.synth)
    by_family: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_family[example.family].append(example)
    read = time.monotonic() - started
    print(f"{len(examples)} documents in {len(by_family)} families, {read:.0f} s to read")
    chosen = options.families.split(",") if options.families else sorted(by_family)
    results: dict[str, Any] = {"families": {}}
    pairs: list[tuple[float, bool]] = []
    token_pairs: list[tuple[float, bool]] = []
    columns = (
        f"{'docs':>5}{'label':>7}{'section':>8}{'role':>6}{'tags':>6}"
        f"{'F1 tags':>8}{'F1 crf':>8}{'F1 rules':>9}"
    )
    print(f"\n{'held-out family':24}{columns}")
    with tempfile.TemporaryDirectory() as folder:
        for family in chosen:
            model = Path(folder) / family
            train((e for e in examples if e.family != family), model, params)
            labeller = Labeller(model)
            tagger = FieldTagger(model / FIELDS)
            score, confidence = evaluate(labeller, by_family[family])
            pairs.extend(confidence)
            tags, tokens = tag_accuracy(tagger, by_family[family])
            token_pairs.extend(tokens)
            f1 = field_f1(labeller, tagger, [e.path for e in by_family[family]])
            rates = score.rates()
            results["families"][family] = {
                **rates,
                "tag_accuracy": tags,
                **{f"f1_{name}": value for name, value in f1.items()},
            }
            print(
                f"{family:24}{len(by_family[family]):5d}{rates['label']:7.3f}{rates['section']:8.3f}"
                f"{rates['role']:6.3f}{tags:6.3f}{f1['tags']:8.3f}{f1['crf']:8.3f}"
                f"{f1['rules']:9.3f}",
                flush=True,
            )
        rows = results["families"].values()
        for key in ("label", "tag_accuracy", "f1_tags", "f1_crf", "f1_rules"):
            values = [row[key] for row in rows]
            print(f"mean {key} {sum(values) / len(values):.3f}, lowest {min(values):.3f}")
        for name, items in (("lines", pairs), ("tokens", token_pairs)):
            error, table = calibration(items)
            results[f"ece_{name}"] = error
            print(f"\nheld-out {name}: expected calibration error {error:.3f}")
            print(f"{'bin':>6}{'mean p':>8}{'right':>7}{name:>7}")
            for low, mean, accuracy, count in table:
                print(f"{low:6.1f}{mean:8.3f}{accuracy:7.3f}{count:7d}")
        if not options.no_corpus:
            model = Path(folder) / "all"
            train(examples, model, params)
            labeller = Labeller(model)
            tagger = FieldTagger(model / FIELDS)
            for name in ("corpus", "corpus2"):
                corpus = SHARED / name
                if not corpus.is_dir():
                    continue
                paths = sorted(
                    p
                    for p in corpus.iterdir()
                    if p.suffix[1:] in KINDS and p.with_suffix(".json").is_file()
                )
                f1 = field_f1(labeller, tagger, paths)
                results[name] = {f"f1_{key}": value for key, value in f1.items()}
                print(
                    f"{name}: {len(paths)} documents, F1 tags {f1['tags']:.3f}, "
                    f"crf {f1['crf']:.3f}, rules {f1['rules']:.3f}"
                )
    print(f"\n{time.monotonic() - started:.0f} s")
    if options.save:
        Path(options.save).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

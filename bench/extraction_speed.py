"""Rules-engine parse time per PDF against PDFium's bare text extraction, over a corpus.

    .venv/bin/python bench/extraction_speed.py [../shared/corpus] [--repeat 5]

For each PDF: the median of N runs of (a) opening the file with PDFium and calling
``get_text_range()`` on every page, and (b) a full ``rules`` parse: ``read_document`` (layout-
aware reading) plus the extraction. Prints per-file figures, the medians and their ratio
(goal: at most 3×). Needs no database or settings.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from resumes.extraction.rules import extract  # noqa: E402
from resumes.reading import read_document  # noqa: E402


def pdfium_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def rules_parse(data: bytes) -> object:
    return extract(read_document(data, "pdf"))


def timed(function: Callable[[bytes], object], data: bytes, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(data)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    files = sorted(Path(options.corpus).glob("*.pdf"))
    if not files:
        sys.exit(f"no PDFs in {options.corpus}")
    baseline: list[float] = []
    parse: list[float] = []
    print(f"{'file':45}{'pdfium ms':>11}{'rules ms':>10}{'ratio':>7}")
    for path in files:
        data = path.read_bytes()
        rules_parse(data)  # warm caches (vocabulary, regexes) once
        base = timed(pdfium_text, data, options.repeat)
        full = timed(rules_parse, data, options.repeat)
        baseline.append(base)
        parse.append(full)
        print(f"{path.name:45}{base * 1000:11.1f}{full * 1000:10.1f}{full / base:7.2f}")
    base_median, parse_median = statistics.median(baseline), statistics.median(parse)
    print(f"\n{len(files)} PDFs, median of {options.repeat} runs each")
    print(f"median PDFium text extraction: {base_median * 1000:.1f} ms")
    print(f"median rules parse:            {parse_median * 1000:.1f} ms")
    print(f"ratio: {parse_median / base_median:.2f}x (goal <= 3x)")


if __name__ == "__main__":
    main()

"""Rules-engine parse time per PDF against PDFium's bare text extraction, over any folder.

    .venv/bin/python bench/extraction_speed.py [FOLDER ...] [--repeat 5] [--limit N]

For each PDF (default ``../shared/corpus``; give ``.data/synth`` or any folder of PDFs): the
median of N runs of (a) opening the file with PDFium and calling ``get_text_range()`` on
every page, and (b) a full ``rules`` parse: ``read_document`` (layout-aware reading) plus the
extraction. A PDF the reader refuses (no text layer, damaged, encrypted) is timed up to the
refusal and counted. Prints per-file figures, then per producer (the synthetic corpus's
``_meta.producer``, else the PDF's Producer/Creator metadata) the median times and their
ratio (goal: at most 3×), and the peak memory of one parse of the largest file, measured in
a fresh process with the modules imported (resident set growth, which includes PDFium's
native allocations and the first parse's caches, and Python's own peak from
tracemalloc). Needs no database or settings.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from resumes.extraction.rules import extract  # noqa: E402
from resumes.reading import UnreadableDocument, read_document  # noqa: E402

MEMORY_PROBE = """
import sys, tracemalloc
sys.path.insert(0, sys.argv[1])
from resumes.extraction.rules import extract
from resumes.reading import UnreadableDocument, read_document

def status(key):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(key))

data = open(sys.argv[2], "rb").read()
before = status("VmRSS:")
tracemalloc.start()
try:
    extract(read_document(data, "pdf"))
except UnreadableDocument:
    pass
peak = tracemalloc.get_traced_memory()[1]
after = status("VmHWM:")
print(after, after - before, peak)
"""


def pdfium_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def rules_parse(data: bytes) -> object:
    try:
        return extract(read_document(data, "pdf"))
    except UnreadableDocument as error:
        return error


def producer(path: Path) -> str:
    """The synthetic corpus's producer, else the PDF's own Producer (or Creator) entry."""
    truth = path.with_suffix(".json")
    if truth.is_file():
        try:
            meta = json.loads(truth.read_text()).get("_meta", {})
        except ValueError:
            meta = {}
        if meta.get("producer"):
            return str(meta["producer"])
    try:
        document = pdfium.PdfDocument(path.read_bytes())
    except pdfium.PdfiumError:
        return "unreadable"
    try:
        info = document.get_metadata_dict()
    finally:
        document.close()
    name = (info.get("Producer") or info.get("Creator") or "unknown").strip()
    return name.split(";")[0].split("(")[0].strip()[:30] or "unknown"


def peak_memory(path: Path) -> tuple[int, int, int]:
    """(peak RSS KiB, peak RSS above the RSS before the parse KiB, Python peak bytes) of
    one parse in a fresh process (Linux /proc)."""
    result = subprocess.run(  # noqa: S603 - this interpreter, our probe
        [sys.executable, "-c", MEMORY_PROBE, str(ROOT), str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    rss, growth, peak = (int(v) for v in result.stdout.split())
    return rss, growth, peak


def timed(function: Callable[[bytes], object], data: bytes, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(data)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", default=[str(ROOT.parent / "shared" / "corpus")])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--limit", type=int, default=0, help="at most N PDFs per producer")
    parser.add_argument("--quiet", action="store_true", help="no per-file lines")
    options = parser.parse_args()
    files = sorted(p for folder in options.folders for p in Path(folder).glob("*.pdf"))
    if not files:
        sys.exit(f"no PDFs in {', '.join(options.folders)}")
    by_producer: dict[str, list[tuple[float, float]]] = defaultdict(list)
    refused: dict[str, int] = defaultdict(int)
    if not options.quiet:
        print(f"{'file':45}{'producer':>16}{'pdfium ms':>11}{'rules ms':>10}{'ratio':>7}")
    for path in files:
        name = producer(path)
        if options.limit and len(by_producer[name]) >= options.limit:
            continue
        data = path.read_bytes()
        try:
            pdfium_text(data)
        except pdfium.PdfiumError:
            refused[name] += 1
            continue
        try:
            if isinstance(rules_parse(data), UnreadableDocument):  # also warms caches once
                refused[name] += 1
        except Exception as error:  # a bench reports what breaks and goes on
            print(f"{path.name}: the parse failed ({type(error).__name__}: {error})")
            refused[name] += 1
            continue
        base = timed(pdfium_text, data, options.repeat)
        full = timed(rules_parse, data, options.repeat)
        by_producer[name].append((base, full))
        if not options.quiet:
            print(
                f"{path.name[:44]:45}{name[:15]:>16}{base * 1000:11.1f}{full * 1000:10.1f}"
                f"{full / base:7.2f}"
            )
    print(f"\nmedian of {options.repeat} runs per file")
    print(f"{'producer':32}{'PDFs':>5}{'refused':>8}{'pdfium ms':>11}{'rules ms':>10}{'ratio':>7}")
    every: list[tuple[float, float]] = []
    for name in sorted(by_producer):
        times = by_producer[name]
        every += times
        base = statistics.median(t[0] for t in times)
        full = statistics.median(t[1] for t in times)
        ratio = statistics.median(t[1] / t[0] for t in times)
        print(
            f"{name[:31]:32}{len(times):5d}{refused[name]:8d}{base * 1000:11.1f}"
            f"{full * 1000:10.1f}{ratio:7.2f}"
        )
    base = statistics.median(t[0] for t in every)
    full = statistics.median(t[1] for t in every)
    print(
        f"{'all':32}{len(every):5d}{sum(refused.values()):8d}{base * 1000:11.1f}"
        f"{full * 1000:10.1f}{full / base:7.2f}"
    )
    print(
        f"ratio of the medians: {full / base:.2f}x (goal <= 3x); median per-file ratio "
        f"{statistics.median(t[1] / t[0] for t in every):.2f}x"
    )
    largest = max(files, key=lambda p: p.stat().st_size)
    rss, growth, peak = peak_memory(largest)
    print(
        f"peak memory of one parse ({largest.name}, {largest.stat().st_size // 1024} KiB): "
        f"peak RSS {rss / 1024:.1f} MiB, {growth / 1024:.1f} MiB above the RSS before it, "
        f"Python peak {peak / 2**20:.1f} MiB"
    )


if __name__ == "__main__":
    main()

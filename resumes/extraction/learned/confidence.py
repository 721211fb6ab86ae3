"""An extraction's confidence from the line labeller's probabilities.

An entry is right only if the lines it was read from were labelled right, so an item's
confidence is at most the least probable of its lines (the labeller's marginals; their
calibration on held-out families is in ``bench/extraction_lofo.py``). Merge review then
holds back what the labeller was unsure of.
"""

from __future__ import annotations

from collections.abc import Sequence

from resumes.extraction.schema import Evidenced, Extraction
from resumes.reading.model import ResumeText


def _least(item: Evidenced, lines: Sequence[tuple[int, int, float]]) -> float | None:
    spans = [span for spans in item.evidence.values() for span in spans] + list(item.block)
    probabilities = [p for start, end, p in lines if any(a < end and b > start for a, b in spans)]
    return min(probabilities) if probabilities else None


def weigh(
    extraction: Extraction, document: ResumeText, probabilities: Sequence[float]
) -> Extraction:
    """Lower every item's confidence to its least probable line's (in place)."""
    lines = [
        (line.start, line.end, p) for line, p in zip(document.lines, probabilities, strict=True)
    ]
    items: list[Evidenced] = [
        extraction.basics,
        *extraction.work,
        *extraction.volunteer,
        *extraction.education,
        *extraction.skills,
        *extraction.projects,
        *extraction.certificates,
    ]
    for item in items:
        least = _least(item, lines)
        if least is not None:
            item.confidence = round(min(item.confidence, least), 3)
    return extraction

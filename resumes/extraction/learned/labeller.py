"""The line labeller at run time: a linear-chain CRF over a document's lines.

A CRF rather than independent per-line classifiers because a line's role depends on its
neighbours' (a continuation follows a bullet, an entry follows a heading or a bullet), and
the chain decodes the whole document at once (Viterbi) with a probability for each line.

    labeller = Labeller.default()          # the committed model, or None when it is missing
    for (label, probability) in labeller.label(document): ...
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pycrfsuite

from resumes.extraction.learned.features import Features, line_features
from resumes.reading.model import ResumeText

MODEL = Path(__file__).resolve().parent / "model" / "lines.crfsuite"


class Labeller:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))

    @staticmethod
    @cache
    def default() -> Labeller | None:
        return Labeller(MODEL) if MODEL.is_file() else None

    def tag(self, features: list[Features]) -> list[tuple[str, float]]:
        """The most likely label of every line and its marginal probability."""
        if not features:
            return []
        labels = self._tagger.tag(pycrfsuite.ItemSequence(features))
        return [(label, self._tagger.marginal(label, i)) for i, label in enumerate(labels)]

    def label(self, document: ResumeText) -> list[tuple[str, float]]:
        return self.tag(line_features(document))

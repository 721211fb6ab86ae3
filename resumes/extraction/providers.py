"""Resume extraction providers: each turns a document's text into an ``Extraction``."""

from __future__ import annotations

from typing import Protocol

from careeros.ai import PermanentProviderError
from resumes.extraction.learned.align import split_label
from resumes.extraction.learned.confidence import weigh
from resumes.extraction.learned.fields import FieldTagger
from resumes.extraction.learned.labeller import Labeller
from resumes.extraction.rules import extract
from resumes.extraction.schema import Extraction
from resumes.reading.model import ResumeText

PROVIDERS = ("rules", "learned", "openai")


class Provider(Protocol):
    name: str
    model_label: str  # stored as ai_model_used

    def extract(self, document: ResumeText) -> Extraction: ...


class RulesProvider:
    """Offline and deterministic: the default."""

    name = "rules"
    model_label = "rules-1"

    def extract(self, document: ResumeText) -> Extraction:
        extraction = extract(document)
        extraction.ai_model_used = self.model_label
        return extraction


class LearnedProvider:
    """The rules engine following the learned line labeller's sections and entries and the
    field tagger's header fields, each item no more confident than its least probable line
    (README, "Learned line labeller"). Offline; chosen by name (``--provider learned``), not
    yet the default."""

    name = "learned"
    model_label = "rules-crf-2"

    def extract(self, document: ResumeText) -> Extraction:
        labeller = Labeller.default()
        tagger = FieldTagger.default()
        if labeller is None or tagger is None:
            raise PermanentProviderError("The learned extractor's model is missing.")
        labelled = labeller.label(document)
        extraction = extract(document, [split_label(label) for label, _ in labelled], tagger)
        weigh(extraction, document, [p for _, p in labelled])
        extraction.ai_model_used = self.model_label
        return extraction


def get_provider(name: str | None = None) -> Provider:
    """The provider called ``name``, or the one settings.AI_PROVIDER names."""
    from django.conf import settings

    name = name or settings.AI_PROVIDER
    if name == "rules":
        return RulesProvider()
    if name == "learned":
        return LearnedProvider()
    if name == "openai":
        from resumes.extraction.llm import OpenAIProvider

        return OpenAIProvider.from_settings()
    raise ValueError(f"Unknown AI provider {name!r}; choose one of {', '.join(PROVIDERS)}.")

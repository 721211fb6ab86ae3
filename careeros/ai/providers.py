"""The provider interface: every provider turns a document's text into an ``Extraction``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from careeros.ai.schema import Extraction

if TYPE_CHECKING:
    from resumes.reading.model import ResumeText


class ProviderError(Exception):
    """A provider could not produce a result."""


class TransientProviderError(ProviderError):
    """Worth retrying later: rate limit, server error, timeout, connection failure."""


class PermanentProviderError(ProviderError):
    """Retrying will not help: malformed output, refusal, truncation, bad configuration."""


class Provider(Protocol):
    name: str
    model_label: str  # stored as ai_model_used

    def extract(self, document: ResumeText) -> Extraction: ...


class RulesProvider:
    """Offline and deterministic: the default."""

    name = "rules"
    model_label = "rules-1"

    def extract(self, document: ResumeText) -> Extraction:
        from careeros.ai.rules import extract

        extraction = extract(document)
        extraction.ai_model_used = self.model_label
        return extraction

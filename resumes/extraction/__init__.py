"""Resume extraction: from a document's text (``resumes.reading``) to a typed
``Extraction`` with per-field evidence and confidence.

    provider = get_provider()              # settings.AI_PROVIDER: "rules" or "openai"
    extraction = provider.extract(text)    # resumes.extraction.schema.Extraction
    version.ai_model_used = provider.model_label
"""

from __future__ import annotations

from careeros.ai import PermanentProviderError, ProviderError, TransientProviderError
from resumes.extraction.providers import PROVIDERS, Provider, RulesProvider, get_provider
from resumes.extraction.schema import Extraction

__all__ = [
    "PROVIDERS",
    "Extraction",
    "PermanentProviderError",
    "Provider",
    "ProviderError",
    "RulesProvider",
    "TransientProviderError",
    "get_provider",
]

"""AI providers behind one interface (``rules`` offline by default, ``openai`` for any
OpenAI-compatible endpoint). No other module imports ``openai``.

    provider = get_provider()              # settings.AI_PROVIDER
    extraction = provider.extract(text)    # careeros.ai.schema.Extraction
    version.ai_model_used = provider.model_label
"""

from __future__ import annotations

from careeros.ai.providers import (
    PermanentProviderError,
    Provider,
    ProviderError,
    RulesProvider,
    TransientProviderError,
)
from careeros.ai.schema import Extraction

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

PROVIDERS = ("rules", "openai")


def get_provider(name: str | None = None) -> Provider:
    """The provider called ``name``, or the one settings.AI_PROVIDER names."""
    from django.conf import settings

    name = name or settings.AI_PROVIDER
    if name == "rules":
        return RulesProvider()
    if name == "openai":
        from careeros.ai.openai_provider import OpenAIProvider

        return OpenAIProvider.from_settings()
    raise ValueError(f"Unknown AI provider {name!r}; choose one of {', '.join(PROVIDERS)}.")

"""AI infrastructure: typed provider errors and one OpenAI-compatible chat client.

Nothing here knows about resumes or profiles; the apps bring their own prompts and typed
answer models (``resumes.extraction`` for resume reading). No other module imports
``openai``.

    client = ChatClient.from_settings()
    answer = client.structured(system=PROMPT, user=text, schema=MyAnswer)
"""

from __future__ import annotations

from careeros.ai.client import ChatClient, StructuredModel
from careeros.ai.errors import PermanentProviderError, ProviderError, TransientProviderError

__all__ = [
    "ChatClient",
    "PermanentProviderError",
    "ProviderError",
    "StructuredModel",
    "TransientProviderError",
]

"""Any OpenAI-compatible chat endpoint (OpenAI, gateways, Ollama, vLLM, llama.cpp) through
the official client, answering in a typed structured output.

Transient failures (429, 5xx, timeouts, connection errors) are retried by the client with
exponential backoff, honouring Retry-After; what is left of them, and every permanent
failure (malformed output, refusal, truncation, rejected request), is raised as a typed
``ProviderError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import openai
from pydantic import BaseModel, ValidationError

from careeros.ai.errors import PermanentProviderError, TransientProviderError


def _retry_after(error: openai.APIStatusError) -> str | None:
    """The Retry-After header of a failed answer (``retry-after-ms`` in seconds), if any."""
    headers = error.response.headers
    if value := headers.get("retry-after-ms"):
        try:
            return str(float(value) / 1000)
        except ValueError:
            pass
    return headers.get("retry-after") or None


class StructuredModel(Protocol):
    """Something that answers a system and a user message with an instance of ``schema``."""

    model_label: str  # stored as ai_model_used

    def structured[T: BaseModel](
        self, *, system: str, user: str, schema: type[T], max_output_tokens: int = ...
    ) -> T: ...


@dataclass(frozen=True)
class RealtimeSecret:
    """An ephemeral Realtime client secret: what a browser may use, instead of the key."""

    value: str
    expires_at: int
    session_id: str | None


class ChatClient:
    """Structured outputs from a chat completions endpoint; Realtime client secrets."""

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 3,
    ) -> None:
        self.model = model
        self.model_label = f"openai:{model}"
        self.client = openai.OpenAI(
            api_key=api_key or "not-needed",  # local servers (Ollama, vLLM) take any key
            base_url=base_url or None,
            timeout=timeout,
            max_retries=max_retries,
        )

    @classmethod
    def from_settings(cls) -> ChatClient:
        from django.conf import settings

        return cls(
            api_key=settings.OPENAI_API_KEY,
            base_url=settings.OPENAI_BASE_URL or None,
            model=settings.OPENAI_MODEL,
            timeout=settings.OPENAI_TIMEOUT_SECONDS,
            max_retries=settings.OPENAI_MAX_RETRIES,
        )

    def close(self) -> None:
        self.client.close()

    def structured[T: BaseModel](
        self, *, system: str, user: str, schema: type[T], max_output_tokens: int = 8000
    ) -> T:
        """The model's answer to ``user`` under ``system``, validated against ``schema``."""
        try:
            completion = self.client.chat.completions.parse(
                model=self.model,
                messages=[
                    {"role": "system", "content": system},
                    {"role": "user", "content": user},
                ],
                response_format=schema,
                temperature=0,
                max_completion_tokens=max_output_tokens,
                store=False,
            )
        except (openai.APITimeoutError, openai.APIConnectionError) as error:
            raise TransientProviderError(f"The AI service did not answer: {error}") from error
        except openai.RateLimitError as error:
            raise TransientProviderError(
                "The AI service is rate limiting requests (429).",
                retry_after=_retry_after(error),
            ) from error
        except openai.InternalServerError as error:
            raise TransientProviderError(
                f"The AI service failed ({error.status_code}).", retry_after=_retry_after(error)
            ) from error
        except openai.LengthFinishReasonError as error:
            raise PermanentProviderError("The AI answer was cut off (too long).") from error
        except openai.ContentFilterFinishReasonError as error:
            raise PermanentProviderError("The AI service filtered its answer.") from error
        except openai.APIStatusError as error:
            raise PermanentProviderError(
                f"The AI service rejected the request ({error.status_code})."
            ) from error
        except (ValidationError, ValueError) as error:
            raise PermanentProviderError("The AI answer was not valid structured data.") from error
        choice = completion.choices[0]
        if choice.message.refusal:
            raise PermanentProviderError(f"The AI service refused: {choice.message.refusal}")
        if choice.finish_reason == "length":
            raise PermanentProviderError("The AI answer was cut off (too long).")
        parsed = choice.message.parsed
        if parsed is None:
            raise PermanentProviderError("The AI answer was empty.")
        return parsed

    def realtime_client_secret(
        self, *, session: dict[str, Any], expires_seconds: int = 600
    ) -> RealtimeSecret:
        """Mint an ephemeral client secret for a Realtime session configured by ``session``
        (``POST /realtime/client_secrets``); the API key never leaves the server."""
        try:
            created = self.client.realtime.client_secrets.create(
                expires_after={"anchor": "created_at", "seconds": expires_seconds},
                session=session,  # type: ignore[arg-type]
            )
        except (openai.APITimeoutError, openai.APIConnectionError) as error:
            raise TransientProviderError(f"The AI service did not answer: {error}") from error
        except openai.RateLimitError as error:
            raise TransientProviderError(
                "The AI service is rate limiting requests (429).",
                retry_after=_retry_after(error),
            ) from error
        except openai.InternalServerError as error:
            raise TransientProviderError(
                f"The AI service failed ({error.status_code}).", retry_after=_retry_after(error)
            ) from error
        except openai.APIStatusError as error:
            raise PermanentProviderError(
                f"The AI service rejected the request ({error.status_code})."
            ) from error
        if not created.value:
            raise PermanentProviderError("The AI service returned no client secret.")
        session_id = getattr(created.session, "id", None) if created.session else None
        return RealtimeSecret(
            value=created.value, expires_at=int(created.expires_at), session_id=session_id
        )

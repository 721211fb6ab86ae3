"""Typed failures of an AI call: transient ones are worth retrying, permanent ones not."""

from __future__ import annotations


class ProviderError(Exception):
    """A provider could not produce a result."""


class TransientProviderError(ProviderError):
    """Worth retrying later: rate limit, server error, timeout, connection failure.

    ``retry_after`` is the service's Retry-After header as sent (seconds or an HTTP date),
    when it sent one: ``careeros.celery.retry_countdown`` honours it.
    """

    def __init__(self, message: str, *, retry_after: str | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentProviderError(ProviderError):
    """Retrying will not help: malformed output, refusal, truncation, bad configuration."""

"""Typed failures of an AI call: transient ones are worth retrying, permanent ones not."""

from __future__ import annotations


class ProviderError(Exception):
    """A provider could not produce a result."""


class TransientProviderError(ProviderError):
    """Worth retrying later: rate limit, server error, timeout, connection failure."""


class PermanentProviderError(ProviderError):
    """Retrying will not help: malformed output, refusal, truncation, bad configuration."""

"""System checks for the vault's settings: the key ring and the retention periods."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from careeros.vault.keys import parse_key_ring
from careeros.vault.models import PURPOSE

GENERATE_HINT = (
    'Generate a key with: python -c "import base64, os; '
    "print('k1:' + base64.b64encode(os.urandom(32)).decode())\""
)


@register()
def check_encryption_keys(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    try:
        ring = parse_key_ring(settings.ENCRYPTION_KEYS)
    except ValueError as error:
        return [
            Error(f"ENCRYPTION_KEYS is malformed: {error}.", hint=GENERATE_HINT, id="vault.E001")
        ]
    if not ring and not settings.DEBUG:
        # Not a warning: without a key nothing sensitive can be stored, and a deployment
        # that silently lost its key ring could never read what it stored before.
        return [
            Error(
                "ENCRYPTION_KEYS is empty: interview transcripts and other sensitive text "
                "cannot be encrypted.",
                hint="Set ENCRYPTION_KEYS to 'key_id:base64key' (32 random bytes). "
                + GENERATE_HINT,
                id="vault.E002",
            )
        ]
    return []


@register()
def check_retention(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for purpose, days in settings.VAULT_RETENTION_DAYS.items():
        if not PURPOSE.match(purpose):
            errors.append(
                Error(
                    f"VAULT_RETENTION_DAYS has a purpose {purpose!r} that is not a lower-case "
                    "identifier.",
                    id="vault.E003",
                )
            )
        if days is not None and (not isinstance(days, int) or days < 1):
            errors.append(
                Error(
                    f"The retention of {purpose!r} is {days!r}; it must be a whole number of "
                    "days (at least 1), or None to keep rows until they are deleted.",
                    hint="TRANSCRIPT_RETENTION_DAYS sets the interview transcripts' retention.",
                    id="vault.E004",
                )
            )
    return errors

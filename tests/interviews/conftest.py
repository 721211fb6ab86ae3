from __future__ import annotations

import base64
import os
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _vault_key(settings: Any) -> None:
    """Every interview stores its turns in the vault: a one-key ring."""
    settings.ENCRYPTION_KEYS = [f"t1:{base64.b64encode(os.urandom(32)).decode()}"]

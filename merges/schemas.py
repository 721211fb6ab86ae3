"""The typed forms of ``merge_decisions.field_preferences`` and ``merge_decisions.evidence``."""

from __future__ import annotations

from enum import StrEnum

from pydantic import RootModel

from careeros.db.provenance import Snippet


class Prefer(StrEnum):
    PROFILE = "profile"
    UPLOAD = "upload"


class FieldPreferences(RootModel[dict[str, Prefer]]):
    """Per field: keep the profile's value or take the upload's."""

    def get(self, field: str, default: Prefer = Prefer.PROFILE) -> Prefer:
        return self.root.get(field, default)

    def dump(self) -> dict[str, str]:
        return {field: prefer.value for field, prefer in self.root.items()}


class FieldEvidence(RootModel[dict[str, list[Snippet]]]):
    """Per field, the snippets of source text its proposed value was read from."""

    def get(self, field: str) -> list[Snippet]:
        return self.root.get(field, [])

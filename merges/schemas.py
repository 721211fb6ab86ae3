"""The typed form of ``merge_decisions.field_preferences``."""

from __future__ import annotations

from enum import StrEnum

from pydantic import RootModel


class Prefer(StrEnum):
    PROFILE = "profile"
    UPLOAD = "upload"


class FieldPreferences(RootModel[dict[str, Prefer]]):
    """Per field: keep the profile's value or take the upload's."""

    def get(self, field: str, default: Prefer = Prefer.PROFILE) -> Prefer:
        return self.root.get(field, default)

    def dump(self) -> dict[str, str]:
        return {field: prefer.value for field, prefer in self.root.items()}

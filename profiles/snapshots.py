"""A typed picture of a person's current profile: what exports print and confirmations keep.

``ProfileSnapshot`` holds the profile's own fields and every current entity with its logical
id, version and fields (as ``profiles.entities.EntityData`` of its type). It is the JSON of
``user_confirmed_profile.profile_snapshot`` and the input of every export format.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field

from profiles.entities import ENTITY_SPECS, EntityData, EntitySpec, spec_for_type
from profiles.models import Profile, User


class SnapshotEntity(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entity_type: str
    logical_entity_id: UUID
    version: int
    fields: dict[str, Any]
    updated_at: datetime | None = None

    @property
    def spec(self) -> EntitySpec:
        return spec_for_type(self.entity_type)

    @property
    def data(self) -> EntityData:
        return self.spec.load(self.fields)

    @property
    def label(self) -> str:
        return self.data.label()


class ProfileSnapshot(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: str | None = None
    email: str = ""
    avatar_url: str | None = None
    entities: list[SnapshotEntity] = Field(default_factory=list)
    taken_at: datetime | None = None

    def of_type(self, entity_type: str) -> list[SnapshotEntity]:
        return [entity for entity in self.entities if entity.entity_type == entity_type]

    @property
    def last_update(self) -> datetime | None:
        moments = [e.updated_at for e in self.entities if e.updated_at is not None]
        return max(moments) if moments else None


def profile_snapshot(*, user: User) -> ProfileSnapshot:
    """The user's profile now (call in their row level security context)."""
    profile = Profile.objects.filter(user=user).first()
    entities: list[SnapshotEntity] = []
    for spec in ENTITY_SPECS:
        rows = spec.model.objects.for_user(user).current().order_by("created_at", "id")
        for row in rows:
            entities.append(
                SnapshotEntity(
                    entity_type=spec.entity_type,
                    logical_entity_id=row.logical_entity_id,
                    version=row.version,
                    fields=spec.data.model_validate(row.content()).fields(),
                    updated_at=row.created_at,
                )
            )
    return ProfileSnapshot(
        full_name=profile.full_name if profile else None,
        email=profile.email if profile else user.email,
        avatar_url=profile.avatar_url if profile else None,
        entities=entities,
        taken_at=timezone.now(),
    )

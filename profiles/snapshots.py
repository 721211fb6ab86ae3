"""A typed picture of a person's current profile: what exports print and confirmations keep.

``ProfileSnapshot`` holds the profile's own fields and every current entity with its logical
id, version and fields (as ``profiles.entities.EntityData`` of its type). It is the JSON of
``user_confirmed_profile.profile_snapshot`` and the input of every export format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field

from careeros.db.versioning import display_value, field_label
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


@dataclass(frozen=True)
class FieldDifference:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class EntityDifference:
    """How one entity differs between two snapshots: ``added``, ``removed`` or ``changed``."""

    kind: str
    entity_type: str
    section: str
    label: str
    fields: list[FieldDifference]


def snapshot_changes(before: ProfileSnapshot, after: ProfileSnapshot) -> list[EntityDifference]:
    """What changed from ``before`` to ``after``, entity by entity and field by field."""
    changes: list[EntityDifference] = []
    if (before.full_name or "") != (after.full_name or ""):
        changes.append(
            EntityDifference(
                "changed",
                "profiles",
                "Profile",
                "Your name",
                [
                    FieldDifference(
                        "full_name", "Name", before.full_name or "", after.full_name or ""
                    )
                ],
            )
        )
    old = {entity.logical_entity_id: entity for entity in before.entities}
    new = {entity.logical_entity_id: entity for entity in after.entities}
    for spec in ENTITY_SPECS:
        for logical_id, entity in new.items():
            if entity.entity_type != spec.entity_type:
                continue
            previous = old.get(logical_id)
            if previous is None:
                changes.append(
                    EntityDifference("added", spec.entity_type, spec.title, entity.label, [])
                )
                continue
            if previous.version == entity.version and previous.fields == entity.fields:
                continue
            fields = [
                FieldDifference(
                    name,
                    field_label(spec.model, name),
                    display_value(previous.fields.get(name)),
                    display_value(entity.fields.get(name)),
                )
                for name in spec.model.content_fields
                if previous.fields.get(name) != entity.fields.get(name)
            ]
            if fields:
                changes.append(
                    EntityDifference("changed", spec.entity_type, spec.title, entity.label, fields)
                )
        for logical_id, entity in old.items():
            if entity.entity_type == spec.entity_type and logical_id not in new:
                changes.append(
                    EntityDifference("removed", spec.entity_type, spec.title, entity.label, [])
                )
    return changes

"""Reads of accounts and profiles."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Value
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpRequest
from django.utils.text import capfirst

from careeros.db.versioning import VersionedEntity, display_value, field_label
from profiles.entities import ENTITY_SPECS, EntitySpec
from profiles.models import Profile, User


def profile_for(user: User) -> Profile:
    """The user's profile; accounts made outside sign-up (createsuperuser) get one here."""
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"email": user.email})
    return profile


def sign_in_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The e-mail address a sign-in attempt names, as django-axes counts failures by it.

    Lower-cased, so changing the case of an address does not reset the count.
    """
    source = credentials if credentials else request.POST
    return str(source.get("username") or "").strip().lower()


# -- Versioned entities ---------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    version: VersionedEntity
    changes: list[FieldChange]


def entity_history(
    *, model: type[VersionedEntity], user: User, logical_entity_id: uuid.UUID
) -> list[HistoryEntry]:
    """Every version of one entity, newest first, each with its changes to the one before.

    Raises ``model.DoesNotExist`` when the user has no such entity.
    """
    versions = list(model.objects.for_user(user).history(logical_entity_id))
    if not versions:
        raise model.DoesNotExist
    entries = []
    previous: dict[str, Any] = {}
    for version in versions:
        content = version.content()
        changes = [
            FieldChange(
                name,
                field_label(model, name),
                display_value(previous.get(name)),
                display_value(value),
            )
            for name, value in content.items()
            if previous.get(name) != value and (previous or value not in (None, "", []))
        ]
        entries.append(HistoryEntry(version, changes))
        previous = content
    return entries[::-1]


# Word similarity at or above which a field counts as matching the query.
SEARCH_THRESHOLD = 0.3


@dataclass(frozen=True)
class SearchHit:
    spec: EntitySpec
    entity: VersionedEntity
    score: float

    @property
    def kind_label(self) -> str:
        return capfirst(self.spec.verbose_name)


def entity_search(*, user: User, query: str, limit: int = 20) -> list[SearchHit]:
    """The user's current entities most similar to ``query``, tolerant of typos.

    pg_trgm's word similarity of the query to each searchable field; the GIN trigram
    indexes serve the ``%>`` pre-filter.
    """
    query = " ".join(query.split())[:200]
    if not query:
        return []
    hits: list[SearchHit] = []
    for spec in ENTITY_SPECS:
        model = spec.model
        scores = [
            Coalesce(TrigramWordSimilarity(query, name), Value(0.0)) for name in model.search_fields
        ]
        best = Greatest(*scores) if len(scores) > 1 else scores[0]
        rows = (
            model.objects.for_user(user)
            .current()
            .annotate(score=best)
            .filter(score__gte=SEARCH_THRESHOLD)
            .order_by("-score")[:limit]
        )
        hits += [SearchHit(spec, row, row.score) for row in rows]
    hits.sort(key=lambda hit: hit.score, reverse=True)
    return hits[:limit]

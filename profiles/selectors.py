"""Reads of accounts and profiles."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Value, Window
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from rapidfuzz.distance import OSA

from careeros.db.provenance import Snippet
from careeros.db.versioning import Operation, VersionedEntity, display_value, field_label
from careeros.text import fold
from profiles import timeline
from profiles.completeness import Completeness, completeness
from profiles.entities import ENTITY_SPECS, EntitySpec, spec_for_slug
from profiles.matching import MATCH_THRESHOLD
from profiles.models import Profile, User, UserConfirmedProfile
from profiles.snapshots import (
    EntityDifference,
    ProfileSnapshot,
    profile_snapshot,
    snapshot_changes,
)


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
    # Where the version's source read the new value (its provenance), if it has one.
    evidence: tuple[Snippet, ...] = ()


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
        origin = version.origin
        changes = [
            FieldChange(
                name,
                field_label(model, name),
                display_value(previous.get(name)),
                display_value(value),
                tuple(origin.fields.get(name, [])) if origin else (),
            )
            for name, value in content.items()
            if previous.get(name) != value and (previous or value not in (None, "", []))
        ]
        entries.append(HistoryEntry(version, changes))
        previous = content
    return entries[::-1]


# Word similarity at or above which a field counts as matching the query.
SEARCH_THRESHOLD = 0.3
# Words shorter than this must be spelt right ("go", "r"); up to SHORT_WORD letters one
# may be wrong, in longer ones two.
SHORTEST_FUZZY_WORD = 4
SHORT_WORD = 5


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

    First pg_trgm's word similarity (the ``%>`` operator, which the GIN trigram indexes
    serve); for an entity type where that finds nothing, the spellings within a small edit
    distance of each query word (letters swapped, missing or wrong: "pyhton", "jenkns").
    """
    query = " ".join(query.split())[:200]
    if not query:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
            [str(SEARCH_THRESHOLD)],
        )
    hits: list[SearchHit] = []
    for spec in ENTITY_SPECS:
        fields = spec.model.search_fields
        similar = Q()
        for name in fields:
            similar |= Q(**{f"{name}__trigram_word_similar": query})
        scores = [Coalesce(TrigramWordSimilarity(query, name), Value(0.0)) for name in fields]
        rows = (
            spec.model.objects.for_user(user)
            .current()
            .filter(similar)
            .annotate(score=Greatest(*scores) if len(scores) > 1 else scores[0])
            .order_by("-score")[:limit]
        )
        found = [SearchHit(spec, row, row.score) for row in rows]
        hits += found or _near_spellings(spec, user, query)
    hits.sort(key=lambda hit: hit.score, reverse=True)
    return hits[:limit]


def _allowed_edits(word: str) -> int:
    """How many letters may be wrong in a word of this length and still be that word."""
    if len(word) < SHORTEST_FUZZY_WORD:
        return 0
    return 1 if len(word) <= SHORT_WORD else 2


def _near_spellings(spec: EntitySpec, user: User, query: str) -> list[SearchHit]:
    """Entities every word of ``query`` is a near spelling of a word in (optimal string
    alignment distance: a swap of two letters is one edit)."""
    words = fold(query).split()
    if not words:
        return []
    hits = []
    for row in spec.model.objects.for_user(user).current():
        text = fold([getattr(row, name) for name in spec.model.search_fields])
        vocabulary = set(text.split())
        distances = []
        for word in words:
            best = min((OSA.distance(word, known) for known in vocabulary), default=len(word))
            if best > _allowed_edits(word):
                break
            distances.append(best)
        else:
            total = sum(len(word) for word in words)
            hits.append(SearchHit(spec, row, round(1 - sum(distances) / total, 3)))
    return hits


# Entities a dashboard section lists; the rest are a click away.
SUMMARY_SIZE = 5
# Columns no section line shows (evidence, long text), left out of its query.
SUMMARY_UNUSED = ("provenance", "description", "achievements", "technologies", "change_reason")


@dataclass(frozen=True)
class SectionSummary:
    spec: EntitySpec
    count: int
    # Newest first, as many as were asked for (the timeline's kinds take more).
    newest: list[VersionedEntity]

    @property
    def first(self) -> list[VersionedEntity]:
        return self.newest[:SUMMARY_SIZE]


def section_summary(*, spec: EntitySpec, user: User, limit: int = SUMMARY_SIZE) -> SectionSummary:
    """A section's count and newest ``limit`` entities: one query whatever its size (the
    count is a window over the user's current rows, taken before the limit)."""
    model = spec.model
    # The section's lines show labels and dates: provenance and long text stay behind.
    unused = [name for name in SUMMARY_UNUSED if _has_field(model, name)]
    current = (
        model.objects.for_user(user)
        .current()
        .defer(*unused)
        .annotate(section_count=Window(Count("pk")))
    )
    newest: list[VersionedEntity] = list(newest_first(current)[:limit])
    count = getattr(newest[0], "section_count", 0) if newest else 0
    return SectionSummary(spec, count, newest)


def dashboard_sections(*, user: User) -> tuple[list[SectionSummary], timeline.Timeline]:
    """Every section's summary and the career timeline, drawn from the same queries (one a
    section: the timeline's kinds load its limit, their sections show the first few)."""
    sections = [
        section_summary(
            spec=spec,
            user=user,
            limit=TIMELINE_LIMIT if spec.slug in TIMELINE_KINDS else SUMMARY_SIZE,
        )
        for spec in ENTITY_SPECS
    ]
    newest = {summary.spec.slug: summary.newest for summary in sections}
    return sections, career_timeline(user=user, newest=newest)


def _has_field(model: type[VersionedEntity], name: str) -> bool:
    return any(field.name == name for field in model._meta.concrete_fields)


def entities_removed(*, model: type[VersionedEntity], user: User) -> list[VersionedEntity]:
    """The user's entities of ``model`` that were removed and not restored: the retirement
    version of each, newest first."""
    latest = (
        model.objects.for_user(user)
        .order_by("logical_entity_id", "-version")
        .distinct("logical_entity_id")
        .values("id")
    )
    return list(
        model.objects.filter(id__in=latest, operation=Operation.RETIRE).order_by("-created_at")
    )


def likely_duplicate(
    *, spec: EntitySpec, user: User, fields: dict[str, Any]
) -> VersionedEntity | None:
    """A current entity that ``fields`` probably describes again: the same identity
    ("python" beside "Python"), or the profile's matcher taking them for one."""
    identity = spec.identity(fields)
    best: tuple[float, VersionedEntity] | None = None
    for row in spec.model.objects.for_user(user).current():
        content = row.content()
        if identity.strip("|") and spec.identity(content) == identity:
            return row
        score = spec.score(fields, content)
        if score >= MATCH_THRESHOLD and (best is None or score > best[0]):
            best = (score, row)
    return best[1] if best else None


@dataclass(frozen=True)
class ConfirmationState:
    """The confirmed profile (if any), the profile now, what changed between them, and
    the completeness rubric of the profile now."""

    confirmed: UserConfirmedProfile | None
    current: ProfileSnapshot
    changes: list[EntityDifference]
    completeness: Completeness

    @property
    def confirmed_snapshot(self) -> ProfileSnapshot | None:
        if self.confirmed is None:
            return None
        return ProfileSnapshot.model_validate(self.confirmed.profile_snapshot)


def confirmation_state(*, user: User) -> ConfirmationState:
    confirmed = UserConfirmedProfile.objects.filter(user=user).first()
    current = profile_snapshot(user=user)
    changes = (
        snapshot_changes(ProfileSnapshot.model_validate(confirmed.profile_snapshot), current)
        if confirmed is not None
        else []
    )
    return ConfirmationState(confirmed, current, changes, completeness(current))


# -- Order and the timeline -----------------------------------------------------------------

# The field that dates each kind of entity, for "newest first".
_DATE_FIELDS = ("start_date", "issue_date")


def newest_first(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Entities by their start (or issue) date, latest first, undated ones after; entities
    without such a date (skills) by when they were added."""
    names = {field.name for field in queryset.model._meta.get_fields()}
    for name in _DATE_FIELDS:
        if name in names:
            return queryset.order_by(F(name).desc(nulls_last=True), "-created_at")
    return queryset.order_by("-created_at")


# Entities of each kind the timeline draws at most (the newest).
TIMELINE_LIMIT = 60
# The timeline's rows: entity slug and label.
TIMELINE_KINDS = {"work": "Work", "education": "Education", "projects": "Projects"}


def career_timeline(
    *,
    user: User,
    today: date | None = None,
    newest: dict[str, list[VersionedEntity]] | None = None,
) -> timeline.Timeline:
    """Jobs, education and projects of ``user`` laid out on one time axis; ``newest`` may
    hold each kind's entities already loaded (newest first, up to TIMELINE_LIMIT)."""
    newest = newest or {}
    entries = []
    for slug, kind in TIMELINE_KINDS.items():
        entities = newest.get(slug)
        if entities is None:
            spec = spec_for_slug(slug)
            current = newest_first(spec.model.objects.for_user(user).current())
            entities = list(current[:TIMELINE_LIMIT])
        for entity in entities[:TIMELINE_LIMIT]:
            entries.append(
                timeline.Entry(
                    kind=kind,
                    label=str(entity),
                    url=reverse("entity_history", args=[slug, entity.logical_entity_id]),
                    start=getattr(entity, "start_date", None),
                    end=getattr(entity, "end_date", None),
                )
            )
    return timeline.layout(
        entries, kinds=list(TIMELINE_KINDS.values()), today=today or timezone.localdate()
    )

"""Reads of accounts and profiles."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from functools import cache
from types import SimpleNamespace
from typing import Any, cast

from django.conf import settings
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.text import capfirst
from rapidfuzz.distance import OSA

from careeros.db.provenance import Snippet
from careeros.db.versioning import (
    Operation,
    VersionedEntity,
    display_value,
    field_label,
    profile_revision,
)
from careeros.links import url_for_each
from careeros.text import fold
from profiles import timeline
from profiles.completeness import Completeness, completeness
from profiles.entities import ENTITY_SPECS, EntitySpec
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
# Columns a section line never shows (long text), left out of its query; the evidence and
# the versioning columns are not read either.
SUMMARY_UNUSED = ("summary", "description", "achievements", "technologies")


@dataclass(frozen=True)
class SectionLine:
    """One entity as a section and the timeline list it."""

    label: str
    url: str  # its history
    start: str | None
    end: str | None


@dataclass(frozen=True)
class SectionSummary:
    spec: EntitySpec
    count: int
    url: str  # the section's page
    # Newest first, as many as were asked for (the timeline's kinds take more).
    newest: list[SectionLine]

    @property
    def first(self) -> list[SectionLine]:
        return self.newest[:SUMMARY_SIZE]


def section_summaries(*, user: User, limits: dict[str, int] | None = None) -> list[SectionSummary]:
    """Every section's count and newest entities (``limits`` by slug, else SUMMARY_SIZE):
    one statement whatever the profile's size (each count a window over the user's current
    rows, taken before the limit), reading only the columns a line shows."""
    limits = limits or {}
    params: dict[str, Any] = {"user": user.pk}
    for index, spec in enumerate(ENTITY_SPECS):
        params[f"limit_{index}"] = limits.get(spec.slug, SUMMARY_SIZE)
    with connection.cursor() as cursor:
        cursor.execute(_summaries_sql(), params)
        rows = cursor.fetchall()
    counts: dict[int, int] = {}
    lines: dict[int, list[SectionLine]] = {index: [] for index in range(len(ENTITY_SPECS))}
    history_urls = [url_for_each("entity_history", spec.slug) for spec in ENTITY_SPECS]
    for index, count, _position, logical_entity_id, fields in rows:
        model = ENTITY_SPECS[index].model
        counts[index] = count
        lines[index].append(
            SectionLine(
                label=_label(model, fields, logical_entity_id),
                url=history_urls[index](logical_entity_id),
                start=fields.get("start_date"),
                end=fields.get("end_date"),
            )
        )
    return [
        SectionSummary(
            spec, counts.get(index, 0), reverse("entity_list", args=[spec.slug]), lines[index]
        )
        for index, spec in enumerate(ENTITY_SPECS)
    ]


def _label(model: type[VersionedEntity], fields: dict[str, Any], logical_entity_id: Any) -> str:
    """The model's own ``__str__`` over the loaded fields (as ``EntityData.label``: a model
    instance is far costlier to make)."""
    view = SimpleNamespace(
        **fields, label_field=model.label_field, logical_entity_id=logical_entity_id
    )
    return str(model.__str__(cast(Any, view)))


# One entity type's part of the sections' statement: its count, and its newest rows up to
# its limit with the columns a line shows as one JSON object (the types' columns differ).
_SECTION_SQL = """
    (SELECT {index} AS section, count(*) OVER () AS total,
            row_number() OVER (ORDER BY {order}) AS position,
            logical_entity_id, json_build_object({columns}) AS fields
       FROM {table}
      WHERE user_id = %(user)s AND is_current
      ORDER BY position LIMIT %(limit_{index})s)"""


@cache
def _summaries_sql() -> str:
    """The sections' statement, from the models' metadata (the same in every process)."""
    quote = connection.ops.quote_name
    parts = []
    for index, spec in enumerate(ENTITY_SPECS):
        fields = spec.model._meta.concrete_fields
        column = {field.name: quote(str(field.column)) for field in fields}
        shown = [name for name in spec.model.content_fields if name not in SUMMARY_UNUSED]
        order = _newest_fields(spec.model)
        parts.append(
            _SECTION_SQL.format(
                index=index,
                order=", ".join(f"{column[name]} DESC NULLS LAST" for name in order),
                columns=", ".join(f"'{name}', {column[name]}" for name in shown),
                table=quote(spec.model._meta.db_table),
            )
        )
    union = " UNION ALL ".join(parts)
    # Table and column names from the models, the rest parameters.
    return f"SELECT * FROM ({union}) AS lines ORDER BY section, position"  # noqa: S608


@dataclass(frozen=True)
class Career:
    """The dashboard's main column: every section's summary and the career timeline."""

    sections: list[SectionSummary]
    timeline: timeline.Timeline


def dashboard_career(*, user: User) -> Career:
    """Every section's summary and the career timeline, drawn from the same statement (the
    timeline's kinds load its limit, their sections show the first few)."""
    sections = section_summaries(user=user, limits=dict.fromkeys(TIMELINE_KINDS, TIMELINE_LIMIT))
    return Career(sections, career_timeline(sections))


def dashboard_career_key(*, user: User) -> str:
    """What the dashboard's main column is cached under: it changes with the profile (any
    entity written), the day (the timeline runs to today), the script prefix (its links)
    and the release (its markup)."""
    return (
        f"{user.pk}:{profile_revision(user)}:{timezone.localdate()}:{get_script_prefix()}"
        f":{settings.RELEASE}"
    )


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


def _newest_fields(model: type[Any]) -> list[str]:
    """The fields "newest first" sorts by, each descending, empty ones last: the start (or
    issue) date, then when the entity was added; entities without such a date (skills) by
    when they were added."""
    names = {field.name for field in model._meta.get_fields()}
    dated = [name for name in _DATE_FIELDS if name in names]
    return [*dated[:1], "created_at"]


def newest_first(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Entities latest first, undated ones after (``_newest_fields``)."""
    fields = _newest_fields(queryset.model)
    return queryset.order_by(*(F(name).desc(nulls_last=True) for name in fields))


# Entities of each kind the timeline draws at most (the newest).
TIMELINE_LIMIT = 60
# The timeline's rows: entity slug and label.
TIMELINE_KINDS = {"work": "Work", "education": "Education", "projects": "Projects"}


def career_timeline(
    sections: list[SectionSummary], *, today: date | None = None
) -> timeline.Timeline:
    """Jobs, education and projects laid out on one time axis, from their sections' lines
    (newest first, loaded up to TIMELINE_LIMIT)."""
    entries = [
        timeline.Entry(kind=kind, label=line.label, url=line.url, start=line.start, end=line.end)
        for summary in sections
        if (kind := TIMELINE_KINDS.get(summary.spec.slug))
        for line in summary.newest[:TIMELINE_LIMIT]
    ]
    return timeline.layout(
        entries, kinds=list(TIMELINE_KINDS.values()), today=today or timezone.localdate()
    )

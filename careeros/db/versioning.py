"""Versioned entities: every fact keeps its history, its source and its confidence.

A logical entity (one job, one degree, one skill…) is a chain of rows sharing
``logical_entity_id``, numbered by ``version``. At most one row of a chain is current,
which a partial unique constraint enforces in the database. ``write_version`` is the only
code that writes these tables: it locks the current row, retires it and inserts the next
version (``create_versions`` is its bulk form for new entities). A retired entity's chain
ends in a non-current ``retire`` version, so the whole history stays readable and ``as_of``
can tell when the entity stopped existing.

Both write paths give the user's profile a new ``profile_revision``, when they write and
again when the write commits: what a cached rendering of the profile (the dashboard's
sections) is keyed by.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, ClassVar, Self, cast

from django.conf import settings
from django.contrib.postgres.functions import RandomUUID
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.text import capfirst

from careeros.db.provenance import Provenance

MAX_LOCK_ATTEMPTS = 5


class Source(models.TextChoices):
    MANUAL = "manual", "Manual edit"
    UPLOAD = "upload", "Resume upload"
    INTERVIEW = "interview", "Interview"
    AI_ENRICHMENT = "ai_enrichment", "AI enrichment"


class Operation(models.TextChoices):
    CREATE = "create", "Created"
    REVISE = "revise", "Revised"
    RETIRE = "retire", "Retired"
    REVERT = "revert", "Reverted"


class VersionedQuerySet(models.QuerySet[Any]):
    def for_user(self, user: Any) -> Self:
        return self.filter(user_id=getattr(user, "pk", user))

    def current(self) -> Self:
        return self.filter(is_current=True)

    def history(self, logical_entity_id: uuid.UUID | str) -> Self:
        return self.filter(logical_entity_id=logical_entity_id).order_by("version")

    def as_of(self, moment: Any) -> Self:
        """The version of each entity that was current at ``moment``."""
        latest = (
            self.filter(created_at__lte=moment)
            .order_by("logical_entity_id", "-version")
            .distinct("logical_entity_id")
            .values("id")
        )
        return self.filter(id__in=latest).exclude(operation=Operation.RETIRE)


class VersionedEntity(models.Model):
    """The seed's shared columns of work_experience, education, skill, project, certification.

    ``operation`` and ``change_reason`` are CareerOS's additions: what a version did and
    why, shown in the entity's history.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID())
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DB_CASCADE, related_name="+"
    )
    logical_entity_id = models.UUIDField(default=uuid.uuid4, db_default=RandomUUID())
    version = models.IntegerField(default=1, db_default=1)
    is_current = models.BooleanField(default=True, db_default=True)
    source = models.TextField(  # noqa: DJ001 - the seed allows NULL
        choices=Source, default=Source.MANUAL, db_default=Source.MANUAL, null=True
    )
    source_confidence = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        db_default=Decimal("1.0"),
        null=True,
    )
    operation = models.TextField(
        choices=Operation, default=Operation.CREATE, db_default=Operation.CREATE
    )
    change_reason = models.TextField(blank=True, default="", db_default="")
    # CareerOS's addition: the source and evidence of what this version set
    # (careeros.db.provenance.Provenance), for versions applied from a source.
    provenance = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    objects: ClassVar[VersionedQuerySet] = VersionedQuerySet.as_manager()  # type: ignore[assignment]

    # The fields a person edits, in display order; set by each concrete model.
    content_fields: ClassVar[tuple[str, ...]] = ()
    # The field naming an entity in lists and history ("Senior Engineer at Acme").
    label_field: ClassVar[str] = ""
    # Fields searched with pg_trgm similarity.
    search_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return str(getattr(self, self.label_field, "")) or str(self.logical_entity_id)

    @property
    def is_retirement(self) -> bool:
        """The version that removed the entity from the profile."""
        return self.operation == Operation.RETIRE

    @property
    def origin(self) -> Provenance | None:
        return Provenance.model_validate(self.provenance) if self.provenance else None

    @classmethod
    def versioning_constraints(cls, table: str) -> list[models.BaseConstraint]:
        return [
            models.UniqueConstraint(
                fields=["logical_entity_id", "version"],
                name=f"{table}_logical_entity_id_version_key",
            ),
            models.UniqueConstraint(
                fields=["logical_entity_id"],
                condition=Q(is_current=True),
                name=f"{table}_one_current_version",
            ),
            models.CheckConstraint(
                condition=Q(source_confidence__gte=0) & Q(source_confidence__lte=1),
                name=f"{table}_source_confidence_check",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name=f"{table}_version_positive"),
        ]

    @classmethod
    def versioning_indexes(cls, table: str) -> list[models.Index]:
        return [
            models.Index(
                fields=["user", "is_current"],
                condition=Q(is_current=True),
                name=f"idx_{table}_user_current",
            ),
            # Lookups by logical_entity_id use the unique (logical_entity_id, version) index;
            # the seed names this one for work_experience only (kept there as the seed has it).
            *(
                [models.Index(fields=["logical_entity_id"], name=f"idx_{table}_logical_entity")]
                if table == "work_experience"
                else []
            ),
        ]

    def content(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.content_fields}

    def labelled_content(self) -> list[tuple[str, Any, bool]]:
        """(label, value, is a list) of the fields that hold something, for display."""
        return [
            (field_label(type(self), name), value, isinstance(value, list))
            for name, value in self.content().items()
            if value not in (None, "", [])
        ]


def display_value(value: Any) -> str:
    """A field's value as one line of text: list items joined, None empty."""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return "" if value is None else str(value)


def field_label(model: type[VersionedEntity], name: str) -> str:
    field = model._meta.get_field(name)
    return capfirst(str(getattr(field, "verbose_name", name)))


class VersionConflict(Exception):
    """The entity changed since the caller read it; nothing was written."""

    def __init__(self, entity: VersionedEntity) -> None:
        super().__init__(
            f"{entity} changed since you opened it (now version {entity.version}). "
            "Review the latest version and try again."
        )
        self.current = entity


def profile_revision(user: Any) -> str:
    """A token that changes whenever one of ``user``'s versioned entities is written.

    It is set anew when the write is made and again after it commits, so a reader that took
    a token before the commit files what it read under a key nobody asks for again. A token
    lost from the cache is made again: that costs a miss, never a stale page.
    """
    key = _revision_key(getattr(user, "pk", user))
    token = cache.get(key)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(key, token, timeout=None):
            token = cache.get(key) or token  # another request made it first
    return str(token)


def _revision_key(user_id: Any) -> str:
    return f"profile-revision:{user_id}"


def _new_revision(user: Any, using: str | None) -> None:
    """A new revision at once, so the writer's own transaction reads what it wrote, and
    again once the write commits: a reader that took the first before the commit may have
    filed what it read then under it."""
    key = _revision_key(getattr(user, "pk", user))

    def renew() -> None:
        cache.set(key, uuid.uuid4().hex, timeout=None)

    renew()
    transaction.on_commit(renew, using=using)


class EntityRetired(Exception):
    """The entity has no current version; only a revert can bring it back."""


def write_version[E: VersionedEntity](
    model: type[E],
    *,
    user: Any,
    operation: Operation,
    logical_entity_id: uuid.UUID | str | None = None,
    changes: dict[str, Any] | None = None,
    source: Source | str = Source.MANUAL,
    confidence: Decimal | float | str | None = Decimal("1.00"),
    reason: str = "",
    revert_to: int | None = None,
    expected_version: int | None = None,
    provenance: Provenance | None = None,
) -> E:
    """The one write path of versioned entities: create, revise, retire or revert.

    - create: a new logical entity at version 1 with ``changes`` as its fields.
    - revise: the current version with ``changes`` applied, as version + 1.
    - retire: version + 1 marked ``retire`` and not current; no current version remains.
    - revert: version ``revert_to``'s fields as the new current version (also after a
      retirement, which brings the entity back). The revert is the caller's act (by hand,
      unless a source is given); it keeps the restored version's evidence.

    The current row is locked first, so concurrent writers queue and each applies its
    changes on top of the other's. With ``expected_version`` a writer that read an older
    version gets ``VersionConflict`` instead. Returns the row written.
    """
    if operation == Operation.CREATE:
        return _insert(
            model,
            user=user,
            logical_entity_id=uuid.uuid4(),
            version=1,
            fields=_clean(model, changes or {}),
            operation=operation,
            source=source,
            confidence=confidence,
            reason=reason,
            provenance=provenance,
        )
    if logical_entity_id is None:
        raise ValueError(f"{operation} needs a logical_entity_id.")

    with transaction.atomic():
        latest = _lock_latest(model, user, logical_entity_id)
        if expected_version is not None and latest.version != expected_version:
            raise VersionConflict(latest)
        if operation == Operation.REVERT:
            if revert_to is None:
                raise ValueError("A revert needs the version to return to.")
            target = model.objects.for_user(user).get(
                logical_entity_id=logical_entity_id, version=revert_to
            )
            fields = target.content()
            # Whoever reverts restores the facts; where they came from stays known.
            provenance = provenance or target.origin
            reason = reason or f"Restored version {revert_to}" + (
                f" (from {provenance.label})." if provenance else "."
            )
        elif not latest.is_current:
            raise EntityRetired(f"{latest} was retired; revert it to bring it back.")
        else:
            fields = latest.content()
            if operation == Operation.REVISE:
                fields.update(_clean(model, changes or {}))
        if latest.is_current:
            latest.is_current = False
            latest.updated_at = Now()
            latest.save(update_fields=["is_current", "updated_at"])
        return _insert(
            model,
            user=user,
            logical_entity_id=latest.logical_entity_id,
            version=latest.version + 1,
            fields=fields,
            operation=operation,
            source=source,
            confidence=confidence,
            reason=reason,
            is_current=operation != Operation.RETIRE,
            provenance=provenance if operation != Operation.RETIRE else None,
        )


def _lock_latest[E: VersionedEntity](
    model: type[E], user: Any, logical_entity_id: uuid.UUID | str
) -> E:
    """Lock and return the newest version of the chain.

    A writer that waited for the lock may find the row it waited for retired by the one
    before it; the newer version that writer inserted is then visible to the next query.
    """
    chain = model.objects.for_user(user).filter(logical_entity_id=logical_entity_id)
    for _ in range(MAX_LOCK_ATTEMPTS):
        latest = chain.order_by("-version").first()
        if latest is None:
            raise model.DoesNotExist(f"No {model._meta.verbose_name} {logical_entity_id}.")
        locked = chain.select_for_update().filter(pk=latest.pk).first()
        if locked is not None and not chain.filter(version__gt=locked.version).exists():
            return cast(E, locked)
    raise ObjectDoesNotExist(f"Could not lock {model._meta.verbose_name} {logical_entity_id}.")


def _insert[E: VersionedEntity](
    model: type[E],
    *,
    user: Any,
    logical_entity_id: uuid.UUID | str,
    version: int,
    fields: dict[str, Any],
    operation: Operation,
    source: Source | str,
    confidence: Decimal | float | str | None,
    reason: str,
    is_current: bool = True,
    provenance: Provenance | None = None,
) -> E:
    entity = model(
        user_id=getattr(user, "pk", user),
        logical_entity_id=logical_entity_id,
        version=version,
        is_current=is_current,
        source=Source(source),
        source_confidence=None if confidence is None else Decimal(str(confidence)),
        operation=operation,
        change_reason=reason,
        provenance=provenance.model_dump(mode="json") if provenance else None,
        **fields,
    )
    entity.full_clean(
        exclude=["user", "logical_entity_id", "id"],
        validate_unique=False,
        validate_constraints=False,  # the database enforces them
    )
    try:
        with transaction.atomic():
            entity.save(force_insert=True)
    except IntegrityError as error:
        # Two writers raced past the lock (only possible for a chain created in the
        # same instant); the database kept one current version.
        raise VersionConflict(entity) from error
    _new_revision(user, entity._state.db)
    # created_at and updated_at come back with the INSERT (db_default fields are RETURNING).
    return entity


def _clean(model: type[VersionedEntity], changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(model.content_fields)
    if unknown:
        raise ValueError(f"Not fields of {model.__name__}: {', '.join(sorted(unknown))}.")
    return {name: _without_nul(value) for name, value in changes.items()}


def _without_nul(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL; extracted text sometimes does."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


def create_versions[E: VersionedEntity](
    model: type[E],
    *,
    user: Any,
    entities: list[dict[str, Any]],
    source: Source | str,
    confidences: list[Decimal | None],
    reason: str,
    provenances: list[Provenance | None],
) -> list[E]:
    """The bulk form of a ``create``: many new logical entities at version 1, in one INSERT.

    What a source adds in one go (an upload's new entries) costs one statement, not one
    per entity; each row is validated like ``write_version``'s.
    """
    rows = []
    for changes, confidence, provenance in zip(entities, confidences, provenances, strict=True):
        entity = model(
            user_id=getattr(user, "pk", user),
            logical_entity_id=uuid.uuid4(),
            version=1,
            is_current=True,
            source=Source(source),
            source_confidence=None if confidence is None else Decimal(str(confidence)),
            operation=Operation.CREATE,
            change_reason=reason,
            provenance=provenance.model_dump(mode="json") if provenance else None,
            **_clean(model, changes),
        )
        entity.full_clean(
            exclude=["user", "logical_entity_id", "id"],
            validate_unique=False,
            validate_constraints=False,
        )
        rows.append(entity)
    created = cast(list[E], model.objects.bulk_create(rows))
    if created:
        _new_revision(user, created[0]._state.db)
    return created

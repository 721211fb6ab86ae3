"""Writes to the resume tables: streams, uploads, the processing pipeline's stages, retries.

The pipeline runs ``upload → parse → enrich → complete``; each stage is run by
``resume_stage_run`` in three steps, each its own short transaction in the owner's row level
security context:

1. *claim* (compare-and-set): lock the version row; go on only if every earlier stage is
   completed and this one is pending, or in progress under an expired lease (its worker
   died). Mark it in progress, which counts an attempt. A second delivery of the same task
   finds the stage taken or done and stops.
2. *work*, outside any transaction (reading storage, the parsing child process), producing a
   function that stores the result. The claim is a lease of ``RESUME_STAGE_LEASE_SECONDS``
   (its expiry is ``updated_at`` plus that); a thread renews it every third of that while
   the work runs, so a live worker keeps its stage however long it takes, and a killed
   one's stage is taken over by the next task (redelivered or reconciled) once the lease
   runs out, within seconds rather than minutes.
3. *finish*: lock the row again; store the result and mark the stage completed only if the
   stage is still in progress under this attempt (a worker that was presumed dead and lost
   its claim stores nothing). Storing replaces the version's earlier rows of that stage,
   so entities and diffs are never duplicated. The caller goes on with the next stage
   (the Celery task, in-process) or has it enqueued on commit.

A permanent failure marks the stage and the version failed with a message for the user; a
transient one (the AI service answering 429 or 5xx, timing out) puts the stage back to
pending for the task to retry after a backoff, until the stage has used
``RESUME_STAGE_ATTEMPT_CAP`` attempts: counted in the row, so the reconciler's runs count
too. Then it fails as ``Failure.AI_UNAVAILABLE``, "The AI service is unavailable — retry
later", with the Retry button, never a stage left pending.

Every way into an attempt (a pending stage, a held claim taken back, an expired lease taken
over) goes through the claim, which makes none past the cap: the stage fails instead, typed
by how its last attempt ended: ``Failure.AI_UNAVAILABLE``, ``Failure.UNAVAILABLE`` (another
service, the database), or ``Failure.INTERRUPTED``, saying how many of its attempts were
interrupted. A takeover of an expired lease counts an interruption, its worker presumed
dead; ``MAX_STAGE_INTERRUPTIONS`` of them end the stage "interrupted repeatedly" whatever
is left of the budget.

A transient database error anywhere in a stage (``careeros.db.transient.DATABASE_ERRORS``:
a PostgreSQL restart, a dropped connection) is one more transient failure of the same
budget, typed ``Failure.UNAVAILABLE``: the broken connections are closed, the attempt is
recorded if the database answers again, and the task retries with the same backoff. If
even the record fails, the retry is told which of its claims it left in progress
(``held``) and takes it back at once, as a further attempt, never as an interruption.
A database that stays down past the lease makes that claim's lease run out too: if the
task's retries gave up before the server was back, or the reconciler's delivery comes
before the held retry, a delivery without ``held`` finds the lease expired. Its last
renewal then predates the server's start (``pg_postmaster_start_time()``), which no live
worker could have renewed across: the takeover is a further attempt ended by the database,
as if held, never an interruption. (A worker that loses the database while the server stays
up, behind a network partition, looks dead to the claim and is counted so; the attempt cap
bounds both.)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import IO, Any
from uuid import UUID, uuid4

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, Sum
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone

from careeros.celery import retry_countdown
from careeros.db.rls import user_context
from careeros.db.transient import (
    DATABASE_ERRORS,
    connections_checked,
    connections_reset,
    server_started_at,
)
from careeros.db.versioning import Source
from merges.models import MergeDecision
from merges.services import merge_decisions_propose
from merges.sources import Origin, Proposal
from profiles.entities import ENTITY_SPECS, spec_for_type
from profiles.models import User
from resumes import storage
from resumes.diffs import Comparable, comparable, compare, profile_comparable
from resumes.models import (
    ParsedResumeEntity,
    ProcessingStatus,
    ResumeDiff,
    ResumeStream,
    ResumeVersion,
    UploadSource,
)
from resumes.sandbox import ParseFailed, parse_document, sniff_document
from resumes.schemas import (
    STAGES,
    Differences,
    Failure,
    Stage,
    StageStatus,
    confine_all,
    entities_from_extraction,
    initial_stages,
)
from resumes.signals import version_completed

logger = logging.getLogger(__name__)

# A stage whose worker was found dead (its lease ran out, the database up) this many times
# fails. Counted apart from its attempts, so transient failures never count towards it.
MAX_STAGE_INTERRUPTIONS = 3
UNAVAILABLE = (
    "The AI service is unavailable — retry later. Your file is kept; use Retry once the "
    "service is back."
)
STILL_UNAVAILABLE = "A service this file needs stayed unavailable; retry later."
DATABASE_UNAVAILABLE = "The database was unavailable"
INTERRUPTED = (
    "Processing this file was interrupted repeatedly, so it was stopped. "
    "Retry, or upload the resume exported again."
)
INTERRUPTED_OUT_OF_ATTEMPTS = (
    "Processing this file was interrupted and had no attempts left, so it was stopped. "
    "Retry, or upload the resume exported again."
)
TOO_LONG = "Processing took too long and was stopped. Retry, or upload the resume exported again."


class StageFailed(Exception):
    """A stage cannot succeed for this file now; ``message`` is for the user.

    ``transient`` ones may succeed later (``failure`` says which service failed,
    ``retry_after`` what it asked for); ``countdown`` is the seconds until the retry is due,
    set by ``resume_stage_run`` when the stage is pending for one (None: nothing could be
    recorded, the database did not answer).
    """

    def __init__(
        self,
        message: str,
        *,
        transient: bool = False,
        failure: Failure | None = None,
        retry_after: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient
        self.failure = failure or (Failure.UNAVAILABLE if transient else Failure.PERMANENT)
        self.retry_after = retry_after
        self.countdown: float | None = None

    @classmethod
    def of(cls, failure: ParseFailed) -> StageFailed:
        return cls(
            failure.message,
            transient=failure.transient,
            failure=failure.failure,
            retry_after=failure.retry_after,
        )


class DatabaseUnavailable(StageFailed):
    """The database failed mid-stage (a restart, a dropped connection): transient.

    ``held`` is the attempt of the claim this delivery leaves in progress when not even
    the failure could be recorded; its retry takes that claim back (``resume_stage_run``'s
    ``held``) instead of waiting for the lease to run out.
    """

    def __init__(self, *, held: int | None = None) -> None:
        super().__init__(DATABASE_UNAVAILABLE, transient=True, failure=Failure.UNAVAILABLE)
        self.held = held


# -- Streams and uploads -------------------------------------------------------------


def resume_stream_create(*, user: User, name: str, description: str = "") -> ResumeStream:
    """Create a stream, or return the user's stream of that name."""
    with transaction.atomic():
        stream, _ = ResumeStream.objects.get_or_create(
            user=user, name=name.strip(), defaults={"description": description.strip() or None}
        )
    return stream


def resume_version_upload(
    *,
    user: User,
    stream: ResumeStream,
    filename: str,
    content: IO[bytes],
    size: int,
    source: str = UploadSource.WEB_UI,
    enqueue: bool = True,
) -> ResumeVersion:
    """Keep the original file as the stream's next version and start its pipeline.

    The stream row is locked so concurrent uploads into one stream get consecutive
    numbers and ``total_uploads``/``latest_version`` stay true. The pipeline's first task
    is enqueued when the transaction commits (never for a rolled-back upload).
    """
    with transaction.atomic():
        locked = ResumeStream.objects.select_for_update().get(pk=stream.pk, user=user)
        version_id = uuid4()
        path = storage.original_path(user_id=user.pk, version_id=version_id, filename=filename)
        stored = storage.original_save(path=path, content=content)
        number = (
            ResumeVersion.objects.filter(stream=locked)
            .order_by("-version_number")
            .values_list("version_number", flat=True)
            .first()
            or 0
        ) + 1
        version = ResumeVersion.objects.create(
            id=version_id,
            stream=locked,
            version_number=number,
            original_filename=filename[:255],
            file_size_bytes=size,
            storage_path=stored,
            upload_source=source,
            processing_stages=initial_stages(),
        )
        ResumeStream.objects.filter(pk=locked.pk).update(
            total_uploads=F("total_uploads") + 1, latest_version=version, updated_at=Now()
        )
        if enqueue:
            _enqueue_on_commit(version, Stage.UPLOAD)
    return version


def resume_storage_used(*, user: User) -> int:
    """Bytes of the person's stored originals (what RESUME_STORAGE_QUOTA_BYTES caps)."""
    total = ResumeVersion.objects.filter(user=user).aggregate(total=Sum("file_size_bytes"))["total"]
    return int(total or 0)


def resume_version_retry(*, user: User, version: ResumeVersion) -> ResumeVersion:
    """Start a failed version's pipeline again from the stage that failed.

    Raises ``ValueError`` unless the version failed. The original file was kept, so
    nothing needs uploading again.
    """
    with transaction.atomic():
        locked = ResumeVersion.objects.for_user(user).select_for_update().get(pk=version.pk)
        if locked.processing_status != ProcessingStatus.FAILED:
            raise ValueError("Only a failed version can be retried.")
        stages = locked.stages
        failed = next(name for name in STAGES if stages.get(name).status != StageStatus.COMPLETED)
        # Later stages first, so the failed one ends as the version's current stage.
        for stage in reversed((failed, *failed.following)):
            locked.mark_stage(stage, StageStatus.PENDING, progress=failed.progress[0], restart=True)
        _enqueue_on_commit(locked, failed)
    return locked


def _enqueue_on_commit(version: ResumeVersion, stage: Stage) -> None:
    """Hand the stage to the broker once the transaction commits.

    What is committed is accepted: if the broker is down the hand-off is only logged, never
    an error for the request, and the reconciler enqueues the pending stage
    (``RESUME_UNQUEUED_AFTER_SECONDS``). The publish is one attempt with short socket
    timeouts (``CELERY_BROKER_TRANSPORT_OPTIONS``), so it never holds the request long.
    """
    from resumes.tasks import STAGE_TASKS

    task = STAGE_TASKS[stage]
    user_id = str(version.stream.user_id)
    version_id = str(version.pk)

    def enqueue() -> None:
        try:
            task.apply_async((version_id,), {"user_id": user_id}, ignore_result=True)
        except Exception:
            logger.warning(
                "could not hand a resume stage to the broker; the reconciler will",
                extra={"version_id": version_id, "stage": stage.value},
                exc_info=True,
            )

    transaction.on_commit(enqueue)


# -- Running a stage -----------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    version: ResumeVersion
    attempt: int


def resume_stage_claim(
    *, version_id: UUID | str, stage: Stage, held: int | None = None
) -> Claim | None:
    """Compare-and-set: take ``stage`` of the version if it is runnable now, else None.

    ``held``: the attempt of this delivery's own claim, left in progress after a database
    error that could not be recorded; it is taken back at once as the next attempt. A stage
    whose attempts are spent is failed here instead of claimed (see the module's rules).
    """
    with transaction.atomic():
        version = (
            ResumeVersion.objects.select_for_update().select_related("stream").filter(pk=version_id)
        ).first()
        if version is None or version.is_terminal:
            return None
        stages = version.stages
        if any(stages.get(name).status != StageStatus.COMPLETED for name in stage.earlier):
            return None
        state = stages.get(stage)
        expired = timezone.now() - timedelta(seconds=settings.RESUME_STAGE_LEASE_SECONDS)
        lapsed = state.status == StageStatus.IN_PROGRESS and version.updated_at < expired
        interrupted = False
        detail: str | None  # what the failure names, should the budget be spent
        if state.status == StageStatus.IN_PROGRESS and (
            held == state.attempts or (lapsed and version.updated_at < server_started_at())
        ):
            # Ended by a database error: our own claim, left in progress after an error that
            # could not be recorded; or one whose lease ran out across a restart of the
            # database, which not even a live worker could renew. A transient failure.
            failure, detail = Failure.UNAVAILABLE, DATABASE_UNAVAILABLE
        elif lapsed:
            # Its worker died (the lease ran out, the database up): this claim takes it over.
            if state.interruptions + 1 >= MAX_STAGE_INTERRUPTIONS:
                version.mark_stage(
                    stage, StageStatus.FAILED, error=INTERRUPTED, failure=Failure.INTERRUPTED
                )
                return None
            failure = Failure.INTERRUPTED
            detail = f"{state.interruptions + 1} of its {state.attempts} attempts were interrupted"
            interrupted = True
        elif state.status == StageStatus.PENDING:
            # Not tried yet, or after a transient failure, which names the end if it is one.
            failure, detail = state.failure or Failure.AI_UNAVAILABLE, state.error
        else:
            return None
        if state.attempts >= settings.RESUME_STAGE_ATTEMPT_CAP:
            # Its budget is spent, whichever way the last attempt ended: never try again.
            _mark_exhausted(version, stage, failure, detail)
            return None
        version.mark_stage(
            stage, StageStatus.IN_PROGRESS, progress=stage.progress[0], interrupted=interrupted
        )
        return Claim(version=version, attempt=version.stages.get(stage).attempts)


def resume_stage_run(
    *,
    version_id: UUID | str,
    stage: Stage,
    user_id: UUID | str,
    enqueue_next: bool = True,
    held: int | None = None,
) -> str:
    """Run one stage of one version, safely under redelivery; returns what happened.

    Not one transaction: the claim and the result are committed separately so progress
    shows while the stage works, and no transaction stays open during parsing. Raises
    ``StageFailed`` when the stage is worth a retry (transient, within its budget), after
    ``failure.countdown`` seconds; a ``DatabaseUnavailable`` whose ``held`` is set names
    the claim the retry is to take back (pass it as ``held``).
    """
    try:
        connections_checked()  # a connection kept from before a restart is replaced here
        with user_context(user_id):
            claim = resume_stage_claim(version_id=version_id, stage=stage, held=held)
    except DATABASE_ERRORS as error:
        connections_reset()
        raise DatabaseUnavailable(held=held) from error
    if claim is None:
        return "skipped"
    try:
        with _lease_renewed(claim, stage, user_id):
            store = STAGE_WORK[stage](claim.version, user_id)
        connections_checked()  # the server may have restarted while the work ran
        with user_context(user_id):
            return _finish(claim, stage, store, enqueue_next=enqueue_next)
    except StageFailed as failure:
        return _failed(claim, stage, failure, user_id)
    except DATABASE_ERRORS as error:
        connections_reset()
        logger.warning(
            "a resume stage lost the database",
            extra={"version_id": str(claim.version.pk), "stage": stage.value},
            exc_info=True,
        )
        try:
            return _failed(claim, stage, DatabaseUnavailable(), user_id)
        except StageFailed as failure:
            raise failure from error


def _failed(claim: Claim, stage: Stage, failure: StageFailed, user_id: UUID | str) -> str:
    """Record the claim's failed attempt: raise ``failure`` if the stage is pending for a
    retry, else "failed" (it ended, or another delivery has it now). If the database does
    not answer even that, raise ``DatabaseUnavailable`` holding the claim."""
    try:
        connections_checked()
        with user_context(user_id):
            pending = _release(claim, stage, failure)
    except DATABASE_ERRORS as error:
        connections_reset()
        raise DatabaseUnavailable(held=claim.attempt) from error
    if pending:
        raise failure  # for the task to retry after failure.countdown
    return "failed"


@contextmanager
def _lease_renewed(claim: Claim, stage: Stage, user_id: UUID | str) -> Iterator[None]:
    """Renew the claim's lease every third of ``RESUME_STAGE_LEASE_SECONDS`` while the block
    runs, for as long as the stage is still in progress under this claim's attempt."""
    done = threading.Event()
    interval = settings.RESUME_STAGE_LEASE_SECONDS / 3

    def renew() -> None:
        try:
            while not done.wait(interval):
                try:
                    with user_context(user_id):
                        held = (
                            ResumeVersion.objects.filter(pk=claim.version.pk)
                            .filter(
                                **{
                                    f"processing_stages__{stage.value}__status": "in_progress",
                                    f"processing_stages__{stage.value}__attempts": claim.attempt,
                                }
                            )
                            .update(updated_at=Now())
                        )
                except DATABASE_ERRORS:
                    # A restart or a dropped connection: the work goes on (it needs no
                    # database), so renew again next time, on a new connection.
                    connections_reset()
                    logger.warning("could not renew a stage's lease; trying again", exc_info=True)
                    continue
                if not held:
                    return  # taken over or ended: the finish step will store nothing
        except Exception:
            logger.warning("could not renew a stage's lease", exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections

    renewer = threading.Thread(target=renew, name=f"lease-{claim.version.pk}", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        done.set()
        renewer.join(timeout=interval + 5)


def _finish(
    claim: Claim, stage: Stage, store: Callable[[ResumeVersion], None], *, enqueue_next: bool
) -> str:
    with transaction.atomic():
        version = ResumeVersion.objects.select_for_update().get(pk=claim.version.pk)
        state = version.stages.get(stage)
        if state.status != StageStatus.IN_PROGRESS or state.attempts != claim.attempt:
            return "superseded"
        store(version)
        version.mark_stage(stage, StageStatus.COMPLETED, progress=stage.progress[1])
        if stage.following and enqueue_next:
            _enqueue_on_commit(version, stage.following[0])
    return "completed"


def _release(claim: Claim, stage: Stage, failure: StageFailed) -> bool:
    """Record a failed attempt; True if the stage is pending again, worth a retry (transient
    and within ``RESUME_STAGE_ATTEMPT_CAP``), False if it ended failed (or was taken over)."""
    with transaction.atomic():
        version = ResumeVersion.objects.select_for_update().get(pk=claim.version.pk)
        state = version.stages.get(stage)
        if state.status != StageStatus.IN_PROGRESS or state.attempts != claim.attempt:
            return False
        if not failure.transient:
            version.mark_stage(
                stage, StageStatus.FAILED, error=failure.message, failure=failure.failure
            )
            return False
        if state.attempts >= settings.RESUME_STAGE_ATTEMPT_CAP:
            _mark_exhausted(version, stage, failure.failure, failure.message)
            return False
        failure.countdown = retry_countdown(state.attempts, failure.retry_after)
        version.mark_stage(
            stage,
            StageStatus.PENDING,
            error=failure.message,
            failure=failure.failure,
            retry_at=timezone.now() + timedelta(seconds=failure.countdown),
        )
        return True


def _mark_exhausted(
    version: ResumeVersion, stage: Stage, failure: Failure, detail: str | None
) -> None:
    """The stage's attempt budget is spent: it fails for good, in the state its last
    attempt's end names (the AI service's own, an interruption, or another service's)."""
    if failure not in (Failure.AI_UNAVAILABLE, Failure.INTERRUPTED):
        failure = Failure.UNAVAILABLE
    message = {
        Failure.AI_UNAVAILABLE: UNAVAILABLE,
        Failure.INTERRUPTED: INTERRUPTED_OUT_OF_ATTEMPTS,
        Failure.UNAVAILABLE: STILL_UNAVAILABLE,
    }[failure]
    version.mark_stage(
        stage,
        StageStatus.FAILED,
        error=f"{message} ({detail})" if detail else message,
        failure=failure,
    )


def resume_stage_fail(
    *, version_id: UUID | str, stage: Stage, message: str, failure: Failure = Failure.PERMANENT
) -> None:
    """Give up on a stage (its time limit): the version fails with ``message``."""
    with transaction.atomic():
        version = ResumeVersion.objects.select_for_update().filter(pk=version_id).first()
        if version is not None and not version.is_terminal:
            version.mark_stage(stage, StageStatus.FAILED, error=message, failure=failure)


# -- The stages' work ----------------------------------------------------------------------


def _read_original(version: ResumeVersion) -> bytes:
    limit = settings.RESUME_MAX_UPLOAD_BYTES
    try:
        data = storage.original_read(version.storage_path or "", limit=limit)
    except FileNotFoundError as error:
        raise StageFailed("The uploaded file is missing from storage; upload it again.") from error
    except OSError as error:
        raise StageFailed(
            "The uploaded file could not be read from storage; retry in a moment.",
            transient=True,
            failure=Failure.UNAVAILABLE,
        ) from error
    if len(data) > limit:
        raise StageFailed(f"The file is larger than {limit // (1024 * 1024)} MB.")
    return data


def _upload_work(version: ResumeVersion, user_id: UUID | str) -> Callable[[ResumeVersion], None]:
    """Check the stored file and decide its type from its bytes."""
    data = _read_original(version)
    try:
        # In the limited child: a damaged archive's reader error ends there, with a reason.
        kind = sniff_document(data, version.original_filename)
    except ParseFailed as failure:
        raise StageFailed.of(failure) from failure

    def store(locked: ResumeVersion) -> None:
        locked.file_type = kind
        locked.file_size_bytes = len(data)
        locked.save(update_fields=["file_type", "file_size_bytes"])

    return store


def _parse_work(version: ResumeVersion, user_id: UUID | str) -> Callable[[ResumeVersion], None]:
    """Text and structured extraction in the resource-limited child process."""
    data = _read_original(version)
    try:
        parsed = parse_document(data, version.file_type or "")
    except ParseFailed as failure:
        raise StageFailed.of(failure) from failure
    parsed.extraction.dropped += confine_all(parsed.extraction, parsed.raw)
    entities = entities_from_extraction(parsed.extraction)
    notes = f"{parsed.pages} page(s)"

    def store(locked: ResumeVersion) -> None:
        locked.raw_content = parsed.raw
        locked.structured_content = parsed.extraction.model_dump(mode="json")
        locked.save(update_fields=["raw_content", "structured_content"])
        # Replace, never add: a parse that runs twice leaves one set of entities.
        ParsedResumeEntity.objects.filter(resume_version=locked).delete()
        ParsedResumeEntity.objects.bulk_create(
            ParsedResumeEntity(
                resume_version=locked,
                entity_type=entity.entity_type,
                entity_data=entity.data.model_dump(mode="json"),
                extraction_confidence=entity.confidence,
                ai_model_used=parsed.model_label,
                extraction_notes=notes,
            )
            for entity in entities
        )

    return store


def _version_entities(version: ResumeVersion) -> list[Comparable]:
    return [
        comparable(row.data)
        for row in ParsedResumeEntity.objects.filter(resume_version=version).order_by("created_at")
    ]


def _profile_entities(user_id: UUID | str) -> list[Comparable]:
    return [
        profile_comparable(spec.entity_type, entity.content())
        for spec in ENTITY_SPECS
        for entity in spec.model.objects.for_user(user_id).current()
    ]


def _enrich_work(version: ResumeVersion, user_id: UUID | str) -> Callable[[ResumeVersion], None]:
    """Diffs against the stream's previous version and against the current profile."""
    with user_context(user_id):
        mine = _version_entities(version)
        previous = (
            ResumeVersion.objects.filter(
                stream_id=version.stream_id,
                version_number__lt=version.version_number,
                structured_content__isnull=False,
            )
            .order_by("-version_number")
            .first()
        )
        diffs: list[tuple[str, UUID, Differences, float]] = []
        if previous is not None:
            differences, similarity = compare(_version_entities(previous), mine)
            differences.text_changed = previous.raw_content != version.raw_content
            diffs.append(
                (ResumeDiff.ComparisonType.VERSION_TO_VERSION, previous.pk, differences, similarity)
            )
        differences, similarity = compare(_profile_entities(user_id), mine)
        diffs.append(
            (
                ResumeDiff.ComparisonType.VERSION_TO_PROFILE,
                UUID(str(user_id)),
                differences,
                similarity,
            )
        )

    def store(locked: ResumeVersion) -> None:
        for comparison_type, against, found, score in diffs:
            ResumeDiff.objects.update_or_create(
                resume_version=locked,
                comparison_type=comparison_type,
                defaults={
                    "compared_against_id": against,
                    "differences": found.model_dump(mode="json"),
                    "similarity_score": Decimal(str(score)),
                    "analysis_model": "rules-diff-1",
                },
            )

    return store


def _complete_work(version: ResumeVersion, user_id: UUID | str) -> Callable[[ResumeVersion], None]:
    """Hand the parsed entities to merge review.

    Every parsed entity gets a merge decision against the profile: new entities and exact
    duplicates are applied at once, near matches wait for the person (merges app).
    Proposing skips entities that already have a decision, so a re-run adds nothing.
    """

    def store(locked: ResumeVersion) -> None:
        decisions = resume_version_propose(version=locked, user_id=user_id)
        version_completed.send(sender=ResumeVersion, version_id=locked.pk, user_id=user_id)
        logger.info(
            "resume version complete",
            extra={
                "version_id": str(locked.pk),
                "entities": locked.parsed_entities.count(),
                "decisions": len(decisions),
            },
        )

    return store


def resume_version_propose(*, version: ResumeVersion, user_id: UUID | str) -> list[MergeDecision]:
    """Hand the version's parsed entities to merge review (safe to repeat: an entity that
    has a decision gets no second one)."""
    return merge_decisions_propose(
        user_id=user_id, origin=_origin(version), proposals=_proposals(version)
    )


def _origin(version: ResumeVersion) -> Origin:
    """The version as merge review names and links it."""
    return Origin(
        source_type=Source.UPLOAD,
        group_id=version.pk,
        label=f"{version.original_filename}, upload {version.version_number} of "
        f"“{version.stream.name}”",
        url=reverse("resume_version", kwargs={"version_id": version.pk}),
        text=version.raw_content or "",
        document_url=reverse("resume_version_download", kwargs={"version_id": version.pk}),
    )


def _proposals(version: ResumeVersion) -> list[Proposal]:
    return [
        Proposal(
            source_entity_id=row.pk,
            spec=spec_for_type(row.entity_type),
            data=row.data,
            confidence=row.extraction_confidence or Decimal("0"),
        )
        for row in ParsedResumeEntity.objects.filter(resume_version=version).order_by(
            "created_at", "id"
        )
    ]


STAGE_WORK: dict[Stage, Callable[[ResumeVersion, Any], Callable[[ResumeVersion], None]]] = {
    Stage.UPLOAD: _upload_work,
    Stage.PARSE: _parse_work,
    Stage.ENRICH: _enrich_work,
    Stage.COMPLETE: _complete_work,
}


def resume_pipeline_run_inline(*, version_id: UUID | str, user_id: UUID | str) -> None:
    """Run every remaining stage in this process (the CLI without a worker): the same
    claims and stage functions the Celery tasks use."""
    for stage in STAGES:
        try:
            resume_stage_run(
                version_id=version_id, stage=stage, user_id=user_id, enqueue_next=False
            )
        except StageFailed as failure:
            with user_context(user_id):
                resume_stage_fail(
                    version_id=version_id,
                    stage=stage,
                    message=f"{UNAVAILABLE} ({failure.message})"
                    if failure.failure == Failure.AI_UNAVAILABLE
                    else failure.message,
                    failure=failure.failure,
                )
            return


# -- Stuck work ------------------------------------------------------------------------------


def resume_versions_reconcile() -> int:
    """Re-enqueue the next stage of every version stuck in a non-terminal state.

    Runs in the system context (every user's versions). A version is stuck when it has not
    changed for ``RESUME_STAGE_LEASE_SECONDS`` (a lease ran out: its worker died), or waits
    in a pending stage (the hand-off to the broker failed). The
    re-enqueued task's claim decides whether the stage really may run again.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.RESUME_STAGE_LEASE_SECONDS)
    unqueued = now - timedelta(seconds=settings.RESUME_UNQUEUED_AFTER_SECONDS)
    # Stuck: unchanged for long (a lost task, a dead worker); or committed and waiting in a
    # pending stage for longer than any broker takes to deliver (the hand-off failed).
    candidates = (
        ResumeVersion.objects.unfinished()
        .filter(updated_at__lt=unqueued)
        .select_related("stream")
        .order_by("updated_at")[:500]
    )
    count = 0
    for version in candidates:
        stages = version.stages
        stage = next((n for n in STAGES if stages.get(n).status != StageStatus.COMPLETED), None)
        if stage is None:
            continue
        state = stages.get(stage)
        if version.updated_at >= stale and state.status != StageStatus.PENDING:
            continue  # in progress under a live lease: its worker is on it
        if state.status == StageStatus.PENDING and state.retry_at and state.retry_at > now:
            continue  # its task waits out a backoff: enqueueing now would cut it short
        _enqueue_on_commit(version, stage)
        count += 1
    if count:
        logger.warning("re-enqueued stuck resume versions", extra={"count": count})
    return count


# -- Renaming and deleting ---------------------------------------------------------------


class StreamNameTaken(ValueError):
    """Another of the user's streams has that name."""


def resume_stream_rename(
    *, user: User, stream: ResumeStream, name: str, description: str = ""
) -> ResumeStream:
    """Rename a stream (and set its description); raises ``StreamNameTaken``."""
    name = name.strip()
    if not name:
        raise ValueError("A stream needs a name.")
    with transaction.atomic():
        locked = ResumeStream.objects.select_for_update().get(pk=stream.pk, user=user)
        if ResumeStream.objects.filter(user=user, name=name).exclude(pk=locked.pk).exists():
            raise StreamNameTaken(f"You already have a stream called “{name}”.")
        locked.name = name
        locked.description = description.strip() or None
        locked.updated_at = timezone.now()
        locked.save(update_fields=["name", "description", "updated_at"])
    return locked


def _mark_source_removed(version: ResumeVersion, user: User) -> int:
    """Profile versions applied from ``version`` keep their history, saying the source is
    gone (no dead links to it); returns how many say so now."""
    url = reverse("resume_version", kwargs={"version_id": version.pk})
    count = 0
    for spec in ENTITY_SPECS:
        rows = spec.model.objects.for_user(user).filter(provenance__url=url)
        for row in rows:
            origin = row.origin
            if origin is None:
                continue
            removed = origin.model_copy(update={"url": "", "document_url": "", "removed": True})
            spec.model.objects.filter(pk=row.pk).update(provenance=removed.model_dump(mode="json"))
            count += 1
    return count


def resume_version_delete(*, user: User, version: ResumeVersion) -> int:
    """Delete a version with its file, parsed entities, diffs and waiting suggestions.

    What it added to the profile stays, with its history: those versions now say their
    source was removed. Returns the number of profile versions that say so.
    """
    with transaction.atomic():
        locked = ResumeVersion.objects.select_for_update().get(pk=version.pk, user=user)
        stream = ResumeStream.objects.select_for_update().get(pk=locked.stream_id)
        path = locked.storage_path or ""
        marked = _mark_source_removed(locked, user)
        MergeDecision.objects.for_user(user).filter(
            source_group_id=locked.pk, status="pending"
        ).delete()
        locked.delete()
        latest = stream.versions.order_by("-version_number").first()
        ResumeStream.objects.filter(pk=stream.pk).update(latest_version=latest, updated_at=Now())
        transaction.on_commit(lambda: _delete_files(path, locked.pk, user.pk))
    return marked


def resume_stream_delete(*, user: User, stream: ResumeStream) -> int:
    """Delete a stream and every version in it (see ``resume_version_delete``)."""
    marked = 0
    with transaction.atomic():
        locked = ResumeStream.objects.select_for_update().get(pk=stream.pk, user=user)
        for version in list(locked.versions.all()):
            marked += resume_version_delete(user=user, version=version)
        locked.delete()
    return marked


def _delete_files(path: str, version_id: UUID, user_id: UUID) -> None:
    storage.stored_delete(path)
    storage.stored_delete_tree(f"resumes/{user_id}/{version_id}")

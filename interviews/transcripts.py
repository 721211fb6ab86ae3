"""Transcript turns: stored in the vault, referenced from the partitioned table, read back
by their owner only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from careeros.db.rls import user_context
from careeros.vault.errors import VaultError
from careeros.vault.models import EncryptedData
from careeros.vault.services import vault_read, vault_read_many, vault_store
from interviews.models import (
    TRANSCRIPT_PURPOSE,
    InterviewSession,
    InterviewTranscript,
    Speaker,
)
from interviews.partitions import transcript_partition_ensure
from interviews.schemas import Finding, TurnFindings, UserTurn

# How a person's turn is sealed: its text and its findings, as JSON.
JSON = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Turn:
    """A turn as its owner reads it back; ``text`` is None once it expired."""

    id: Any
    speaker: str
    text: str | None
    created_at: datetime
    findings: list[Finding] = field(default_factory=list)

    @property
    def by_user(self) -> bool:
        return self.speaker == Speaker.USER


def transcript_turn_add(
    *,
    session: InterviewSession,
    speaker: Speaker,
    text: str,
    timestamp_ms: int | None = None,
    findings: list[Finding] | None = None,
    confidence: Any = None,
    created_at: datetime | None = None,
) -> InterviewTranscript:
    """Store one turn: its text (and, for the person's turns, what was read from it)
    encrypted in the vault, the row in its month's partition (made now if nobody made it
    yet), with a summary of the findings that holds no values. ``created_at`` defaults to
    now."""
    created_at = created_at or timezone.now()
    found = TurnFindings(items=findings or [])
    if speaker == Speaker.USER:
        sealed, content_type = UserTurn(text=text, findings=found.items).model_dump_json(), JSON
    else:
        sealed, content_type = text, None
    with transaction.atomic(), user_context(session.user_id):
        record = vault_store(
            user=session.user_id,
            purpose=TRANSCRIPT_PURPOSE,
            plaintext=sealed,
            content_type=content_type,
        )
        transcript_partition_ensure(created_at)
        return InterviewTranscript.objects.create(
            session=session,
            speaker=speaker,
            content=str(record.pk),
            is_encrypted=True,
            timestamp_ms=timestamp_ms,
            ai_extracted_entities=found.summary() or None,
            confidence_score=confidence,
            created_at=created_at,
        )


# Turns are stamped by the app's clock, sessions by the database's: this much skew between
# the two is tolerated when a session's turns are looked up by time.
CLOCK_SKEW = timedelta(hours=1)


def session_turns(session: InterviewSession) -> QuerySet[InterviewTranscript]:
    """The session's rows, bounded by its times so only its months' partitions are read."""
    rows = InterviewTranscript.objects.filter(
        session=session, created_at__gte=session.started_at - CLOCK_SKEW
    )
    if session.ended_at is not None:
        rows = rows.filter(created_at__lte=session.ended_at + CLOCK_SKEW)
    return rows.order_by("created_at", "id")


def transcript_turns(*, session: InterviewSession) -> list[Turn]:
    """The session's turns in order, decrypted (in its owner's context)."""
    with user_context(session.user_id):
        rows = list(session_turns(session))
        texts = _texts(session, rows)
    turns = []
    for row in rows:
        text: str | None = texts.get(row.content)
        findings: list[Finding] = []
        if text is not None and row.speaker == Speaker.USER:
            opened = UserTurn.model_validate_json(text)
            text, findings = opened.text, opened.findings
        turns.append(
            Turn(
                id=row.id,
                speaker=row.speaker,
                text=text,
                created_at=row.created_at,
                findings=findings,
            )
        )
    return turns


def _texts(session: InterviewSession, rows: list[InterviewTranscript]) -> dict[str, str]:
    refs = [row.content for row in rows]
    try:
        opened = vault_read_many(user=session.user_id, record_ids=refs, purpose=TRANSCRIPT_PURPOSE)
        return {str(key): str(value) for key, value in opened.items()}
    except VaultError:
        # Some turn expired (or its key is gone): read the others one by one.
        texts = {}
        for ref in refs:
            try:
                texts[ref] = str(
                    vault_read(user=session.user_id, record_id=ref, purpose=TRANSCRIPT_PURPOSE)
                )
            except (VaultError, EncryptedData.DoesNotExist):
                continue
        return texts


def transcript_vault_rows_delete(*, session: InterviewSession) -> int:
    """Delete the vault rows of the session's turns (before the session goes)."""
    with user_context(session.user_id):
        refs = list(
            InterviewTranscript.objects.filter(session=session).values_list("content", flat=True)
        )
        deleted, _ = EncryptedData.objects.filter(pk__in=refs).delete()
    return deleted

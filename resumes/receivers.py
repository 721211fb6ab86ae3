"""What became of the parsed entities: merge review tells, resumes records it.

``parsed_resume_entities.merge_decision_id`` and ``applied_to_profile`` are written only
here, from merges' ``decisions_settled`` (merges knows no source's tables).
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from careeros.db.versioning import Source
from merges.models import DecisionStatus, MergeDecision
from merges.sources import decisions_settled
from resumes.models import ParsedResumeEntity


@receiver(decisions_settled)
def parsed_entities_record_outcome(
    sender: object, *, decisions: list[MergeDecision], **kwargs: Any
) -> None:
    """Record each upload decision on its parsed entity (in the profile, or not yet)."""
    uploads = {d.source_entity_id: d for d in decisions if d.source_type == Source.UPLOAD}
    rows = list(ParsedResumeEntity.objects.filter(pk__in=uploads))
    for row in rows:
        decision = uploads[row.pk]
        row.merge_decision_id = decision.pk
        row.applied_to_profile = decision.status == DecisionStatus.APPLIED
    ParsedResumeEntity.objects.bulk_update(rows, ["merge_decision_id", "applied_to_profile"])

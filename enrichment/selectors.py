"""Reads of the enrichment tables and of the profile as enrichment sees it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from careeros.db.versioning import VersionedEntity
from enrichment.facts import Entry
from enrichment.models import (
    CareerEnrichment,
    CareerNarrative,
    EnrichmentJob,
    EntryEnrichment,
    ProposalStatus,
)
from enrichment.schemas import EntityRef
from profiles.entities import ENTITY_SPECS, spec_for_type


def entry_of(entity: VersionedEntity) -> Entry:
    spec_type = str(entity._meta.db_table)
    return Entry(
        ref=EntityRef(
            entity_type=spec_type,
            logical_entity_id=entity.logical_entity_id,
            version_id=entity.pk,
            label=str(entity),
        ),
        fields=entity.content(),
    )


def profile_entries(user_id: Any) -> list[Entry]:
    """Every current entity of the person's profile (in their RLS context), oldest first."""
    return [
        entry_of(entity)
        for spec in ENTITY_SPECS
        for entity in spec.model.objects.for_user(user_id).current().order_by("created_at", "id")
    ]


def jobs_for(user: Any) -> Any:
    return EnrichmentJob.objects.for_user(user)


def latest_enrichment(user: Any) -> CareerEnrichment | None:
    return CareerEnrichment.objects.for_user(user).order_by("-created_at").first()


def narratives_of(enrichment: CareerEnrichment | None) -> list[CareerNarrative]:
    if enrichment is None or enrichment.job_id is None:
        return []
    return list(
        CareerNarrative.objects.for_user(enrichment.user_id)
        .filter(job_id=enrichment.job_id)
        .order_by("time_period", "created_at")
    )


def proposals_for(user: Any) -> Any:
    return EntryEnrichment.objects.for_user(user).filter(status=ProposalStatus.PROPOSED)


def entity_url_args(ref: EntityRef) -> tuple[str, UUID] | None:
    """(slug, logical id) of the entity's history page, for links from a statement."""
    try:
        return spec_for_type(ref.entity_type).slug, ref.logical_entity_id
    except KeyError:
        return None

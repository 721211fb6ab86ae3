from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from enrichment.models import CareerEnrichment, CareerNarrative, EnrichmentJob, EntryEnrichment


class ReadOnlyAdmin(admin.ModelAdmin):
    """Operators inspect enrichment records; only the jobs and the person write them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(EnrichmentJob)
class EnrichmentJobAdmin(ReadOnlyAdmin):
    list_display = (
        "job_type",
        "status",
        "progress_percentage",
        "current_step",
        "attempts",
        "interruptions",
        "user",
        "queued_at",
        "completed_at",
    )
    list_filter = ("status", "job_type")
    list_select_related = ("user",)
    search_fields = ("user__email", "id")


@admin.register(CareerEnrichment)
class CareerEnrichmentAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "user", "ai_model_used", "confidence_score", "created_at")
    list_filter = ("ai_model_used",)
    list_select_related = ("user",)
    search_fields = ("user__email",)


@admin.register(CareerNarrative)
class CareerNarrativeAdmin(ReadOnlyAdmin):
    list_display = ("title", "narrative_type", "time_period", "relevance_score", "user")
    list_filter = ("narrative_type", "ai_model_used")
    list_select_related = ("user",)
    search_fields = ("user__email", "title")


@admin.register(EntryEnrichment)
class EntryEnrichmentAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "enrichment_type", "status", "confidence_score", "user")
    list_filter = ("enrichment_type", "status", "entity_type")
    list_select_related = ("user",)
    search_fields = ("user__email", "entity_id")

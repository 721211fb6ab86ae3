from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from resumes.models import ParsedResumeEntity, ResumeDiff, ResumeStream, ResumeVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    """Operators inspect the pipeline's records; only the pipeline writes them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ResumeStream)
class ResumeStreamAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "total_uploads", "updated_at")
    list_select_related = ("user",)
    search_fields = ("name", "user__email")


@admin.register(ResumeVersion)
class ResumeVersionAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        "processing_status",
        "current_stage",
        "processing_progress",
        "file_type",
        "created_at",
    )
    list_filter = ("processing_status", "current_stage", "file_type", "upload_source")
    list_select_related = ("stream",)
    search_fields = ("original_filename", "stream__name", "stream__user__email")
    exclude = ("raw_content",)


@admin.register(ParsedResumeEntity)
class ParsedResumeEntityAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "entity_type", "extraction_confidence", "ai_model_used")
    list_filter = ("entity_type", "ai_model_used", "applied_to_profile")


@admin.register(ResumeDiff)
class ResumeDiffAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "comparison_type", "similarity_score", "created_at")
    list_filter = ("comparison_type",)

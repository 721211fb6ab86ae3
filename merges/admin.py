from django.contrib import admin

from merges.models import MergeDecision


@admin.register(MergeDecision)
class MergeDecisionAdmin(admin.ModelAdmin):
    """Decisions as operators see them; people make and apply them on the review screen."""

    list_display = (
        "entity_type",
        "decision_type",
        "status",
        "confidence_score",
        "user",
        "source_label",
        "created_at",
    )
    list_filter = ("status", "decision_type", "entity_type")
    list_select_related = ("user",)
    search_fields = ("user__email", "source_entity_id", "target_entity_id")
    readonly_fields = [field.name for field in MergeDecision._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

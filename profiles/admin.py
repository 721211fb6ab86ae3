from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from careeros.db.versioning import VersionedEntity
from profiles.entities import ENTITY_SPECS
from profiles.models import Profile, User


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    readonly_fields = ("email", "created_at", "updated_at")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    class CreationForm(AdminUserCreationForm):
        class Meta:
            model = User
            fields = ("email",)

    class ChangeForm(UserChangeForm):
        class Meta:
            model = User
            fields = "__all__"

    add_form = CreationForm
    form = ChangeForm
    ordering = ("email",)
    list_display = ("email", "is_staff", "is_active", "date_joined", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "profile__full_name")
    readonly_fields = ("date_joined", "last_login")
    inlines = (ProfileInline,)
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("email", "full_name", "created_at", "updated_at")
    search_fields = ("email", "full_name")
    readonly_fields = ("user", "email", "created_at", "updated_at")


class VersionedEntityAdmin(admin.ModelAdmin):
    """Versions are read-only to operators: history is never rewritten, not even here.

    Each version's page lists the entity's whole history.
    """

    list_display = (
        "__str__",
        "user",
        "version",
        "is_current",
        "operation",
        "source",
        "source_confidence",
        "created_at",
    )
    list_filter = ("is_current", "source", "operation")
    list_select_related = ("user",)
    search_fields = ("user__email", "logical_entity_id")
    readonly_fields = ("history",)
    ordering = ("-created_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        model = self.model
        return (
            "user",
            "logical_entity_id",
            "version",
            "is_current",
            "operation",
            "source",
            "source_confidence",
            "change_reason",
            "created_at",
            *model.content_fields,
            "history",
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self.get_fields(request, obj)

    @admin.display(description="History")
    def history(self, obj: VersionedEntity) -> str:
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    version.version,
                    "current" if version.is_current else "",
                    version.get_operation_display(),
                    version.get_source_display() or "",
                    version.source_confidence,
                    version.change_reason,
                )
                for version in type(obj).objects.history(obj.logical_entity_id)
            ),
        )
        return format_html(
            "<table><tr><th>Version</th><th></th><th>Operation</th><th>Source</th>"
            "<th>Confidence</th><th>Reason</th></tr>{}</table>",
            rows,
        )


for _spec in ENTITY_SPECS:
    admin.site.register(_spec.model, VersionedEntityAdmin)

"""The operators' admin site: every admin view runs with the row level security bypass, and
every request to it leaves an audit row (``careeros.models.AdminAccess``)."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest

from careeros.db.rls import system_context


class OperatorAdminSite(admin.AdminSite):
    site_header = "CareerOS operations"
    site_title = "CareerOS admin"
    index_title = "Operations"

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        # AdminSite.admin_view checks that the user is active staff before it calls the
        # wrapped view, so only operators ever reach system_context() here.
        @wraps(view)
        def in_system_context(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            with system_context():
                response = view(request, *args, **kwargs)
                # Render inside the bypass: templates evaluate lazy querysets.
                render = getattr(response, "render", None)
                if render is not None and not getattr(response, "is_rendered", True):
                    response = render()
                _audit(request, kwargs, response.status_code)
                return response

        return super().admin_view(in_system_context, cacheable)


def _audit(request: HttpRequest, kwargs: dict[str, Any], status_code: int) -> None:
    """One audit row per admin request an operator makes (reads of user data included)."""
    match = request.resolver_match
    # Through the registry: this module is loaded with the app configs, before any model.
    apps.get_model("careeros", "AdminAccess").objects.create(
        operator_id=request.user.pk,
        operator_email=getattr(request.user, "email", "") or "",
        method=request.method or "",
        path=request.get_full_path()[:2000],
        view=match.view_name if match else "",
        object_id=str(kwargs.get("object_id", "")),
        status_code=status_code,
    )


class AdminAccessAdmin(admin.ModelAdmin):
    list_display = ("accessed_at", "operator_email", "method", "path", "status_code")
    list_filter = ("method",)
    search_fields = ("operator_email", "path", "object_id")
    ordering = ("-accessed_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OperatorAdminConfig(AdminConfig):
    default_site = "careeros.admin.OperatorAdminSite"

    def ready(self) -> None:
        super().ready()
        admin.site.register(apps.get_model("careeros", "AdminAccess"), AdminAccessAdmin)

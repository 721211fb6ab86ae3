"""The operators' admin site: every admin view runs with the row level security bypass."""

from __future__ import annotations

from functools import wraps
from typing import Any

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
                return response

        return super().admin_view(in_system_context, cacheable)


class OperatorAdminConfig(AdminConfig):
    default_site = "careeros.admin.OperatorAdminSite"

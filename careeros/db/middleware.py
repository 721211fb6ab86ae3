"""Every request runs in one transaction scoped to the signed-in user's rows."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from careeros.db.rls import user_context


class RowLevelSecurityMiddleware:
    """Open the request's transaction and set its user for row level security.

    The transaction covers the whole response, template rendering included, so lazy
    querysets evaluated by templates see the same rows as the view. Anonymous requests
    see no user-owned rows at all. The admin site widens this with ``system_context``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user
        with user_context(user.pk if user.is_authenticated else None):
            return self.get_response(request)

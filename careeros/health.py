"""``/healthz``: is this instance able to serve? Used by load balancers and operators.

Answered by a middleware at the top of the stack, before sessions, authentication and the
request's database transaction, so it works (and reports) while the database is down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return f"{type(error).__name__}: {error}".strip()
    return None


def _check_redis() -> str | None:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        return f"{type(error).__name__}: {error}".strip()
    finally:
        client.close()
    return None


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    problems = {"database": _check_database(), "redis": _check_redis()}
    checks = {name: ("ok" if problem is None else "down") for name, problem in problems.items()}
    healthy = all(problem is None for problem in problems.values())
    if not healthy:
        # Details go to the log, not to an unauthenticated caller.
        logger.warning("health check failed", extra={"problems": problems})
    body = {"status": "ok" if healthy else "down", "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503)


class HealthCheckMiddleware:
    path = "/healthz"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info == self.path:
            return healthz(request)
        return self.get_response(request)

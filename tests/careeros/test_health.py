"""``/healthz`` reports whether PostgreSQL and Redis answer."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from careeros.embedded import free_port


@pytest.mark.django_db
def test_healthy_when_database_and_redis_answer(client: Client) -> None:
    """Both services up: 200 and "ok" for each."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


@pytest.mark.django_db
def test_redis_down_gives_503_naming_redis(client: Client) -> None:
    """A Redis that does not answer makes the instance unhealthy, and says which part."""
    with override_settings(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "checks": {"database": "ok", "redis": "down"}}


def test_database_down_gives_503_naming_the_database(
    client: Client, django_db_blocker: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database that refuses connections makes the instance unhealthy, and says so."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        connection.close()
        monkeypatch.setitem(connection.settings_dict, "PORT", str(free_port()))
        try:
            response = client.get("/healthz")
        finally:
            monkeypatch.undo()
            connection.close()
    assert response.status_code == 503
    assert response.json() == {"status": "down", "checks": {"database": "down", "redis": "ok"}}
    assert response["Cache-Control"].startswith("max-age=0")

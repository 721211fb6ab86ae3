"""Celery: configured for safe redelivery, and a real worker consumes the real broker."""

from __future__ import annotations

from careeros.celery import app
from careeros.tasks import ping


def test_celery_configuration_is_safe_for_redelivery() -> None:
    """JSON only, late acks, time limits, and a visibility timeout above the hard limit."""
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.task_always_eager is False


def test_smoke_task_runs_on_a_real_worker(celery_worker_process: str) -> None:
    """The ping task goes through Redis to a separate worker process and back."""
    result = ping.delay("hello")
    reply = result.get(timeout=60)
    assert reply["payload"] == "hello"
    assert reply["worker_host"]
    assert result.successful()

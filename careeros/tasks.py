"""Infrastructure tasks."""

from __future__ import annotations

import socket

from celery import shared_task


@shared_task
def ping(payload: str = "ping") -> dict[str, str]:
    """Answer with the payload and the worker's host: proves a worker consumes the queue."""
    return {"payload": payload, "worker_host": socket.gethostname()}

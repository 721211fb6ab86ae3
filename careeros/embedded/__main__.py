"""``python -m careeros.embedded start|stop|status|env``: manage the embedded servers.

Works without Django settings, so the servers can be stopped without starting them.
``env`` starts what ``DATABASE_URL``/``REDIS_URL`` leave to the embedded servers and prints
shell ``export`` lines for them (``eval "$(python -m careeros.embedded env)"``).
"""

from __future__ import annotations

import argparse
import shlex
import sys

from careeros.embedded import default_data_dir, export_environment
from careeros.embedded.postgres import EmbeddedPostgres
from careeros.embedded.redis import EmbeddedRedis


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m careeros.embedded")
    parser.add_argument("action", choices=["start", "stop", "status", "env"])
    args = parser.parse_args(argv)
    data_dir = default_data_dir()
    if args.action == "env":
        for name, value in export_environment(data_dir).items():
            print(f"export {name}={shlex.quote(value)}")
        return 0
    servers: dict[str, EmbeddedPostgres | EmbeddedRedis] = {
        "PostgreSQL": EmbeddedPostgres(data_dir),
        "Redis": EmbeddedRedis(data_dir),
    }
    for name, server in servers.items():
        if args.action == "start":
            server.ensure_running()
            print(f"{name}: running (data in {data_dir})")
        elif args.action == "stop":
            stopped = server.stop()
            print(f"{name}: {'stopped' if stopped else 'was not running'}; data kept in {data_dir}")
        else:
            print(f"{name}: {'running' if server.is_running() else 'stopped'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

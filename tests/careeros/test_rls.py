"""Row level security: each user sees only their rows, in the app and in raw SQL."""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from careeros.db.rls import current_user_id, system_context, unprotected_tables, user_context
from careeros.db.roles import owner_connection
from profiles import services
from profiles.entities import ENTITY_SPECS
from profiles.models import Profile, User, WorkExperience
from profiles.tasks import row_level_security_probe
from tests.conftest import WEB_SERVER_APP_NAME
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def add_job(user: User, title: str = "Engineer", company: str = "Acme") -> WorkExperience:
    with user_context(user.pk):
        return services.entity_create(
            model=WorkExperience, user=user, fields={"title": title, "company": company}
        )


def scalar(sql: str, params: list[Any] | None = None) -> object:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def test_every_user_owned_table_has_forced_rls_with_a_policy() -> None:
    """The catalog check: no table with a user_id column (or profiles) lacks its policy."""
    assert unprotected_tables(connection) == []


@pytest.mark.django_db(transaction=True)
def test_the_catalog_check_finds_an_unprotected_table() -> None:
    """A new user table without RLS is reported: the check can fail."""
    with owner_connection() as owner, transaction.atomic(), owner.cursor() as cursor:
        cursor.execute("CREATE TABLE careless_notes (id int, user_id uuid)")
        assert "careless_notes" in unprotected_tables(owner)
        cursor.execute("ALTER TABLE careless_notes ENABLE ROW LEVEL SECURITY")
        # Enabled but not forced, and without a policy: still reported.
        assert "careless_notes" in unprotected_tables(owner)
        transaction.set_rollback(True)


@pytest.mark.django_db(transaction=True)
def test_the_catalog_check_finds_an_unprotected_partition() -> None:
    """A partition is read by its own name with its own policies only: one without them is
    reported even when its parent has them. (Partitions of a table owned through a parent,
    without a user_id, are covered in tests/interviews/test_partitions.py.)"""
    with owner_connection() as owner, transaction.atomic(), owner.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE careless_log (id int, user_id uuid, at date) PARTITION BY RANGE (at)"
        )
        cursor.execute(
            "CREATE POLICY careless_log_owner ON careless_log USING (true);"
            "ALTER TABLE careless_log ENABLE ROW LEVEL SECURITY;"
            "ALTER TABLE careless_log FORCE ROW LEVEL SECURITY;"
            "CREATE TABLE careless_log_1 PARTITION OF careless_log "
            "FOR VALUES FROM ('2020-01-01') TO ('2020-02-01')"
        )
        assert unprotected_tables(owner) == ["careless_log_1"]
        transaction.set_rollback(True)


def test_without_a_user_context_there_are_no_rows_and_no_error(user: User) -> None:
    add_job(user)
    assert scalar("SELECT count(*) FROM work_experience") == 0
    assert scalar("SELECT count(*) FROM profiles") == 0
    assert not Profile.objects.exists()
    with user_context(user.pk):
        assert scalar("SELECT count(*) FROM work_experience") == 1


def test_raw_sql_under_another_users_context_sees_and_changes_nothing(
    user: User, other_user: User
) -> None:
    """As the runtime role in other_user's context: 0 rows, no INSERT or UPDATE of user's."""
    job = add_job(user)
    with user_context(other_user.pk):
        assert scalar("SELECT current_user") == "careeros_app"
        assert scalar("SELECT count(*) FROM work_experience") == 0
        assert scalar("SELECT count(*) FROM profiles WHERE id = %s", [user.pk]) == 0
        with connection.cursor() as cursor:
            cursor.execute("UPDATE work_experience SET title = 'Hacked' WHERE id = %s", [job.pk])
            assert cursor.rowcount == 0
            cursor.execute("DELETE FROM profiles WHERE id = %s", [user.pk])
            assert cursor.rowcount == 0
        with (
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                "INSERT INTO work_experience (user_id, title, company) VALUES (%s, 'x', 'y')",
                [user.pk],
            )
        # Moving one's own row to someone else is refused by the policy's WITH CHECK.
        own = add_job(other_user)
        with (
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                "UPDATE work_experience SET user_id = %s WHERE id = %s", [user.pk, own.pk]
            )
    with user_context(user.pk):
        assert WorkExperience.objects.get(pk=job.pk).title == "Engineer"
        assert Profile.objects.filter(pk=user.pk).exists()


def test_user_context_nests_and_restores(user: User, other_user: User) -> None:
    add_job(user)
    with user_context(user.pk):
        with user_context(other_user.pk):
            assert WorkExperience.objects.count() == 0
        assert WorkExperience.objects.count() == 1
    assert scalar("SELECT app_current_user_id()") is None


@pytest.mark.django_db(transaction=True)
def test_an_outermost_user_context_ends_with_its_own_transaction() -> None:
    """Outside any transaction (a request, a task), the context lives and dies with the
    transaction it opens: nothing is left on the connection, after success or failure."""
    person = make_user()
    assert not connection.in_atomic_block
    with user_context(person.pk):
        assert current_user_id() == str(person.pk)
    assert current_user_id() is None
    with pytest.raises(RuntimeError), user_context(person.pk):
        raise RuntimeError("the block fails")
    assert current_user_id() is None


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_system_context_sees_every_users_rows_and_ends_with_its_block(
    user: User, other_user: User
) -> None:
    add_job(user)
    add_job(other_user)
    with system_context() as system, system.cursor() as cursor:
        cursor.execute("SELECT current_user, session_user")
        assert cursor.fetchone() == ("careeros_system", "careeros_system")
        assert WorkExperience.objects.count() == 2
        assert Profile.objects.count() == 2
    assert scalar("SELECT current_user") == "careeros_app"
    assert WorkExperience.objects.count() == 0


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_get_latest_entities_returns_only_the_callers_rows(user: User, other_user: User) -> None:
    """The seed's function no longer leaks another user's rows or accepts any table."""
    add_job(user, "Engineer")
    with user_context(user.pk), connection.cursor() as cursor:
        cursor.execute(
            "SELECT entity_data->>'title' FROM get_latest_entities(%s, %s)",
            [user.pk, "work_experience"],
        )
        assert cursor.fetchall() == [("Engineer",)]
    with user_context(other_user.pk), connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM get_latest_entities(%s, %s)", [user.pk, "work_experience"]
        )
        assert cursor.fetchone() == (0,)
    with system_context() as system, system.cursor() as cursor:
        # Not even the system role gets rows through it: it answers for the calling user.
        cursor.execute(
            "SELECT count(*) FROM get_latest_entities(%s, %s)", [user.pk, "work_experience"]
        )
        assert cursor.fetchone() == (0,)
    for table in ["users", "profiles", "work_experience; DROP TABLE users"]:
        with (
            pytest.raises(DatabaseError, match="not an entity type"),
            user_context(user.pk),
            connection.cursor() as cursor,
        ):
            cursor.execute("SELECT * FROM get_latest_entities(%s, %s)", [user.pk, table])


def test_get_latest_entities_is_not_security_definer() -> None:
    assert scalar("SELECT prosecdef FROM pg_proc WHERE proname = 'get_latest_entities'") is False


@pytest.mark.django_db(transaction=True)
def test_a_reused_connection_never_carries_one_users_context_to_the_next(
    client: Client, settings: object
) -> None:
    """Two users' requests in turn on one persistent connection each see only their own."""
    settings.DATABASES["default"]["CONN_MAX_AGE"] = None  # type: ignore[attr-defined]
    ada, grace = make_user(full_name="Ada Lovelace"), make_user(full_name="Grace Hopper")
    add_job(ada, "Analyst", "Engines Ltd")
    add_job(grace, "Admiral", "Navy")
    backend_pid = scalar("SELECT pg_backend_pid()")
    for person, own, foreign in [(ada, "Analyst", "Admiral"), (grace, "Admiral", "Analyst")]:
        client.force_login(person)
        page = client.get(reverse("dashboard")).content.decode()
        assert own in page
        assert foreign not in page
        client.logout()
        assert scalar("SELECT pg_backend_pid()") == backend_pid
        assert scalar("SELECT app_current_user_id()") is None
    anonymous = client.get(reverse("login"))
    assert anonymous.status_code == 200
    assert scalar("SELECT count(*) FROM work_experience") == 0


def gunicorn_backends() -> set[int]:
    """Backend pids of the web server's sessions on the test database that log in as this
    test does (its system login, and other processes' sessions, are not counted).

    Any role sees every session's pid, user and application name.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
            "AND usename = session_user AND application_name = %s",
            [WEB_SERVER_APP_NAME],
        )
        return {pid for (pid,) in cursor.fetchall()}


def http_get(url: str, session_key: str | None) -> tuple[int, str]:
    request = urllib.request.Request(url)  # noqa: S310 - the test's own loopback server
    if session_key:
        request.add_header("Cookie", f"{django_settings.SESSION_COOKIE_NAME}={session_key}")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@pytest.mark.django_db(transaction=True)
def test_a_persistent_connection_over_http_never_carries_one_users_context_to_the_next(
    web_server: str,
) -> None:
    """One gunicorn worker with the shipped connection settings serves two users (and
    anonymous requests, and refused ones) in turn on one database connection: each
    response shows only its own user's rows, and a refused request leaves nothing behind."""
    ada, grace = make_user(full_name="Ada Lovelace"), make_user(full_name="Grace Hopper")
    ada_job = add_job(ada, "Analyst", "Engines Ltd")
    grace_job = add_job(grace, "Admiral", "Navy")
    sessions = {}
    for person in (ada, grace):
        browser = Client()
        browser.force_login(person)
        sessions[person.pk] = browser.cookies[django_settings.SESSION_COOKIE_NAME].value
    kind = next(spec.slug for spec in ENTITY_SPECS if spec.model is WorkExperience)

    def history(job: WorkExperience) -> str:
        path = reverse("entity_history", kwargs={"kind": kind, "logical_id": job.logical_entity_id})
        return web_server + path

    backends: set[int] = set()
    for _ in range(4):
        for person, own, foreign, foreign_job in [
            (ada, "Analyst", "Admiral", grace_job),
            (grace, "Admiral", "Analyst", ada_job),
        ]:
            status, page = http_get(web_server + reverse("dashboard"), sessions[person.pk])
            assert status == 200
            assert own in page
            assert foreign not in page
            status, page = http_get(history(foreign_job), sessions[person.pk])
            assert status == 404
            assert foreign not in page
            status, page = http_get(web_server + reverse("merge_review"), None)
            assert status == 302  # signed out: sent to sign in, shown nothing
            assert own not in page
            backends |= gunicorn_backends()
    # Every request above ran on the one worker's one connection.
    assert len(backends) == 1


def test_templates_render_inside_the_requests_user_context(signed_in: Client, user: User) -> None:
    """The dashboard's lists are lazy querysets evaluated while the template renders."""
    add_job(user, "Lazy Evaluator")
    assert "Lazy Evaluator" in signed_in.get(reverse("dashboard")).content.decode()


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_operators_see_every_users_entities_in_the_admin(
    client: Client, user: User, other_user: User
) -> None:
    add_job(user, "Ada's job")
    add_job(other_user, "Grace's job")
    operator = User.objects.create_superuser("ops@example.com", "x-ops-password-1")
    client.force_login(operator)
    page = client.get(reverse("admin:profiles_workexperience_changelist")).content.decode()
    assert "Ada&#x27;s job" in page
    assert "Grace&#x27;s job" in page
    # A person without staff rights is sent to the admin sign-in, not shown the rows.
    client.force_login(user)
    response = client.get(reverse("admin:profiles_workexperience_changelist"))
    assert response.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_user_task_runs_in_its_users_context_on_a_real_worker(
    celery_worker_process: str,
) -> None:
    person = make_user()
    make_user()
    result = row_level_security_probe.delay(user_id=str(person.pk))
    assert result.get(timeout=60) == {"user_id": str(person.pk), "profiles_visible": 1}
    stranger = row_level_security_probe.delay(user_id=str(uuid.uuid4()))
    assert stranger.get(timeout=60)["profiles_visible"] == 0


def test_entity_tables_are_all_covered() -> None:
    tables = {spec.entity_type for spec in ENTITY_SPECS}
    assert tables == {"basics", "work_experience", "education", "skill", "project", "certification"}

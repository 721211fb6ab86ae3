"""Versioned entities: one current version, history never rewritten, safe under concurrency."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careeros.db.rls import user_context
from careeros.db.versioning import EntityRetired, Operation, Source, VersionConflict
from profiles import services
from profiles.models import Project, Skill, User, WorkExperience
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_create_revise_retire_revert_keep_every_version(user: User) -> None:
    with user_context(user.pk):
        job = services.entity_create(
            model=WorkExperience, user=user, fields={"title": "Engineer", "company": "Acme"}
        )
        services.entity_revise(
            model=WorkExperience,
            user=user,
            logical_entity_id=job.logical_entity_id,
            changes={"title": "Senior Engineer"},
            source=Source.UPLOAD,
            confidence=Decimal("0.87"),
            reason="From resume.pdf",
        )
        services.entity_retire(
            model=WorkExperience, user=user, logical_entity_id=job.logical_entity_id
        )
        assert not WorkExperience.objects.for_user(user).current().exists()
        with pytest.raises(EntityRetired):
            services.entity_revise(
                model=WorkExperience,
                user=user,
                logical_entity_id=job.logical_entity_id,
                changes={"title": "Ghost"},
            )
        back = services.entity_revert(
            model=WorkExperience, user=user, logical_entity_id=job.logical_entity_id, version=2
        )
        history = list(WorkExperience.objects.history(job.logical_entity_id))

    assert [(v.version, v.operation, v.is_current) for v in history] == [
        (1, "create", False),
        (2, "revise", False),
        (3, "retire", False),
        (4, "revert", True),
    ]
    assert [v.title for v in history] == [
        "Engineer",
        "Senior Engineer",
        "Senior Engineer",
        "Senior Engineer",
    ]
    assert history[1].source == "upload"
    assert history[1].source_confidence == Decimal("0.87")
    assert history[1].change_reason == "From resume.pdf"
    # A revert is the person's own act: a manual version naming the version it restored.
    assert (back.source, back.source_confidence) == ("manual", Decimal("1.00"))
    assert back.change_reason == "Restored version 2."


def test_a_stale_edit_is_refused_instead_of_overwriting(user: User) -> None:
    with user_context(user.pk):
        skill = services.entity_create(model=Skill, user=user, fields={"name": "Python"})
        services.entity_revise(
            model=Skill,
            user=user,
            logical_entity_id=skill.logical_entity_id,
            changes={"proficiency_level": "expert"},
            expected_version=1,
        )
        with pytest.raises(VersionConflict, match="changed since you opened it") as conflict:
            services.entity_revise(
                model=Skill,
                user=user,
                logical_entity_id=skill.logical_entity_id,
                changes={"proficiency_level": "beginner"},
                expected_version=1,
            )
        assert conflict.value.current.version == 2
        assert Skill.objects.current().get().proficiency_level == "expert"


def test_the_database_refuses_a_second_current_version(user: User) -> None:
    """The partial unique constraint holds even for code that bypasses write_version."""
    with user_context(user.pk):
        skill = services.entity_create(model=Skill, user=user, fields={"name": "Go"})
        with pytest.raises(IntegrityError, match="skill_one_current_version"), transaction.atomic():
            Skill.objects.create(
                user=user, logical_entity_id=skill.logical_entity_id, version=2, name="Go 2"
            )


def test_the_database_enforces_the_confidence_range(user: User) -> None:
    with (
        user_context(user.pk),
        pytest.raises(IntegrityError, match="source_confidence_check"),
        transaction.atomic(),
    ):
        Skill.objects.create(user=user, name="Rust", source_confidence=Decimal("1.50"))


@pytest.mark.django_db(transaction=True)
def test_as_of_returns_what_was_current_then() -> None:
    """Each write commits on its own here, so versions have distinct timestamps."""
    person = make_user()
    with user_context(person.pk):
        job = services.entity_create(
            model=WorkExperience, user=person, fields={"title": "Intern", "company": "Acme"}
        )
    after_create = timezone.now()
    with user_context(person.pk):
        services.entity_revise(
            model=WorkExperience,
            user=person,
            logical_entity_id=job.logical_entity_id,
            changes={"title": "Engineer"},
        )
    after_revise = timezone.now()
    with user_context(person.pk):
        services.entity_retire(
            model=WorkExperience, user=person, logical_entity_id=job.logical_entity_id
        )
    with user_context(person.pk):
        rows = WorkExperience.objects.for_user(person)
        assert list(rows.as_of(job.created_at - timedelta(seconds=1))) == []
        assert [v.title for v in rows.as_of(after_create)] == ["Intern"]
        assert [v.title for v in rows.as_of(after_revise)] == ["Engineer"]
        assert list(rows.as_of(timezone.now())) == []


def test_writes_need_known_fields(user: User) -> None:
    with user_context(user.pk), pytest.raises(ValueError, match="Not fields of Skill: salary"):
        services.entity_create(model=Skill, user=user, fields={"name": "SQL", "salary": 1})


def test_array_fields_round_trip(user: User) -> None:
    with user_context(user.pk):
        project = services.entity_create(
            model=Project,
            user=user,
            fields={
                "title": "CareerOS",
                "technologies": ["Django", "PostgreSQL"],
                "achievements": ["Shipped v1"],
            },
        )
        project.refresh_from_db()
    assert project.technologies == ["Django", "PostgreSQL"]


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(
            st.just("revise"),
            st.text(min_size=1, max_size=12).filter(lambda text: text.replace("\x00", "").strip()),
        ),
        st.tuples(st.just("retire"), st.none()),
        st.tuples(st.just("revert"), st.integers(min_value=1, max_value=30)),
    ),
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_any_sequence_of_writes_keeps_the_invariants(
    user: User, operations: list[tuple[str, object]]
) -> None:
    """Versions are 1..n without gaps, at most one is current, and no version ever changes."""
    with transaction.atomic(), user_context(user.pk):
        skill = services.entity_create(model=Skill, user=user, fields={"name": "Start"})
        key = skill.logical_entity_id
        seen: dict[int, tuple[str, str]] = {}
        for operation, argument in operations:
            latest = Skill.objects.history(key).last()
            assert latest is not None
            try:
                if operation == "revise":
                    services.entity_revise(
                        model=Skill,
                        user=user,
                        logical_entity_id=key,
                        changes={"name": str(argument)},
                    )
                elif operation == "retire":
                    services.entity_retire(model=Skill, user=user, logical_entity_id=key)
                else:
                    version = min(int(str(argument)), latest.version)
                    services.entity_revert(
                        model=Skill, user=user, logical_entity_id=key, version=version
                    )
            except EntityRetired:
                assert not latest.is_current
            history = list(Skill.objects.history(key))
            assert [v.version for v in history] == list(range(1, len(history) + 1))
            assert sum(v.is_current for v in history) <= 1
            assert history[-1].is_current == (history[-1].operation != Operation.RETIRE)
            for row in history:
                recorded = seen.setdefault(row.version, (row.name, row.operation))
                assert recorded == (row.name, row.operation)
                assert "\x00" not in row.name
        transaction.set_rollback(True)


@pytest.mark.django_db(transaction=True)
def test_concurrent_revisions_queue_and_lose_nothing() -> None:
    """Two transactions revise one entity at once: both changes land, one current version."""
    person = make_user()
    with user_context(person.pk):
        job = services.entity_create(
            model=WorkExperience, user=person, fields={"title": "Engineer", "company": "Acme"}
        )
    key = job.logical_entity_id
    first_locked = threading.Event()
    release_first = threading.Event()
    errors: list[BaseException] = []

    def revise(changes: dict[str, str], hold: bool) -> None:
        try:
            with user_context(person.pk):
                if hold:
                    # Take the lock the way write_version does, then wait for the second.
                    WorkExperience.objects.select_for_update().get(
                        logical_entity_id=key, is_current=True
                    )
                    first_locked.set()
                    release_first.wait(timeout=10)
                services.entity_revise(
                    model=WorkExperience, user=person, logical_entity_id=key, changes=changes
                )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    first = threading.Thread(target=revise, args=({"title": "Senior Engineer"}, True))
    second = threading.Thread(target=revise, args=({"location": "Berlin"}, False))
    first.start()
    assert first_locked.wait(timeout=10)
    second.start()
    # The second writer is now blocked on the first's row lock.
    second.join(timeout=1)
    assert second.is_alive()
    release_first.set()
    first.join(timeout=20)
    second.join(timeout=20)
    assert errors == []

    with user_context(person.pk):
        history = list(WorkExperience.objects.history(key))
    assert [v.version for v in history] == [1, 2, 3]
    assert [v.is_current for v in history] == [False, False, True]
    assert (history[-1].title, history[-1].location) == ("Senior Engineer", "Berlin")


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_writers_never_make_two_current_versions() -> None:
    person = make_user()
    with user_context(person.pk):
        skill = services.entity_create(model=Skill, user=person, fields={"name": "SQL"})
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def revise(n: int) -> None:
        try:
            barrier.wait(timeout=10)
            with user_context(person.pk):
                services.entity_revise(
                    model=Skill,
                    user=person,
                    logical_entity_id=skill.logical_entity_id,
                    changes={"context": f"writer {n}"},
                )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=revise, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    with user_context(person.pk):
        history = list(Skill.objects.history(skill.logical_entity_id))
    assert [v.version for v in history] == list(range(1, 8))
    assert sum(v.is_current for v in history) == 1
    assert {v.context for v in history[1:]} == {f"writer {n}" for n in range(6)}


def test_entities_belong_to_their_writer(user: User, other_user: User) -> None:
    with user_context(user.pk):
        job = services.entity_create(
            model=WorkExperience, user=user, fields={"title": "Engineer", "company": "Acme"}
        )
    with user_context(other_user.pk), pytest.raises(WorkExperience.DoesNotExist):
        services.entity_revise(
            model=WorkExperience,
            user=other_user,
            logical_entity_id=job.logical_entity_id,
            changes={"title": "Mine now"},
        )
    with user_context(other_user.pk), pytest.raises(WorkExperience.DoesNotExist):
        services.entity_retire(
            model=WorkExperience, user=other_user, logical_entity_id=uuid.uuid4()
        )

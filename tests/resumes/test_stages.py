"""Stages in-process: compare-and-set claims, idempotence, the reconciler, RLS and the
stage function, diffs."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from careeros.db.rls import system_context, unprotected_tables, user_context
from profiles.entities import SkillData, WorkExperienceData
from profiles.models import Skill, User
from profiles.services import entity_create
from resumes import services, tasks
from resumes.diffs import comparable, compare
from resumes.models import ParsedResumeEntity, ResumeDiff, ResumeStream, ResumeVersion
from resumes.schemas import STAGES, Failure, Stage, StageStatus
from tests.resumes import hostile
from tests.resumes.conftest import uploaded_version

pytestmark = pytest.mark.django_db(transaction=True)


def _checked(user: User) -> ResumeVersion:
    """A resume uploaded as ``user`` with its upload stage run: parse is next."""
    version = uploaded_version(user, hostile.plain_text().read_bytes())
    services.resume_stage_run(
        version_id=version.pk, stage=Stage.UPLOAD, user_id=user.pk, enqueue_next=False
    )
    return version


def _run_all(version: ResumeVersion, user: User) -> list[str]:
    return [
        services.resume_stage_run(
            version_id=version.pk, stage=stage, user_id=user.pk, enqueue_next=False
        )
        for stage in STAGES
    ]


def _reload(version: ResumeVersion) -> ResumeVersion:
    with system_context():
        return ResumeVersion.objects.get(pk=version.pk)


def _count(model: Any, user: User, version: ResumeVersion) -> int:
    with user_context(user.pk):
        return int(model.objects.filter(resume_version_id=version.pk).count())


def test_stages_run_in_order_and_a_second_run_changes_nothing(user: User, media_root: Path) -> None:
    """Each stage runs once; running every stage again is a no-op (claims are refused)."""
    version = uploaded_version(user, hostile.plain_text().read_bytes())
    assert _run_all(version, user) == ["completed"] * 4
    done = _reload(version)
    entities = _count(ParsedResumeEntity, user, version)
    assert entities > 0
    assert _run_all(version, user) == ["skipped"] * 4
    assert _reload(version).updated_at == done.updated_at
    assert _count(ParsedResumeEntity, user, version) == entities
    assert _count(ResumeDiff, user, version) == 1


def test_a_stage_cannot_start_before_the_previous_one(user: User, media_root: Path) -> None:
    """Parse is refused while upload has not completed."""
    version = uploaded_version(user)
    result = services.resume_stage_run(
        version_id=version.pk, stage=Stage.PARSE, user_id=user.pk, enqueue_next=False
    )
    assert result == "skipped"
    assert _reload(version).stages.get("parse").status == StageStatus.PENDING


def test_rerunning_parse_replaces_entities_instead_of_adding(user: User, media_root: Path) -> None:
    """A parse that runs again (a retry) leaves one set of parsed entities."""
    version = uploaded_version(user, hostile.plain_text().read_bytes())
    _run_all(version, user)
    before = _count(ParsedResumeEntity, user, version)
    with user_context(user.pk):
        locked = ResumeVersion.objects.get(pk=version.pk)
        locked.mark_stage(Stage.ENRICH, StageStatus.FAILED, error="boom")
        services.resume_version_retry(user=user, version=locked)
        # Retry from parse as if parse had failed.
        locked = ResumeVersion.objects.get(pk=version.pk)
        locked.mark_stage(Stage.PARSE, StageStatus.PENDING)
    for stage in (Stage.PARSE, Stage.ENRICH, Stage.COMPLETE):
        services.resume_stage_run(
            version_id=version.pk, stage=stage, user_id=user.pk, enqueue_next=False
        )
    assert _reload(version).processing_status == "completed"
    assert _count(ParsedResumeEntity, user, version) == before
    assert _count(ResumeDiff, user, version) == 1


def test_claim_is_compare_and_set_and_a_superseded_worker_stores_nothing(
    user: User, media_root: Path, settings: Any
) -> None:
    """A claimed stage is refused to others until its lease runs out; then the stale
    claimer's result is discarded."""
    version = _checked(user)
    with user_context(user.pk):
        first = services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE)
        assert first is not None
        assert services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE) is None
    with system_context():
        ResumeVersion.objects.filter(pk=version.pk).update(
            updated_at=F("updated_at") - timedelta(seconds=settings.RESUME_STAGE_LEASE_SECONDS + 1)
        )
    with user_context(user.pk):
        second = services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE)
    assert second is not None
    assert second.attempt == first.attempt + 1
    store_calls: list[int] = []
    with user_context(user.pk):
        outcome = services._finish(
            first, Stage.PARSE, lambda v: store_calls.append(1), enqueue_next=False
        )
    assert outcome == "superseded"
    assert store_calls == []


def test_reconciler_requeues_only_stuck_versions(
    user: User,
    media_root: Path,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Versions unchanged for longer than the timeout get their next stage enqueued."""
    stuck = uploaded_version(user, stream="A")
    fresh = uploaded_version(user, stream="B")
    done = uploaded_version(user, hostile.plain_text().read_bytes(), stream="C")
    _run_all(done, user)
    with system_context():
        ResumeVersion.objects.filter(pk__in=[stuck.pk, done.pk]).update(
            updated_at=F("updated_at") - timedelta(hours=1)
        )
    sent: list[tuple[str, str]] = []
    for stage, task in tasks.STAGE_TASKS.items():
        monkeypatch.setattr(
            task,
            "apply_async",
            lambda args, kwargs, stage=stage, **options: sent.append((stage, args[0])),
        )
    with django_capture_on_commit_callbacks(execute=True), system_context():
        assert services.resume_versions_reconcile() == 1
    assert sent == [("upload", str(stuck.pk))]
    assert fresh.pk not in [v for _, v in sent]


def test_beat_schedules_the_reconciler(settings: Any) -> None:
    """Celery beat runs the reconciler."""
    entry = settings.CELERY_BEAT_SCHEDULE["resumes-reconcile-stuck-versions"]
    assert entry["task"] == "resumes.tasks.resume_versions_reconcile"


def test_rls_hides_other_users_streams_versions_entities_and_diffs(
    user: User, other_user: User, media_root: Path
) -> None:
    """Another user's context sees none of the resume rows, and cannot write into them."""
    version = uploaded_version(user, hostile.plain_text().read_bytes())
    _run_all(version, user)
    with user_context(other_user.pk):
        assert not ResumeStream.objects.exists()
        assert not ResumeVersion.objects.exists()
        assert not ParsedResumeEntity.objects.exists()
        assert not ResumeDiff.objects.exists()
    with user_context(None):
        assert not ResumeVersion.objects.exists()
    with (
        pytest.raises(Exception, match="row-level security"),
        user_context(other_user.pk),
        transaction.atomic(),
    ):
        ResumeVersion.objects.create(
            stream_id=version.stream_id, version_number=99, original_filename="x"
        )
    assert unprotected_tables(connection) == []


def test_stage_function_runs_as_the_caller_so_rls_applies(
    user: User, other_user: User, media_root: Path
) -> None:
    """update_resume_processing_stage is SECURITY INVOKER: a stranger's call changes nothing."""
    version = uploaded_version(user, b"Ada")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT prosecdef FROM pg_proc WHERE proname = 'update_resume_processing_stage'"
        )
        assert cursor.fetchone() == (False,)
    with user_context(other_user.pk), connection.cursor() as cursor:
        cursor.execute(
            "SELECT update_resume_processing_stage(%s, 'upload', 'failed', 'hijacked', 100)",
            [version.pk],
        )
        assert cursor.fetchone() == (False,)
    assert _reload(version).processing_status == "pending"
    with (
        user_context(user.pk),
        connection.cursor() as cursor,
        pytest.raises(Exception, match="not a stage"),
        transaction.atomic(),
    ):
        cursor.execute(
            "SELECT update_resume_processing_stage(%s, 'upload; DROP', 'failed')", [version.pk]
        )


def test_version_to_profile_diff_sees_the_current_profile(user: User, media_root: Path) -> None:
    """Skills already in the profile are unchanged in the diff; the rest are added."""
    version = _checked(user)
    services.resume_stage_run(
        version_id=version.pk, stage=Stage.PARSE, user_id=user.pk, enqueue_next=False
    )
    with user_context(user.pk):
        skill = ParsedResumeEntity.objects.filter(
            resume_version_id=version.pk, entity_type="skill"
        ).first()
        assert skill is not None
        entity_create(model=Skill, user=user, fields={"name": skill.entity_data["name"]})
        total = ParsedResumeEntity.objects.filter(resume_version_id=version.pk).count()
    services.resume_stage_run(
        version_id=version.pk, stage=Stage.ENRICH, user_id=user.pk, enqueue_next=False
    )
    with user_context(user.pk):
        diff = ResumeDiff.objects.get(resume_version_id=version.pk)
    document = diff.document
    assert diff.comparison_type == "version_to_profile"
    assert diff.compared_against_id == user.pk
    assert len(document.added) + len(document.changed) + document.unchanged == total
    assert document.unchanged + len(document.changed) == 1
    assert 0 < float(diff.similarity_score or 0) < 1


def test_compare_reports_added_removed_and_changed_fields() -> None:
    """The differences document names entities and fields; similarity is 1 for identical sets."""
    old = [
        comparable(WorkExperienceData(title="Engineer", company="Acme", start_date="2020")),
        comparable(SkillData(name="Python")),
        comparable(SkillData(name="Perl")),
    ]
    new = [
        comparable(WorkExperienceData(title="Engineer", company="ACME", start_date="2021")),
        comparable(SkillData(name="Python")),
        comparable(SkillData(name="Go")),
    ]
    differences, similarity = compare(old, new)
    assert [e.label for e in differences.added] == ["Go"]
    assert [e.label for e in differences.removed] == ["Perl"]
    assert len(differences.changed) == 1
    assert [(f.field, f.before, f.after) for f in differences.changed[0].fields] == [
        ("start_date", "2020", "2021")
    ]
    assert differences.unchanged == 1
    assert 0 < similarity < 1
    assert compare(old, old) == (compare(old, old)[0], 1.0)
    assert compare([], [])[1] == 1.0


def test_a_working_stage_renews_its_lease_and_keeps_its_claim(
    user: User, media_root: Path, settings: Any
) -> None:
    """While the work runs past the lease, the renewals keep others off the stage; once the
    renewals stop, the lease runs out and the stage may be taken over."""
    settings.RESUME_STAGE_LEASE_SECONDS = 1.5
    version = _checked(user)
    with user_context(user.pk):
        claim = services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE)
    assert claim is not None
    with services._lease_renewed(claim, Stage.PARSE, user.pk):
        time.sleep(4)  # more than two leases
        with user_context(user.pk):
            assert services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE) is None
    time.sleep(2)  # no renewals now: the lease runs out
    with user_context(user.pk):
        taken = services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE)
    assert taken is not None
    assert taken.attempt == claim.attempt + 1


def test_a_stage_that_keeps_failing_transiently_ends_visible_not_pending(
    user: User, media_root: Path, settings: Any
) -> None:
    """Each transient failure within RESUME_STAGE_ATTEMPT_CAP leaves the stage pending with
    its retry due later; the last attempt ends it failed, typed "AI service unavailable"."""
    settings.RESUME_STAGE_ATTEMPT_CAP = 3
    version = _checked(user)
    rate_limited = services.StageFailed(
        "The AI service is rate limiting requests (429).",
        transient=True,
        failure=Failure.AI_UNAVAILABLE,
        retry_after="7",
    )
    with user_context(user.pk):
        for _ in range(settings.RESUME_STAGE_ATTEMPT_CAP - 1):
            claim = services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE)
            assert claim is not None
            assert services._release(claim, Stage.PARSE, rate_limited) is True
            pending = ResumeVersion.objects.get(pk=version.pk).stages.parse
            assert pending.status == StageStatus.PENDING
            assert pending.failure == Failure.AI_UNAVAILABLE
            assert rate_limited.countdown is not None
            assert 7 <= rate_limited.countdown <= 7.7  # the Retry-After, honoured
            assert pending.retry_at is not None
            assert pending.retry_at > timezone.now()
        claim = services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE)
        assert claim is not None
        assert services._release(claim, Stage.PARSE, rate_limited) is False
        assert services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE) is None
        ended = ResumeVersion.objects.get(pk=version.pk)
    assert ended.processing_status == "failed"
    assert ended.failure == Failure.AI_UNAVAILABLE
    assert ended.ai_unavailable
    assert ended.error is not None
    assert ended.error.startswith("The AI service is unavailable — retry later.")
    assert "429" in ended.error


def test_a_pending_stage_past_its_cap_is_not_claimed_again(
    user: User, media_root: Path, settings: Any
) -> None:
    """The reconciler's claim of a pending stage whose budget is spent fails it instead of
    calling the AI service once more."""
    version = _checked(user)
    with user_context(user.pk):
        for _ in range(2):
            claim = services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE)
            assert claim is not None
            failure = services.StageFailed(
                "The AI service failed (503).", transient=True, failure=Failure.AI_UNAVAILABLE
            )
            services._release(claim, Stage.PARSE, failure)
        settings.RESUME_STAGE_ATTEMPT_CAP = 2
        assert services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE) is None
        ended = ResumeVersion.objects.get(pk=version.pk)
    assert ended.ai_unavailable
    assert ended.stages.parse.attempts == 2
    assert "503" in (ended.error or "")


def test_the_reconciler_waits_out_a_pending_stages_backoff(
    user: User, media_root: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stage pending for a retry due later is not re-enqueued early (which would cut its
    backoff short); once due, it is."""
    settings.RESUME_UNQUEUED_AFTER_SECONDS = 0
    settings.PIPELINE_RETRY_BACKOFF_SECONDS = 60
    version = _checked(user)
    with user_context(user.pk):
        claim = services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE)
        assert claim is not None
        services._release(
            claim, Stage.PARSE, services.StageFailed("The AI service failed (502).", transient=True)
        )
    sent: list[str] = []
    monkeypatch.setattr(
        tasks.STAGE_TASKS[Stage.PARSE],
        "apply_async",
        lambda args, kwargs, **options: sent.append(args[0]),
    )
    with system_context():
        assert services.resume_versions_reconcile() == 0
    with user_context(user.pk):
        ResumeVersion.objects.get(pk=version.pk).mark_stage(
            Stage.PARSE,
            StageStatus.PENDING,
            error="The AI service failed (502).",
            retry_at=timezone.now() - timedelta(seconds=1),
        )
    with system_context():
        assert services.resume_versions_reconcile() == 1
    assert sent == [str(version.pk)]


def _rate_limited(version: ResumeVersion, user: User, *, times: int) -> None:
    """``times`` attempts at parsing, each meeting a 429: the stage is pending again."""
    failure = services.StageFailed(
        "The AI service is rate limiting requests (429).",
        transient=True,
        failure=Failure.AI_UNAVAILABLE,
    )
    with user_context(user.pk):
        for _ in range(times):
            claim = services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE)
            assert claim is not None
            assert services._release(claim, Stage.PARSE, failure) is True


def test_transient_failures_do_not_count_as_interruptions(
    user: User, media_root: Path, settings: Any, lapse: Callable[[], None]
) -> None:
    """Four 429s and then a lost worker: the takeover is the first interruption, not the
    "interrupted repeatedly" end; three lost workers in a row still end it so."""
    settings.RESUME_STAGE_ATTEMPT_CAP = 8  # room for all seven attempts
    version = _checked(user)
    _rate_limited(version, user, times=4)
    with user_context(user.pk):
        assert services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE) is not None
    for interruption in (1, 2):  # the worker dies; the next delivery takes the stage over
        lapse()
        with user_context(user.pk):
            taken = services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE)
        assert taken is not None
        state = _reload(version).stages.parse
        assert state.status == StageStatus.IN_PROGRESS
        assert state.interruptions == interruption
        assert state.attempts == 5 + interruption
    lapse()
    with user_context(user.pk):
        assert services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE) is None
    ended = _reload(version)
    assert ended.failure == Failure.INTERRUPTED
    assert ended.error == services.INTERRUPTED
    assert ended.stages.parse.interruptions == 2


def test_a_retry_forgets_the_interruptions(
    user: User, media_root: Path, lapse: Callable[[], None]
) -> None:
    """The Retry button starts the failed stage afresh: attempts and interruptions at 0."""
    version = _checked(user)
    for _ in range(3):
        with user_context(user.pk):
            services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE)
        lapse()
    with user_context(user.pk):
        assert services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE) is None
        failed = ResumeVersion.objects.get(pk=version.pk)
        assert failed.failure == Failure.INTERRUPTED
        services.resume_version_retry(user=user, version=failed)
    state = _reload(version).stages.parse
    assert (state.status, state.attempts, state.interruptions) == (StageStatus.PENDING, 0, 0)


def test_a_takeover_past_the_attempt_cap_ends_the_stage_instead(
    user: User, media_root: Path, settings: Any, lapse: Callable[[], None]
) -> None:
    """A 429, then lost workers: a takeover is an attempt of RESUME_STAGE_ATTEMPT_CAP like
    any other, so the one that would be past it ends the stage, typed interrupted and
    saying how many of its attempts were."""
    settings.RESUME_STAGE_ATTEMPT_CAP = 3
    version = _checked(user)
    _rate_limited(version, user, times=1)
    with user_context(user.pk):
        assert services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE) is not None
    lapse()  # the worker of attempt 2 dies; attempt 3 takes over
    with user_context(user.pk):
        assert services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE) is not None
    lapse()  # and its worker too
    with user_context(user.pk):
        assert services.resume_stage_claim(version_id=version.pk, stage=Stage.PARSE) is None
    ended = _reload(version)
    assert ended.processing_status == "failed"
    assert ended.failure == Failure.INTERRUPTED
    assert (ended.stages.parse.attempts, ended.stages.parse.interruptions) == (3, 1)
    assert ended.error == (
        f"{services.INTERRUPTED_OUT_OF_ATTEMPTS} (2 of its 3 attempts were interrupted)"
    )

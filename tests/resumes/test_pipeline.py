"""The whole pipeline through a real Celery worker and Redis, on the shared corpus."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from careeros.db.rls import system_context, user_context
from careeros.tasks import ping
from resumes.models import ParsedResumeEntity, ResumeDiff, ResumeStream, ResumeVersion
from resumes.schemas import Stage, StageStatus
from tests.resumes import hostile
from tests.resumes.conftest import upload, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def _version_of(response: Any) -> str:
    assert response.status_code == 302, response.content[:500]
    return str(response["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_upload_to_complete_on_a_real_worker(
    signed_in: Client, user: Any, pipeline_worker: str
) -> None:
    """A corpus PDF goes upload → parse → enrich → complete with entities and diffs stored."""
    response = upload(signed_in, [("cv.pdf", hostile.two_page_pdf().read_bytes())])
    version = wait_for(_version_of(response))
    assert version.processing_status == "completed", version.processing_stages
    assert version.processing_progress == 100
    assert version.file_type == "pdf"
    stages = version.stages
    for name in ("upload", "parse", "enrich", "complete"):
        state = stages.get(name)
        assert state.status == "completed"
        assert state.started_at is not None
        assert state.completed_at is not None
        assert state.started_at <= state.completed_at
    assert version.processing_started_at is not None
    assert version.processing_completed_at is not None
    assert version.raw_content
    assert "Experience" in version.raw_content
    assert version.extraction is not None
    assert version.extraction.work
    with user_context(user.pk):
        entities = list(ParsedResumeEntity.objects.filter(resume_version_id=version.pk))
        types = {entity.entity_type for entity in entities}
        diffs = list(ResumeDiff.objects.filter(resume_version_id=version.pk))
        stream = ResumeStream.objects.get()
    assert {"work_experience", "education", "skill"} <= types
    assert all(entity.ai_model_used == "rules-1" for entity in entities)
    work = next(entity for entity in entities if entity.entity_type == "work_experience")
    assert work.entity_data["title"]
    assert work.entity_data["evidence"]["title"]
    start, end = work.entity_data["evidence"]["title"][0]
    assert version.raw_content[start:end] == work.entity_data["title"]
    # Against an empty profile everything is new; there is no previous version.
    assert [diff.comparison_type for diff in diffs] == ["version_to_profile"]
    assert len(diffs[0].document.added) == len(entities)
    assert stream.total_uploads == 1
    assert stream.latest_version_id == version.pk

    page = signed_in.get(f"/resumes/versions/{version.pk}/")
    assert page.status_code == 200
    assert b"Compared with your profile" in page.content
    status = signed_in.get(f"/resumes/versions/{version.pk}/status_hx/")
    assert status.status_code == 286


def test_second_version_is_diffed_against_the_first(
    signed_in: Client, user: Any, pipeline_worker: str
) -> None:
    """Uploading a changed resume into the same stream records a version_to_version diff."""
    first = wait_for(
        _version_of(upload(signed_in, [("cv.txt", hostile.plain_text().read_bytes())]))
    )
    assert first.processing_status == "completed", first.processing_stages
    changed = hostile.plain_text().read_bytes().replace(b"Experience", b"Experience", 1)
    changed += b"\n\nCertifications\nAWS Certified Developer, Amazon Web Services, 2024\n"
    response = signed_in.post(
        "/resumes/upload/",
        {
            "documents": [SimpleUploadedFile("cv-2.txt", changed)],
            "stream": str(first.stream_id),
        },
    )
    second = wait_for(_version_of(response))
    assert second.processing_status == "completed", second.processing_stages
    assert second.version_number == 2
    with user_context(user.pk):
        diff = ResumeDiff.objects.get(
            resume_version_id=second.pk, comparison_type="version_to_version"
        )
        stream = ResumeStream.objects.get()
    assert diff.compared_against_id == first.pk
    assert diff.document.text_changed
    assert 0 < float(diff.similarity_score or 0) <= 1
    assert stream.total_uploads == 2
    assert stream.latest_version_id == second.pk


def test_several_files_in_one_upload(signed_in: Client, user: Any, pipeline_worker: str) -> None:
    """Several files become consecutive versions of one stream, and all complete."""
    response = upload(
        signed_in,
        [
            ("a.pdf", hostile.one_page_pdf().read_bytes()),
            ("b.txt", hostile.plain_text().read_bytes()),
            ("c.docx", hostile.docx_plain()),
        ],
    )
    assert response.status_code == 302
    with system_context():
        ids = list(ResumeVersion.objects.order_by("version_number").values_list("pk", flat=True))
    assert len(ids) == 3
    finished = [wait_for(version_id) for version_id in ids]
    assert [v.processing_status for v in finished] == ["completed"] * 3, [v.error for v in finished]
    assert [v.file_type for v in finished] == ["pdf", "txt", "docx"]


HOSTILE = {
    "pdf-inflation-bomb": (
        "bomb.pdf",
        hostile.pdf_inflation_bomb,
        "could not be read|memory|processing time|damaged",
    ),
    "docx-zip-bomb": ("bomb.docx", hostile.docx_zip_bomb, "zip bomb"),
    "docx-external-entity": ("xxe.docx", hostile.docx_with_external_entity, "DOCTYPE"),
    # The zip directory understates a part's size: its CRC check fails when it is read.
    "docx-understated-size": ("damaged.docx", hostile.docx_understated_size, "damaged.*Bad CRC"),
    "encrypted-pdf": ("locked.pdf", hostile.pdf_encrypted, "password-protected"),
    "executable-named-pdf": ("resume.pdf", hostile.executable, "Windows program"),
    "empty-file": ("empty.pdf", lambda: b"", "empty"),
    "pdf-without-text": ("scan.pdf", hostile.pdf_without_text, "no text layer"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_file_fails_cleanly_and_the_worker_survives(
    case: str, signed_in: Client, user: Any, pipeline_worker: str
) -> None:
    """Each hostile file ends its version failed with its message; the worker still works."""
    import re

    name, build, message = HOSTILE[case]
    content = build()
    version = wait_for(_version_of(upload(signed_in, [(name, content)])))
    assert version.processing_status == "failed", version.processing_stages
    assert version.error is not None
    assert re.search(message, version.error, re.IGNORECASE), version.error
    assert version.processing_completed_at is not None
    with user_context(user.pk):
        assert not ParsedResumeEntity.objects.filter(resume_version_id=version.pk).exists()
    # The original is kept, and the worker answers.
    download = signed_in.get(f"/resumes/versions/{version.pk}/file/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content  # type: ignore[attr-defined]
    download.close()
    assert ping.delay("alive").get(timeout=30)["payload"] == "alive"
    assert signed_in.get(f"/resumes/versions/{version.pk}/status_hx/").status_code == 286


def test_failed_version_is_retried_from_the_ui(
    signed_in: Client, user: Any, pipeline_worker: str, settings: Any
) -> None:
    """Retry restarts a failed version from its failed stage, and it can then complete."""
    version = wait_for(
        _version_of(upload(signed_in, [("cv.pdf", hostile.one_page_pdf().read_bytes())]))
    )
    assert version.processing_status == "completed"
    # Fail it at enrich as a crashed dependency would, then retry.
    with user_context(user.pk):
        locked = ResumeVersion.objects.get(pk=version.pk)
        locked.mark_stage(Stage.ENRICH, StageStatus.FAILED, error="The profile could not be read.")
    response = signed_in.post(f"/resumes/versions/{version.pk}/retry/")
    assert response.status_code == 302
    retried = wait_for(version.pk)
    assert retried.processing_status == "completed", retried.processing_stages
    assert retried.stages.get("enrich").error is None
    with user_context(user.pk):
        assert ResumeDiff.objects.filter(resume_version_id=version.pk).count() == 1

"""Upload, stream and version pages: size cap, polling status, downloads, and isolation."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from careeros.db.rls import user_context
from profiles.models import User
from resumes import services
from resumes.models import ResumeStream, ResumeVersion
from resumes.schemas import Failure, Stage, StageStatus
from tests.resumes import hostile
from tests.resumes.conftest import upload, uploaded_version

HX = {"HX-Request": "true"}


def _post(
    client: Client,
    files: list[tuple[str, bytes]],
    data: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Any:
    """POST files to the upload view with no stream named, with the client's own options."""
    documents = [SimpleUploadedFile(name, content) for name, content in files]
    return client.post("/resumes/upload/", {"documents": documents, **(data or {})}, **kwargs)


@pytest.mark.django_db
def test_upload_page_offers_streams_and_drag_and_drop(signed_in: Client, user: User) -> None:
    """The upload page lists the user's own streams and has the drop zone."""
    uploaded_version(user)
    response = signed_in.get("/resumes/upload/")
    assert response.status_code == 200
    assert b"data-dropzone" in response.content
    assert b"multiple" in response.content
    assert b">Main<" in response.content


@pytest.mark.django_db
def test_upload_keeps_the_original_and_creates_the_version(
    signed_in: Client, user: User, media_root: Path
) -> None:
    """A file becomes version 1 of a new stream; the original is stored under the user's id."""
    response = upload(signed_in, [("My CV.pdf", hostile.one_page_pdf().read_bytes())])
    assert response.status_code == 302
    with user_context(user.pk):
        version = ResumeVersion.objects.select_related("stream").get()
    assert response["Location"] == f"/resumes/versions/{version.pk}/"
    assert version.version_number == 1
    assert version.stream.name == "Backend roles"
    assert version.stream.total_uploads == 1
    assert version.processing_status == "pending"
    assert version.stages.get("upload").status == StageStatus.PENDING
    stored = media_root / (version.storage_path or "")
    assert stored.read_bytes() == hostile.one_page_pdf().read_bytes()
    assert str(user.pk) in (version.storage_path or "")


@pytest.mark.django_db
def test_upload_into_an_existing_stream_numbers_versions(
    signed_in: Client, user: User, media_root: Path
) -> None:
    """Files uploaded into a chosen stream get the next version numbers."""
    first = uploaded_version(user)
    response = signed_in.post(
        "/resumes/upload/",
        {
            "documents": [SimpleUploadedFile("a.txt", b"one"), SimpleUploadedFile("b.txt", b"two")],
            "stream": str(first.stream_id),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/resumes/streams/{first.stream_id}/"
    with user_context(user.pk):
        stream = ResumeStream.objects.get()
        numbers = list(
            stream.versions.order_by("version_number").values_list("version_number", flat=True)
        )
        latest = stream.versions.get(version_number=3)
    assert numbers == [1, 2, 3]
    assert stream.total_uploads == 3
    assert stream.latest_version_id == latest.pk


@pytest.mark.django_db
def test_a_first_upload_needs_no_stream_name(
    signed_in: Client, user: User, media_root: Path
) -> None:
    """Without a chosen stream or a name, files go to the default stream, made once."""
    page = signed_in.get("/resumes/upload/").content.decode()
    assert "Name this stream (optional)" in page
    assert 'name="stream"' not in page  # nothing to choose between yet
    assert upload(signed_in, [("a.txt", b"text")], stream="").status_code == 302
    assert upload(signed_in, [("b.txt", b"text")], stream="").status_code == 302
    with user_context(user.pk):
        assert list(ResumeStream.objects.values_list("name", "total_uploads")) == [("My resume", 2)]


@pytest.mark.django_db
def test_a_later_upload_goes_where_the_last_one_went(signed_in: Client, user: User) -> None:
    """With streams, the form preselects the most recently updated one."""
    first = uploaded_version(user)
    page = signed_in.get("/resumes/upload/").content.decode()
    assert f'<option value="{first.stream_id}" selected>' in page


@pytest.mark.django_db
def test_an_error_from_the_pages_script_answers_with_the_problems_only(
    signed_in: Client, user: User, other_user: User, media_root: Path
) -> None:
    """Posted by the page's script, a bad upload gets back only the list of problems, so the
    form in the browser keeps its chosen files and stream."""
    theirs = uploaded_version(other_user)
    response = signed_in.post(
        "/resumes/upload/",
        {"documents": [SimpleUploadedFile("a.txt", b"text")], "stream": str(theirs.stream_id)},
        headers=HX,
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert page.lstrip().startswith('<div id="upload-problems"')
    assert "Select a valid choice" in page
    assert "<form" not in page


@pytest.mark.django_db
def test_a_successful_upload_from_the_script_is_told_where_to_go(
    signed_in: Client, user: User, media_root: Path
) -> None:
    """The script's upload gets 204 and the page to open next (the stream, for several files)."""
    response = _post(signed_in, [("a.txt", b"one"), ("b.txt", b"two")], headers=HX)
    assert response.status_code == 204
    with user_context(user.pk):
        stream = ResumeStream.objects.get()
    assert response["HX-Redirect"] == f"/resumes/streams/{stream.pk}/"


@pytest.mark.django_db
def test_an_oversized_file_is_refused_alone_while_the_rest_upload(
    signed_in: Client, user: User, settings: Any, media_root: Path
) -> None:
    """One file over the cap is left out and named; the other files of the batch upload."""
    settings.RESUME_MAX_UPLOAD_BYTES = 100 * 1024
    files = [("small.txt", b"Ada Lovelace"), ("big.pdf", b"%PDF-1.7\n" + b"0" * (300 * 1024))]
    response = _post(signed_in, files, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "big.pdf is too large to upload: a file may be at most 100\xa0KB" in page
    with user_context(user.pk):
        assert list(ResumeVersion.objects.values_list("original_filename", flat=True)) == [
            "small.txt"
        ]
    assert not any(media_root.rglob("*.pdf"))


@pytest.mark.django_db
def test_files_the_script_left_out_are_named_after_the_upload(
    signed_in: Client, user: User, media_root: Path
) -> None:
    """Files the page's script did not send for their size are named on the next page."""
    response = _post(signed_in, [("a.txt", b"one")], {"left_out": ["huge.pdf"]}, follow=True)
    assert "huge.pdf is too large to upload" in response.content.decode()


@pytest.mark.django_db
def test_another_users_stream_cannot_be_chosen(
    signed_in: Client, user: User, other_user: User, media_root: Path
) -> None:
    """Posting another user's stream id is a form error, and nothing is stored."""
    theirs = uploaded_version(other_user)
    response = signed_in.post(
        "/resumes/upload/",
        {"documents": [SimpleUploadedFile("a.txt", b"text")], "stream": str(theirs.stream_id)},
    )
    assert response.status_code == 422
    with user_context(user.pk):
        assert not ResumeVersion.objects.exists()


@pytest.mark.django_db
def test_oversized_file_is_refused_while_streaming(
    signed_in: Client, user: User, settings: Any, media_root: Path
) -> None:
    """A file over the cap stops the upload at the first chunk past it; nothing is stored."""
    settings.RESUME_MAX_UPLOAD_BYTES = 100 * 1024
    response = upload(signed_in, [("big.pdf", b"%PDF-1.7\n" + b"0" * (300 * 1024))])
    assert response.status_code == 413
    assert b"too large" in response.content
    with user_context(user.pk):
        assert not ResumeVersion.objects.exists()
    assert not any(media_root.rglob("*.pdf"))


@pytest.mark.django_db
def test_oversized_request_is_refused_from_its_content_length(
    signed_in: Client, user: User, settings: Any, media_root: Path
) -> None:
    """A declared Content-Length over the cap is refused before the body is read."""
    settings.RESUME_MAX_UPLOAD_BYTES = 10 * 1024
    settings.RESUME_MAX_REQUEST_BYTES = 20 * 1024
    files = [(f"{n}.txt", b"x" * 9 * 1024) for n in range(12)]  # each under, together over
    response = upload(signed_in, files)
    assert response.status_code == 413
    assert "all files together may be at most" in response.content.decode()
    with user_context(user.pk):
        assert not ResumeVersion.objects.exists()


@pytest.mark.django_db
def test_one_request_cannot_store_more_than_the_request_cap(
    signed_in: Client, user: User, settings: Any, media_root: Path
) -> None:
    """Ten files each under the file cap, together over the request cap: nothing stored,
    even when the body streams without a truthful Content-Length (cut at the first chunk)."""
    settings.RESUME_MAX_UPLOAD_BYTES = 400 * 1024
    settings.RESUME_MAX_REQUEST_BYTES = 1024 * 1024
    files = [(f"{n}.txt", b"Ada Lovelace " * 30_000) for n in range(10)]  # ~390 KB each
    response = upload(signed_in, files)
    assert response.status_code == 413
    with user_context(user.pk):
        assert not ResumeVersion.objects.exists()
    assert not any(media_root.rglob("*.txt"))


@pytest.mark.django_db
def test_the_storage_quota_is_enforced_before_the_body_is_stored(
    signed_in: Client, user: User, other_user: User, settings: Any, media_root: Path
) -> None:
    """Past a person's quota an upload is refused with what to do; another person's usage
    counts for them only."""
    content = b"Ada Lovelace\nAnalyst\n" * 1000  # 21 KB
    settings.RESUME_STORAGE_QUOTA_BYTES = 2 * len(content) + 1000
    uploaded_version(other_user, content=content * 3)  # over the quota, but someone else's
    assert upload(signed_in, [("one.txt", content)]).status_code == 302
    assert upload(signed_in, [("two.txt", content)]).status_code == 302
    response = upload(signed_in, [("three.txt", content)])
    assert response.status_code == 413
    assert "Your resume storage is full" in response.content.decode()
    with user_context(user.pk):
        assert ResumeVersion.objects.count() == 2
    assert not any(media_root.rglob("three.txt"))


@pytest.mark.django_db
def test_status_partial_polls_until_terminal(signed_in: Client, user: User) -> None:
    """The status partial answers 200 while processing and 286 (stop polling) when done."""
    version = uploaded_version(user)
    response = signed_in.get(
        f"/resumes/versions/{version.pk}/status_hx/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert b'hx-trigger="every 1s"' in response.content
    with user_context(user.pk):
        version.mark_stage(Stage.UPLOAD, StageStatus.FAILED, error="The file is empty.")
    response = signed_in.get(
        f"/resumes/versions/{version.pk}/status_hx/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 286
    assert response["HX-Refresh"] == "true"
    page = signed_in.get(f"/resumes/versions/{version.pk}/")
    assert b"The file is empty." in page.content
    assert b"Retry" in page.content
    assert b"hx-trigger" not in page.content


@pytest.mark.django_db
def test_download_returns_the_original(signed_in: Client, user: User, media_root: Path) -> None:
    """The owner downloads the original bytes under the original name."""
    version = uploaded_version(user, content=b"original bytes")
    response = signed_in.get(f"/resumes/versions/{version.pk}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"original bytes"  # type: ignore[attr-defined]
    assert 'filename="cv.txt"' in response["Content-Disposition"]
    response.close()


@pytest.mark.django_db
def test_retry_refuses_a_version_that_did_not_fail(signed_in: Client, user: User) -> None:
    """Only failed versions can be retried."""
    version = uploaded_version(user)
    response = signed_in.post(f"/resumes/versions/{version.pk}/retry/", follow=True)
    assert b"Only a failed version can be retried." in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/resumes/streams/{stream}/"),
        ("get", "/resumes/versions/{version}/"),
        ("get", "/resumes/versions/{version}/status_hx/"),
        ("get", "/resumes/versions/{version}/file/"),
        ("post", "/resumes/versions/{version}/retry/"),
    ],
)
def test_second_user_gets_404(
    client: Client, user: User, other_user: User, media_root: Path, method: str, path: str
) -> None:
    """Another user can neither see, poll, download nor retry someone's versions."""
    version = uploaded_version(user)
    with user_context(user.pk):
        version.mark_stage(Stage.PARSE, StageStatus.FAILED, error="x")
    client.force_login(other_user)
    url = path.format(stream=version.stream_id, version=version.pk)
    assert getattr(client, method)(url).status_code == 404
    client.force_login(user)
    response = getattr(client, method)(url)
    assert response.status_code in (200, 286, 302)
    response.close()


@pytest.mark.django_db
def test_index_and_dashboard_list_only_own_streams(
    signed_in: Client, user: User, other_user: User
) -> None:
    """The resume list and the dashboard card show the user's streams, not others'."""
    uploaded_version(user)
    with user_context(other_user.pk):
        services.resume_stream_create(user=other_user, name="Secret plans")
    assert b"/resumes/dashboard_card_hx/" in signed_in.get("/").content
    for url in ("/resumes/", "/resumes/dashboard_card_hx/"):
        response = signed_in.get(url)
        assert response.status_code == 200
        assert b"Main" in response.content
        assert b"Secret plans" not in response.content


@pytest.mark.django_db
def test_storage_path_never_uses_the_name_as_a_path(user: User, media_root: Path) -> None:
    """Directory parts and dot names in the uploaded name cannot escape the version's folder."""
    from resumes.storage import original_path

    for name in ("../../etc/passwd", "..", "C:\\\\evil\\\\cv.pdf", ""):
        path = original_path(user_id=user.pk, version_id=user.pk, filename=name)
        assert path.startswith(f"resumes/{user.pk}/{user.pk}/")
        assert ".." not in path.split("/")


def _csrf_client(user: User, page: str) -> tuple[Client, str]:
    """A client that checks CSRF, signed in as ``user``, and the token ``page`` gives htmx."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    found = re.search(r"<body hx-headers='([^']+)'", client.get(page).content.decode())
    assert found is not None
    return client, json.loads(found.group(1))["X-CSRFToken"]


@pytest.mark.django_db
def test_ai_unavailable_is_its_own_state_with_an_htmx_retry_for_the_owner_only(
    user: User,
    other_user: User,
    media_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A version whose AI budget ran out says "The AI service is unavailable — retry later"
    (not a file error); its Retry is an htmx POST that needs the CSRF token, gives a second
    user 404 without touching it, and for the owner re-queues the failed stage."""
    version = uploaded_version(user)
    with user_context(user.pk):
        version.mark_stage(Stage.UPLOAD, StageStatus.COMPLETED)
        version.mark_stage(
            Stage.PARSE,
            StageStatus.FAILED,
            error=f"{services.UNAVAILABLE} (The AI service is rate limiting requests (429).)",
            failure=Failure.AI_UNAVAILABLE,
        )
    page = f"/resumes/versions/{version.pk}/"
    retry = f"/resumes/versions/{version.pk}/retry/"
    owner, token = _csrf_client(user, page)
    html = owner.get(page).content.decode()
    assert "The AI service is unavailable — retry later" in html
    assert "This file could not be read" not in html
    assert "took too long" not in html
    assert f'hx-post="{retry}"' in html

    stranger, stranger_token = _csrf_client(other_user, "/resumes/")
    refused = stranger.post(retry, headers={"X-CSRFToken": stranger_token, **HX})
    assert refused.status_code == 404
    assert owner.post(retry, headers=HX).status_code == 403  # no CSRF token
    with user_context(user.pk):
        assert ResumeVersion.objects.get(pk=version.pk).ai_unavailable

    with django_capture_on_commit_callbacks() as enqueued:
        response = owner.post(retry, headers={"X-CSRFToken": token, **HX})
    assert response.status_code == 200
    partial = response.content.decode()
    assert 'id="version-status"' in partial
    assert "<html" not in partial
    assert 'hx-trigger="every 1s"' in partial  # polls the new run
    assert len(enqueued) == 1
    with user_context(user.pk):
        again = ResumeVersion.objects.get(pk=version.pk)
    assert again.processing_status == "pending"
    assert again.stages.parse.status == StageStatus.PENDING
    assert again.stages.parse.attempts == 0
    assert again.failure is None


@pytest.mark.django_db
def test_each_failure_kind_has_its_own_headline(signed_in: Client, user: User) -> None:
    """A file that took too long and a file that cannot be read are not "AI unavailable"."""
    for failure, words in [
        (Failure.TOO_LONG, "This file took too long to read"),
        (Failure.PERMANENT, "This file could not be read"),
    ]:
        version = uploaded_version(user)
        with user_context(user.pk):
            version.mark_stage(Stage.UPLOAD, StageStatus.FAILED, error="x", failure=failure)
        html = signed_in.get(f"/resumes/versions/{version.pk}/").content.decode()
        assert words in html
        assert "The AI service is unavailable" not in html

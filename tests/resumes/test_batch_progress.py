"""A batch of uploads followed live: one polled request for all its versions, 286 when done."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from careeros.db.rls import user_context
from merges.models import MergeDecision
from profiles.models import User
from resumes.models import ResumeStream, ResumeVersion
from resumes.schemas import Stage, StageStatus
from resumes.selectors import BATCH_SESSION_KEY

pytestmark = pytest.mark.django_db
MERGES = Path(__file__).resolve().parent.parent / "merges"
HX = {"HX-Request": "true"}


def upload_batch(client: Client, user: User, count: int) -> ResumeStream:
    files = [SimpleUploadedFile(f"cv-{n}.txt", b"Ada Lovelace\nAnalyst") for n in range(count)]
    response = client.post("/resumes/upload/", {"documents": files})
    assert response.status_code == 302
    with user_context(user.pk):
        return ResumeStream.objects.get()


def finish(user: User, *, failed: int = 0) -> None:
    with user_context(user.pk):
        for n, version in enumerate(ResumeVersion.objects.order_by("version_number")):
            if n < failed:
                version.mark_stage(Stage.UPLOAD, StageStatus.FAILED, error="The file is empty.")
            else:
                version.mark_stage(Stage.COMPLETE, StageStatus.COMPLETED)


def test_the_stream_page_polls_the_whole_batch_until_every_file_is_read(
    signed_in: Client, user: User, media_root: Path
) -> None:
    """While files are read the stream page polls one URL for all of them; once all are read
    that URL answers 286 (stop) with the final counts."""
    stream = upload_batch(signed_in, user, 3)
    status_url = f"/resumes/streams/{stream.pk}/status_hx/"
    page = signed_in.get(f"/resumes/streams/{stream.pk}/").content.decode()
    assert page.count('hx-trigger="every') == 1
    assert f'hx-get="{status_url}"' in page
    assert "0 of 3 read" in page

    polled = signed_in.get(status_url, headers=HX)
    assert polled.status_code == 200
    assert polled.content.decode().lstrip().startswith('<div id="stream-live"')

    finish(user, failed=1)
    polled = signed_in.get(status_url, headers=HX)
    body = polled.content.decode()
    assert polled.status_code == 286
    assert "3 of 3 read" in body
    assert "1 could not be read" in body
    assert "hx-trigger" not in body


def test_one_poll_costs_the_same_queries_for_one_file_or_ten(
    client: Client, user: User, other_user: User, media_root: Path
) -> None:
    """The polled request reads the batch in a fixed number of queries, whatever its size."""
    costs = []
    for person, count in [(user, 1), (other_user, 10)]:
        client.force_login(person)
        files = [SimpleUploadedFile(f"cv-{n}.txt", b"text") for n in range(count)]
        client.post("/resumes/upload/", {"documents": files})
        with user_context(person.pk):
            stream = ResumeStream.objects.get()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/resumes/streams/{stream.pk}/status_hx/", headers=HX).status_code
        costs.append(len(queries))
    assert costs[0] == costs[1]


def test_the_dashboard_card_follows_the_last_batch(
    signed_in: Client, user: User, media_root: Path
) -> None:
    """The Resumes card polls itself while the last batch is read, then stops with 286."""
    upload_batch(signed_in, user, 2)
    card = signed_in.get("/resumes/dashboard_card_hx/", headers=HX)
    assert card.status_code == 200
    assert "0 of 2 read" in card.content.decode()
    assert 'hx-trigger="every 2s"' in card.content.decode()
    finish(user)
    card = signed_in.get("/resumes/dashboard_card_hx/", headers=HX)
    assert card.status_code == 286
    assert "2 of 2 read — nothing waits for review" in strip_tags(card.content.decode())
    assert "hx-trigger" not in card.content.decode()


def test_a_second_user_neither_polls_nor_sees_the_batch(
    signed_in: Client, client: Client, user: User, other_user: User, media_root: Path
) -> None:
    """Another person gets 404 for the stream's status and a card without the batch."""
    stream = upload_batch(signed_in, user, 2)
    other = Client()
    other.force_login(other_user)
    assert other.get(f"/resumes/streams/{stream.pk}/status_hx/", headers=HX).status_code == 404
    card = other.get("/resumes/dashboard_card_hx/", headers=HX).content.decode()
    assert "of 2 read" not in card
    assert "cv-0.txt" not in card


@pytest.mark.django_db(transaction=True)
def test_the_summary_links_the_suggestions_that_wait(
    signed_in: Client,
    user: User,
    media_root: Path,
) -> None:
    """A finished batch whose files left suggestions says how many wait, with the link."""
    for name in ["resume_a.txt", "resume_a_updated.txt"]:
        call_command(
            "import_resume", str(MERGES / name), user=user.email, stream="Main", stdout=StringIO()
        )
    with user_context(user.pk):
        ids = [str(pk) for pk in ResumeVersion.objects.values_list("pk", flat=True)]
        waiting = MergeDecision.objects.for_user(user).pending().count()
        stream = ResumeStream.objects.get()
    assert waiting > 0
    session = signed_in.session
    session[BATCH_SESSION_KEY] = ids
    session.save()
    polled = signed_in.get(f"/resumes/streams/{stream.pk}/status_hx/", headers=HX)
    text = strip_tags(polled.content.decode())
    assert polled.status_code == 286
    suggestions = f"{waiting} suggestion{'s' if waiting != 1 else ''}"
    assert f"2 of 2 read — {suggestions} wait" in text
    assert 'href="/review/"' in polled.content.decode()

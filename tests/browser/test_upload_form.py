"""The upload form in a real browser: checks before sending, and mistakes keep the choice."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Stack
from tests.browser.test_journeys import FILES, Journey

pytestmark = pytest.mark.django_db(transaction=True)


def test_too_many_files_are_refused_before_sending_and_stay_chosen(
    desktop: Page, stack: Stack, tmp_path: Path
) -> None:
    """Eleven files get a message naming the limit; nothing is sent, the files and the typed
    stream name stay, and removing one file lets the upload through."""
    Journey(desktop, stack, phone=False).sign_up(f"u-{uuid.uuid4().hex[:8]}@example.com", "Ada")
    files = []
    for n in range(11):
        path = tmp_path / f"cv-{n:02}.txt"
        path.write_text(f"Ada Lovelace\nAnalyst number {n}\n")
        files.append(str(path))
    desktop.goto(stack.url + "/resumes/upload/")
    desktop.set_input_files("input[type=file]", files)
    expect(desktop.locator("#upload-problems")).to_contain_text(
        "You chose 11 files; upload at most 10 at once."
    )
    desktop.get_by_text("Name this stream (optional)").click()
    desktop.fill("input[name=new_stream_name]", "Analyst roles")
    desktop.get_by_role("button", name="Upload").click()
    expect(desktop.locator("#upload-problems")).to_contain_text("upload at most 10")
    assert desktop.url.endswith("/resumes/upload/")
    assert desktop.evaluate("() => document.querySelector('input[type=file]').files.length") == 11
    expect(desktop.locator("input[name=new_stream_name]")).to_have_value("Analyst roles")

    desktop.set_input_files("input[type=file]", files[:10])
    desktop.get_by_role("button", name="Upload").click()
    desktop.wait_for_url(re.compile(r"/resumes/streams/"))
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Analyst roles")
    expect(desktop.locator("[data-announce]")).to_contain_text("of 10 read")


def test_an_oversized_file_is_left_out_and_the_others_upload(
    desktop: Page, stack: Stack, tmp_path: Path
) -> None:
    """A file over 10 MB is named and left out before sending; the rest upload, and the
    next page still says which file was left out."""
    Journey(desktop, stack, phone=False).sign_up(f"u-{uuid.uuid4().hex[:8]}@example.com", "Ada")
    big = tmp_path / "scanned-portfolio.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"0" * (11 * 1024 * 1024))
    desktop.goto(stack.url + "/resumes/upload/")
    desktop.set_input_files("input[type=file]", [str(FILES[0]), str(big)])
    expect(desktop.locator("#upload-problems")).to_contain_text(
        "scanned-portfolio.pdf is 11.0 MB, over the 10\u00a0MB a file may be"
    )
    expect(desktop.locator("[data-dropzone-list] .too-large")).to_have_count(1)
    desktop.get_by_role("button", name="Upload").click()
    desktop.wait_for_url(re.compile(r"/resumes/streams/"))
    expect(desktop.locator(".messages")).to_contain_text(
        "scanned-portfolio.pdf is too large to upload"
    )
    expect(desktop.locator("table.versions tbody tr")).to_have_count(1)
    expect(desktop.locator("[data-announce]")).to_contain_text("1 of 1 read", timeout=60_000)

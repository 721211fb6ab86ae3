"""A newcomer's journey in a real browser, on a desktop and on a 390 px phone, and a second
person who sees none of it.

sign up → first upload of several files → the batch read live, without a reload → review a
suggestion field by field → edit inline → history and revert → search → sign out.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Stack, keep_screenshot

pytestmark = pytest.mark.django_db(transaction=True)

TESTS = Path(__file__).resolve().parent.parent
FILES = [
    TESTS / "merges" / "resume_a.txt",
    TESTS / "merges" / "resume_a_updated.txt",
    TESTS / "fixtures" / "resumes" / "markdown_en.txt",
]
PASSWORD = "a long browser passphrase 42"


class Journey:
    """Steps a person takes, each checked; on a phone every page is checked for sideways
    scrolling as well."""

    def __init__(self, page: Page, stack: Stack, *, phone: bool) -> None:
        self.page = page
        self.stack = stack
        self.phone = phone
        self.name = "phone" if phone else "desktop"
        self.checked: list[str] = []

    def fits(self, step: str) -> None:
        """No page may scroll sideways: its width is the window's (and a phone's window is
        the device's width: a wider page would make the browser zoom out to fit it)."""
        keep_screenshot(self.page, f"{self.name}-{step}")
        scroll, inner = self.page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        viewport = self.page.viewport_size
        assert viewport is not None
        window = min(inner, viewport["width"])
        assert scroll <= window, f"{step}: the page is {scroll} px wide in a {window} px window"
        self.checked.append(step)

    def nav(self, label: str) -> None:
        self.page.locator("nav.main-nav").get_by_role("link", name=re.compile(f"^{label}")).click()

    def sign_up(self, email: str, name: str) -> None:
        page = self.page
        page.goto(self.stack.url + "/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Your career")
        self.fits("landing")
        page.get_by_role("link", name="Create an account").first.click()
        page.fill("input[name=email]", email)
        page.fill("input[name=full_name]", name)
        page.fill("input[name=password1]", PASSWORD)
        page.fill("input[name=password2]", PASSWORD)
        self.fits("sign-up")
        page.get_by_role("button", name=re.compile("Create|Sign up")).click()
        expect(page.locator("nav.main-nav")).to_be_visible()
        expect(page.locator("#profile-card")).to_contain_text(name)
        self.fits("dashboard-empty")

    def upload_batch(self, files: list[Path]) -> None:
        page = self.page
        self.nav("Resumes")
        page.get_by_role("link", name="Upload resumes").first.click()
        expect(page.get_by_text("Name this stream (optional)")).to_be_visible()
        page.set_input_files("input[type=file]", [str(path) for path in files])
        expect(page.locator("[data-dropzone-list] li")).to_have_count(len(files))
        self.fits("upload-chosen")
        page.get_by_role("button", name="Upload").click()
        page.wait_for_url(re.compile(r"/resumes/streams/"))
        # From here the page must not reload: a mark on the window would vanish.
        page.evaluate("() => { window.stillTheSamePage = true; }")
        total = len(files)
        expect(page.locator("[data-announce]")).to_contain_text(
            f"{total} of {total} read", timeout=120_000
        )
        assert page.evaluate("() => window.stillTheSamePage === true"), "the page reloaded"
        expect(page.locator("#announcer")).to_contain_text(f"{total} of {total} read")
        expect(page.locator("#stream-live")).not_to_have_attribute("hx-trigger", re.compile("."))
        self.fits("batch-read")

    def tour(self) -> None:
        """The other pages of the app: what was read from a file, the resume list, what was
        removed, the password form and a mistyped address."""
        page = self.page
        stream_url = page.url
        page.locator("table.versions").get_by_role("link", name="What was read").first.click()
        expect(page.get_by_text("What was read", exact=False).first).to_be_visible()
        text = page.locator("main").inner_text()
        for internal in ["work_experience", "rules-1", "Similarity", "confidence 0"]:
            assert internal not in text, internal
        self.fits("version")
        self.nav("Resumes")
        expect(page.locator(".stream-card")).to_have_count(1)
        self.fits("resumes")
        page.goto(self.stack.url + "/profile/work/removed/")
        self.fits("removed")
        page.goto(self.stack.url + "/accounts/password_change/")
        self.fits("password-change")
        response = page.goto(self.stack.url + "/no-such-page/")
        assert response is not None
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("We can't find that page")
        assert "URLconf" not in page.content()
        self.fits("not-found")
        page.goto(stream_url)

    def review_field_by_field(self) -> None:
        page = self.page
        summary = page.locator("[data-announce]")
        link = summary.get_by_role("link", name=re.compile(r"suggestions? waits? for review"))
        waiting = int(re.search(r"(\d+) suggestion", link.inner_text()).group(1))  # type: ignore[union-attr]
        assert waiting > 0
        link.click()
        page.wait_for_url(re.compile(r"/review/"))
        expect(page.locator("nav.main-nav .nav-count")).to_have_text(str(waiting))
        self.fits("review")
        # A card that matches a profile entry offers a choice per differing field.
        card = page.locator("article.decision").filter(has=page.locator("input[value=upload]"))
        card = card.first
        choices = card.locator("tr.differs")
        assert choices.count() >= 1
        first = choices.nth(0)
        first.locator("input[value=upload]").check()
        if choices.count() > 1:
            choices.nth(1).locator("input[value=profile]").check()
        expect(first.locator("input[value=upload]")).to_be_checked()
        card.get_by_role("button", name="Accept").click()
        expect(page.locator("article.decision.done").first).to_be_visible()
        page.reload()
        expected = str(waiting - 1) if waiting > 1 else None
        if expected:
            expect(page.locator("nav.main-nav .nav-count")).to_have_text(expected)
        self.fits("review-after-accept")

    def edit_history_revert(self) -> str:
        page = self.page
        self.nav("Profile")
        self.fits("profile")
        page.locator("#section-work").get_by_role("link", name="Work experience").click()
        self.fits("work-list")
        card = page.locator("article.entity").first
        original = card.locator("h3").inner_text()
        card.get_by_role("button", name="Edit").click()
        form = page.locator("article.entity.editing")
        form.locator("input[name=title]").fill("Chief Tinkerer")
        form.get_by_role("button", name="Save").click()
        card = page.locator("article.entity").first
        expect(card.locator("h3")).to_contain_text("Chief Tinkerer")
        expect(card).to_contain_text("Typed by you")
        self.fits("work-edited")
        card.get_by_role("link", name="History").click()
        expect(page.locator("#version-1")).to_be_visible()
        self.fits("history")
        page.locator("#version-1").get_by_role("button", name="Revert to version 1").click()
        expect(page.locator(".messages")).to_contain_text("Version 1 is current again")
        expect(page.get_by_role("heading", level=1)).to_have_text(original)
        self.fits("history-reverted")
        return original

    def search(self, title: str) -> None:
        page = self.page
        self.nav("Profile")
        box = page.get_by_role("searchbox", name="Search your profile")
        box.fill(title.split(" at ")[0])
        box.press("Enter")
        page.wait_for_url(re.compile(r"/profile/search/"))
        expect(page.locator("#search-results")).to_contain_text(title)
        self.fits("search")

    def timeline(self) -> None:
        self.nav("Dashboard")
        expect(self.page.locator("svg.timeline a.bar-work").first).to_be_attached()
        self.fits("dashboard-timeline")

    def sign_out(self) -> None:
        page = self.page
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(re.compile(r"/accounts/login/"))
        page.goto(self.stack.url + "/profile/")
        page.wait_for_url(re.compile(r"/accounts/login/\?next="))
        self.fits("signed-out")


def journey(page: Page, stack: Stack, *, phone: bool) -> Journey:
    person = Journey(page, stack, phone=phone)
    person.sign_up(f"newcomer-{uuid.uuid4().hex[:8]}@example.com", "Maria Gonzalez")
    person.upload_batch(FILES)
    person.tour()
    person.review_field_by_field()
    title = person.edit_history_revert()
    person.search(title)
    person.timeline()
    person.sign_out()
    return person


def test_a_newcomer_on_a_desktop(desktop: Page, stack: Stack) -> None:
    """The whole journey works at 1280 px without a reload while the batch is read."""
    journey(desktop, stack, phone=False)


def test_a_newcomer_on_a_phone(phone: Page, stack: Stack) -> None:
    """The same journey at 390 px, and no page on the way scrolls sideways."""
    person = journey(phone, stack, phone=True)
    assert len(person.checked) >= 20


def test_a_second_person_sees_none_of_the_first_persons_pages(
    desktop: Page, other_page: Page, stack: Stack
) -> None:
    """Another account gets the friendly 404 for every page of the first person's, and its
    own dashboard, review and search show nothing of theirs."""
    first = Journey(desktop, stack, phone=False)
    first.sign_up(f"first-{uuid.uuid4().hex[:8]}@example.com", "Maria Gonzalez")
    first.upload_batch(FILES[:2])
    stream_url = desktop.url
    desktop.locator("table.versions a").first.click()
    version_url = desktop.url
    desktop.goto(stack.url + "/profile/work/")
    desktop.locator("article.entity").first.get_by_role("link", name="History").click()
    history_url = desktop.url

    second = Journey(other_page, stack, phone=False)
    second.sign_up(f"second-{uuid.uuid4().hex[:8]}@example.com", "Grace Hopper")
    for url in [stream_url, version_url, history_url, version_url + "file/"]:
        response = other_page.goto(url)
        assert response is not None
        assert response.status == 404, url
        expect(other_page.get_by_role("heading", level=1)).to_have_text("We can't find that page")
        assert "Maria" not in other_page.content()
    for path in ["/", "/review/", "/resumes/", "/profile/work/"]:
        other_page.goto(stack.url + path)
        assert "Globex" not in other_page.content(), path
        assert "Maria Gonzalez" not in other_page.content(), path
    other_page.goto(stack.url + "/profile/search/?q=Globex")
    expect(other_page.locator("#search-results")).to_have_text(
        "Nothing in your profile matches “Globex”."
    )
    expect(other_page.locator("nav.main-nav .nav-count")).to_have_count(0)

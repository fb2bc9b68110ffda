"""Key pages work in a real browser under the Content-Security-Policy: nothing the
pages need is blocked (no violation event, no CSP message in the console)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from clipcontest.voting.models import Vote

from ..screening.conftest import screening  # noqa: F401 - the fixture, used by name
from ..voting.factories import make_entry, open_voting
from ..voting.helpers import last_code

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Runs before any page script, outside the page's policy: records what the policy blocks.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


class Watched:
    """A page whose CSP violations (events and console messages) are collected."""

    def __init__(self, page: Page):
        self.page = page
        self.console: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", lambda message: self.console.append(message.text))

    def violations(self) -> list[str]:
        events = self.page.evaluate("window.__violations")
        messages = [m for m in self.console if "Content Security Policy" in m]
        return [*events, *messages]


@pytest.fixture
def watched(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Watched(page)
    context.close()


def sign_in(watched: Watched, base: str, username: str) -> None:
    page = watched.page
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("nav-dashboard")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_public_pages_and_vote_run_without_csp_violations(
    live_server, watched: Watched, world, settings
):
    settings.VOTING_CHALLENGE_MAX_NUMBER = 2000
    open_voting(world.contest)
    entry = make_entry(world.contest, world.team_a, "Có Chú Minh đây rồi")
    page = watched.page

    page.goto(live_server.url + "/")
    expect(page.locator("h1").first).to_be_visible()
    page.goto(live_server.url + reverse("voting:gallery", args=[world.contest.slug]))
    expect(page.get_by_text(entry.title).first).to_be_visible()
    page.goto(live_server.url + reverse("voting:entry", args=[world.contest.slug, entry.public_id]))
    page.get_by_test_id("vote-identity").fill("nguoibinhchon@example.org")
    page.get_by_test_id("vote-send-code").click()
    page.get_by_test_id("vote-code").fill(last_code())
    page.get_by_test_id("vote-verify").click()
    submit = page.get_by_test_id("vote-submit")
    expect(submit).to_be_enabled()  # vote.js solved the challenge under the policy
    submit.click()
    expect(page.locator(".messages")).to_contain_text(entry.title)

    assert Vote.objects.get().entry_id == entry.pk
    assert watched.violations() == []


@pytest.mark.django_db(transaction=True)
def test_screening_queue_runs_without_csp_violations(
    live_server,
    watched: Watched,
    world,
    screening,  # noqa: F811
):
    sign_in(watched, live_server.url, "coord_commune_a")
    watched.page.goto(
        live_server.url
        + reverse("screening:queue", args=[world.contest.slug, world.commune_a.code])
    )

    expect(watched.page.get_by_test_id("queue-title")).to_be_visible()
    expect(watched.page.get_by_test_id(f"item-{screening.entry_a.public_id}")).to_be_visible()
    assert watched.violations() == []


@pytest.mark.django_db(transaction=True)
def test_api_docs_render_swagger_ui_without_csp_violations(live_server, watched: Watched):
    watched.page.goto(live_server.url + "/api/v1/docs")

    expect(watched.page.locator(".swagger-ui .info .title")).to_contain_text("clipcontest API")
    expect(watched.page.locator(".opblock").first).to_be_visible()
    assert watched.violations() == []

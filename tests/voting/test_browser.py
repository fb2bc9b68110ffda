from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from clipcontest.voting.models import ShareLink, Vote

from .factories import make_entry, open_voting
from .helpers import last_code

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_visitor_opens_shared_link_verifies_by_email_and_votes(
    live_server, page: Page, world, settings
):
    settings.VOTING_CHALLENGE_MAX_NUMBER = 2000
    open_voting(world.contest)
    entry = make_entry(world.contest, world.team_a, "Có Chú Minh đây rồi")
    link = ShareLink.objects.create(code="chiase1", contest=world.contest, entry=entry)

    page.goto(live_server.url + reverse("voting:shared", args=[link.code]))
    expect(page.get_by_test_id("entry-title")).to_have_text(entry.title)
    page.get_by_test_id("vote-identity").fill("nguoibinhchon@example.org")
    page.get_by_test_id("vote-send-code").click()
    page.get_by_test_id("vote-code").fill(last_code())
    page.get_by_test_id("vote-verify").click()
    submit = page.get_by_test_id("vote-submit")
    expect(submit).to_be_enabled()
    submit.click()
    expect(page.locator(".messages")).to_contain_text(entry.title)
    assert Vote.objects.get().entry_id == entry.pk
    assert link.visits.count() == 1

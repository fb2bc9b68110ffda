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


@pytest.mark.django_db(transaction=True)
def test_voter_keeps_receipt_and_sees_it_included_after_sealing(
    live_server, page: Page, world, settings
):
    from clipcontest.voting import ledger, sealing

    settings.VOTING_CHALLENGE_MAX_NUMBER = 2000
    open_voting(world.contest)
    entry = make_entry(world.contest, world.team_a, "Có Chú Minh đây rồi")
    entry_url = reverse("voting:entry", args=[world.contest.slug, entry.public_id])

    page.goto(live_server.url + entry_url)
    page.get_by_test_id("vote-identity").fill("nguoibinhchon@example.org")
    page.get_by_test_id("vote-send-code").click()
    page.get_by_test_id("vote-code").fill(last_code())
    page.get_by_test_id("vote-verify").click()
    submit = page.get_by_test_id("vote-submit")
    expect(submit).to_be_enabled()
    submit.click()
    code = page.get_by_test_id("receipt-code").inner_text()
    receipt_url = page.get_by_test_id("receipt-link").inner_text()
    assert Vote.objects.get().receipt == ledger.receipt_tag(code)

    sealing.seal(contest=world.contest)  # what the worker does within the merge delay
    page.goto("about:blank")
    page.goto(live_server.url + reverse("voting:receipt", args=[world.contest.slug, code]))
    assert receipt_url.endswith(reverse("voting:receipt", args=[world.contest.slug, code]))
    status = page.get_by_test_id("receipt-status")
    expect(status).to_have_attribute("data-verified", "included")
    expect(status).to_have_text(
        "Có trong sổ: trình duyệt của bạn đã kiểm tra bằng chứng với đầu cây đã ký."
    )

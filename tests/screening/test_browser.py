from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from clipcontest.screening import domain
from clipcontest.screening.enums import ScreeningState
from clipcontest.screening.models import EntryScreening, UnitScreening
from tests.factories import ContestFactory, TeamFactory, UnitFactory, UserFactory, grant, level_for

from .factories import screening_chain, submitted_entry

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_coordinator_shortlists_and_forwards_in_the_browser(
    live_server,
    page: Page,
):
    province = UnitFactory(code="51", name="Tỉnh Quảng Ngãi")
    district = UnitFactory(parent=province, code="528", name="Huyện Tư Nghĩa")
    commune = UnitFactory(parent=district, code="21271", name="Xã Nghĩa Điền")
    contest = ContestFactory(organizer_unit=province, slug="lan-1")
    hierarchy = province.hierarchy
    start = timezone.now() - dt.timedelta(hours=1)
    low, _mid, _top = screening_chain(
        contest,
        [(level_for(hierarchy, 2), 2), (level_for(hierarchy, 1), 3), (level_for(hierarchy, 0), 9)],
        start=start,
    )
    coordinator = UserFactory(username="dieuphoi.nghiadien")
    grant(coordinator, "coordinator", unit=commune)
    team = TeamFactory(unit=commune, name="Tổ CNSCĐ xã Nghĩa Điền")
    chosen = submitted_entry(contest, team, title="Chi trả không dùng tiền mặt")
    other = submitted_entry(contest, team, title="Hậu trường")
    domain.enter_screening(contest=contest, now=timezone.now())

    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "dieuphoi.nghiadien")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.get_by_test_id("login-submit").click()
    page.goto(f"{live_server.url}/contests/lan-1/screening/")
    page.get_by_test_id("stage-21271").click()
    expect(page.get_by_test_id("queue-title")).to_contain_text("Xã Nghĩa Điền")

    item = page.get_by_test_id(f"item-{chosen.public_id}")
    expect(item.get_by_test_id("player")).to_be_attached()
    item.get_by_test_id("shortlist").click()  # htmx swaps the item in place
    expect(item.get_by_test_id("clear")).to_be_visible()
    expect(item.get_by_test_id("shortlist")).to_have_count(0)

    page.reload()
    form = page.get_by_test_id("forward-form")
    expect(form).to_be_visible()
    form.locator("input[name=sign_off]").check()
    form.get_by_test_id("forward-submit").click()
    expect(page.get_by_test_id("sign-off")).to_contain_text("dieuphoi.nghiadien")

    assert EntryScreening.objects.get(entry=chosen, phase=low).state == ScreeningState.FORWARDED
    assert EntryScreening.objects.get(entry=other, phase=low).state == ScreeningState.PENDING
    assert UnitScreening.objects.get(phase=low, unit=commune).signed_off_by == coordinator

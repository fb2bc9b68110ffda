from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ..factories import ContestFactory, UnitFactory, UserFactory, grant

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_organizer_signs_in_opens_contest_and_switches_language(live_server, page: Page):
    province = UnitFactory(code="51", name="Tỉnh Quảng Ngãi")
    contest = ContestFactory(
        organizer_unit=province,
        slug="lan-1",
        title="Cuộc thi video clip Tổ công nghệ số cộng đồng lần thứ I",
    )
    organizer = UserFactory(username="bantochuc", password="mat-khau-thu-nghiem")
    grant(organizer, "organizer", unit=province)

    page.goto(f"{live_server.url}/login/")
    expect(page.locator("h1")).to_have_text("Đăng nhập")
    page.fill("input[name=username]", "bantochuc")
    page.fill("input[name=password]", "mat-khau-thu-nghiem")
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("nav-dashboard").click()
    page.get_by_test_id(f"manage-{contest.slug}").click()
    expect(page.get_by_test_id("contest-title")).to_have_text(contest.title)
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("contest-title")).to_have_text(contest.title)
    expect(page.get_by_role("link", name="Audit log")).to_be_visible()

    page.get_by_test_id("lang-vi").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("link", name="Nhật ký thay đổi")).to_be_visible()

"""In Chromium: the organizer adds a required question, the team cannot submit until it
answers, and the juror reads the answer on the jury card."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from clipcontest.contests.enums import PhaseKind
from clipcontest.entries.domain import AuthorInput, create_entry
from clipcontest.screening.enums import ScreeningState
from clipcontest.screening.models import EntryScreening
from tests.factories import (
    ContestFactory,
    TeamFactory,
    UnitFactory,
    UserFactory,
    add_member,
    add_phase,
    add_video,
    grant,
)
from tests.judging.factories import open_round, top_stage

pytestmark = [pytest.mark.slow, pytest.mark.browser]
PASSWORD = "mat-khau-thu-nghiem"
QUESTION = "Số điện thoại tổ trưởng"


def sign_in(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(locale="vi-VN").new_page()
    page.set_default_timeout(60_000)  # the shared CI machine can be slow
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("nav-dashboard")).to_be_visible()
    return page


@pytest.mark.django_db(transaction=True)
def test_required_question_blocks_submit_and_answer_reaches_jury_card(live_server, browser):
    province = UnitFactory(code="51", name="Tỉnh Quảng Ngãi")
    commune = UnitFactory(parent=province, code="21271", name="Xã Nghĩa Điền")
    team = TeamFactory(unit=commune, name="Tổ CNSCĐ xã Nghĩa Điền")
    contest = ContestFactory(organizer_unit=province, slug="lan-2", title="Lần thứ II")
    add_phase(contest, PhaseKind.SUBMISSION, timezone.now() - dt.timedelta(days=1), days=10)
    organizer = UserFactory(username="bantochuc", password=PASSWORD)
    grant(organizer, "organizer", unit=province)
    leader = UserFactory(username="to.nghiadien", password=PASSWORD)
    add_member(team, leader, role="leader")
    juror = UserFactory(username="giamkhao1", password=PASSWORD)
    grant(juror, "juror", contest=contest)
    entry = create_entry(
        contest=contest,
        team=team,
        by=leader,
        title="Chợ không tiền mặt",
        authors=[AuthorInput(name="Nguyễn Văn A")],
        consent_people_shown=True,
    )
    add_video(entry)

    # the organizer adds a required question, without JavaScript-only controls
    page = sign_in(browser, live_server.url, "bantochuc")
    page.goto(f"{live_server.url}/manage/contests/{contest.slug}/questions/")
    page.fill("input[name=label]", QUESTION)
    page.select_option("select[name=kind]", "short_text")
    page.check("input[name=required]")
    page.select_option("select[name=visibility]", "jury")
    page.check("input[name=blind_safe]")
    page.get_by_test_id("add-question").click()
    expect(page.get_by_test_id("questions")).to_contain_text(QUESTION)

    # the team cannot submit until it answers
    team_page = sign_in(browser, live_server.url, "to.nghiadien")
    team_page.goto(f"{live_server.url}/entries/{entry.public_id}/")
    expect(team_page.get_by_test_id("submit-problems")).to_contain_text(QUESTION)
    expect(team_page.get_by_test_id("submit-entry")).to_have_count(0)
    team_page.get_by_test_id("answers-link").click()
    team_page.get_by_label(f"{QUESTION} *").fill("0905 123 456")
    team_page.get_by_test_id("save-answers").click()
    expect(team_page.get_by_test_id("answers")).to_contain_text("0905 123 456")
    team_page.get_by_test_id("submit-entry").click()
    expect(team_page.get_by_test_id("entry-status")).to_have_text("đã nộp")

    # the entry reaches the jury; the juror reads the answer on the jury card
    stage = top_stage(contest)
    EntryScreening.objects.create(
        entry=entry, stage=stage, phase=stage.phase, state=ScreeningState.FINALIST
    )
    open_round(contest, organizer)
    jury_page = sign_in(browser, live_server.url, "giamkhao1")
    jury_page.goto(f"{live_server.url}/jury/{contest.slug}/1/{entry.public_id}/")
    expect(jury_page.get_by_test_id("score-entry")).to_contain_text(QUESTION)
    expect(jury_page.get_by_test_id("answers")).to_contain_text("0905 123 456")
    for p in (page, team_page, jury_page):
        p.context.close()

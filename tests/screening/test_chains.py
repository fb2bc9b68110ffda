"""Both chains end to end, the e-mails and the reminders."""

from __future__ import annotations

import datetime as dt
import email
from pathlib import Path

import pytest
import time_machine

from clipcontest.accounts.enums import Role
from clipcontest.entries.models import Entry
from clipcontest.org import domain as org
from clipcontest.org.models import Level, Unit
from clipcontest.screening import domain
from clipcontest.screening.enums import ScreeningState
from clipcontest.screening.models import EntryScreening, ScreeningDecision, UnitScreening
from clipcontest.screening.notify import send_notices
from tests.factories import ContestFactory, TeamFactory, UserFactory, grant

from .factories import during, screening_chain, submitted_entry

pytestmark = pytest.mark.django_db


def states(entry) -> list[tuple[str, str, str]]:
    return [
        (i.phase.level.name, i.stage.unit.code, i.state)
        for i in EntryScreening.objects.filter(entry=entry)
        .select_related("phase__level", "stage__unit")
        .order_by("-phase__level__rank")
    ]


def shortlist_and_forward(contest, unit, entries, by):
    for entry in entries:
        domain.shortlist_entry(entry=entry, unit=unit, by=by)
    return domain.forward_entries(contest=contest, unit=unit, entries=entries, by=by)


def test_2023_chain_commune_district_province_to_finalists(world, screening):
    with time_machine.travel(during(screening.commune), tick=False):
        shortlist_and_forward(
            world.contest, world.commune_a, [screening.entry_a], world.coord_commune_a
        )
        shortlist_and_forward(
            world.contest, screening.commune_a2, [screening.entry_a2], screening.coord_commune_a2
        )
        domain.reject_entry(
            entry=screening.entry_b,
            unit=world.commune_b,
            by=screening.coord_commune_b,
            reason="Thời lượng quá ngắn",
        )
    domain.lock_due_stages(now=screening.commune.ends_at)
    with time_machine.travel(during(screening.district), tick=False):
        shortlist_and_forward(
            world.contest, world.district_a, [screening.entry_a, screening.entry_a2], world.coord_a
        )
    domain.lock_due_stages(now=screening.district.ends_at)
    with time_machine.travel(during(screening.province), tick=False):
        shortlist_and_forward(
            world.contest, world.province, [screening.entry_a, screening.entry_a2], world.organizer
        )
    assert states(screening.entry_a) == [
        ("xã", "21271", "forwarded"),
        ("huyện", "528", "forwarded"),
        ("tỉnh", "51", "finalist"),
    ]
    assert states(screening.entry_b) == [("xã", "21433", "rejected")]
    assert EntryScreening.objects.filter(state=ScreeningState.FINALIST).count() == 2
    published = Entry.objects.filter(published_at__isnull=False).order_by("pk")
    assert list(published) == sorted([screening.entry_a, screening.entry_a2], key=lambda e: e.pk)
    with time_machine.travel(during(screening.province), tick=False):
        domain.withdraw_forward(
            entry=screening.entry_a2,
            unit=world.province,
            by=world.organizer,
            reason="Trùng nội dung",
        )
    assert list(Entry.objects.filter(published_at__isnull=False)) == [screening.entry_a]


def test_post_2025_chain_commune_straight_to_province(db):
    vn = org.import_vietnam(province_codes=[51])
    province = Unit.objects.get(hierarchy=vn, code="51")
    communes = list(Unit.objects.filter(hierarchy=vn, depth=1).order_by("code")[:3])
    contest = ContestFactory(organizer_unit=province)
    commune_level = Level.objects.get(hierarchy=vn, rank=1)
    low, top = screening_chain(
        contest, [(commune_level, 1), (Level.objects.get(hierarchy=vn, rank=0), 2)]
    )
    organizer = UserFactory(username="bantochuc")
    grant(organizer, Role.ORGANIZER, unit=province)
    coordinators = []
    entries = []
    for i, commune in enumerate(communes):
        coordinator = UserFactory(username=f"xa{i}")
        grant(coordinator, Role.COORDINATOR, unit=commune)
        coordinators.append(coordinator)
        team = TeamFactory(unit=commune)
        entries.append([submitted_entry(contest, team), submitted_entry(contest, team)])
    assert domain.enter_screening(contest=contest, now=during(low)) == 6
    with time_machine.travel(during(low), tick=False):
        for commune, coordinator, (first, second) in zip(
            communes, coordinators, entries, strict=True
        ):
            shortlist_and_forward(contest, commune, [first], coordinator)
            domain.reject_entry(
                entry=second, unit=commune, by=coordinator, reason="Chọn 1 tác phẩm"
            )
    domain.lock_due_stages(now=low.ends_at)
    with time_machine.travel(during(top), tick=False):
        shortlist_and_forward(contest, province, [entries[0][0], entries[1][0]], organizer)
    domain.lock_due_stages(now=top.ends_at)
    assert [states(e[0])[-1][2] for e in entries] == ["finalist", "finalist", "stopped"]
    assert states(entries[2][1]) == [("xã", communes[2].code, "rejected")]


def outbox(settings) -> list[email.message.Message]:
    folder = Path(settings.OUTBOX_DIR) / "email"
    if not folder.exists():
        return []
    return [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted(folder.glob("*.eml"))
    ]


def test_team_gets_an_email_at_each_decision(
    world, screening, at_commune, settings, django_capture_on_commit_callbacks
):
    world.team_a.contact_email = "to.nghiadien@example.org"
    world.team_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        domain.reject_entry(
            entry=screening.entry_a,
            unit=world.commune_a,
            by=world.coord_commune_a,
            reason="Chưa đúng chủ đề",
            note="nội bộ: âm thanh kém",
        )
    [message] = outbox(settings)
    assert message["To"] == "to.nghiadien@example.org, member_a@example.org"
    assert (
        message["Subject"].strip()
        == "“Xã Nghĩa Điền không tiền mặt”: not selected — " + world.contest.title
    )
    body = message.get_content()
    assert "Chưa đúng chủ đề" in body
    assert "âm thanh kém" not in body
    assert f"/entries/{screening.entry_a.public_id}/screening/" in body


def test_notices_are_sent_once(world, screening, at_commune, settings):
    decision = domain.shortlist_entry(
        entry=screening.entry_a, unit=world.commune_a, by=world.coord_commune_a
    )
    assert decision is not None
    assert send_notices(decision_ids=[decision.pk]) == 1
    assert send_notices(decision_ids=[decision.pk]) == 0
    assert len(outbox(settings)) == 1


def test_stopped_entries_teams_are_told(
    world, screening, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        domain.lock_due_stages(now=screening.commune.ends_at)
    assert sorted(m["To"] for m in outbox(settings)) == ["member_a@example.org"]


def test_reminders_go_to_coordinators_of_units_that_have_not_acted(
    world, screening, settings, django_capture_on_commit_callbacks
):
    near = screening.commune.ends_at - dt.timedelta(days=1)
    with time_machine.travel(near, tick=False):
        shortlist_and_forward(
            world.contest, world.commune_a, [screening.entry_a], world.coord_commune_a
        )
        with django_capture_on_commit_callbacks(execute=True):
            reminded = domain.send_reminders(contest=world.contest, by=world.organizer)
    assert sorted(s.unit.code for s in reminded) == ["21274", "21433"]
    assert sorted(m["To"] for m in outbox(settings)) == [
        "coord_commune_a2@example.org",
        "coord_commune_b@example.org",
    ]
    assert UnitScreening.objects.filter(reminded_at=near).count() == 2
    assert ScreeningDecision.objects.filter(kind="reminded").count() == 2


def test_no_reminder_while_the_deadline_is_far(world, screening, at_commune):
    assert domain.send_reminders(contest=world.contest, by=world.organizer) == []


def test_run_clock_enters_and_locks(world, screening):
    late = submitted_entry(world.contest, world.team_b, slot=2)
    assert domain.run_clock(now=during(screening.commune, hours=2)) == 1
    assert EntryScreening.objects.get(entry=late).state == ScreeningState.PENDING
    assert domain.run_clock(now=screening.commune.ends_at) == 3  # units locked
    assert domain.run_clock(now=screening.commune.ends_at) == 0

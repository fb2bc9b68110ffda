"""Announcements reach exactly the chosen audience, once, even when the worker fails or
dies mid-send; coordinators write only within their subtree."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from clipcontest.announcements import domain
from clipcontest.announcements.enums import Audience, DeliveryState, Preset
from clipcontest.announcements.models import Recipient
from clipcontest.audit.models import AuditEvent
from clipcontest.core.errors import DomainError, NotAllowed
from clipcontest.core.ratelimit import RateLimited
from clipcontest.entries.enums import EntryStatus
from tests.factories import UnitFactory, UserFactory, add_member
from tests.judging.factories import make_entry, make_finalist, open_round

from . import backends

pytestmark = pytest.mark.django_db

FLAKY = "tests.announcements.backends.FlakyBackend"


@pytest.fixture
def people(world):
    """Two teams with a contact address and members, one more member in team B."""
    world.team_a.contact_email = "to-a@example.org"
    world.team_a.save()
    world.team_b.contact_email = "to-b@example.org"
    world.team_b.save()
    member_b = UserFactory(username="member_b", email="member-b@example.org")
    add_member(world.team_b, member_b)
    world.member_a.email = "member-a@example.org"
    world.member_a.save()
    return world


def draft(world, unit=None, audience=Audience.ALL_TEAMS, **extra):
    return domain.Draft(
        contest=world.contest, unit=unit or world.province, audience=audience, **extra
    )


def addresses(found):
    return [t.address for t in found]


def test_all_teams_in_the_contest_area(people):
    found = domain.preview(draft=draft(people), by=people.organizer)
    assert addresses(found) == [
        "member-a@example.org",
        "member-b@example.org",
        "to-a@example.org",
        "to-b@example.org",
    ]


def test_teams_with_entries_in_a_state_at_a_unit(people):
    make_entry(people.contest, people.team_a, "A")
    draft_b = make_entry(people.contest, people.team_b, "B")
    draft_b.status = EntryStatus.DRAFT
    draft_b.save(update_fields=["status"])
    submitted = draft(people, audience=Audience.TEAMS_WITH_ENTRIES, entry_status="submitted")
    assert addresses(domain.preview(draft=submitted, by=people.organizer)) == [
        "member-a@example.org",
        "to-a@example.org",
    ]
    at_b = draft(people, audience=Audience.TEAMS_WITH_ENTRIES, at_unit=people.district_b)
    assert addresses(domain.preview(draft=at_b, by=people.organizer)) == [
        "member-b@example.org",
        "to-b@example.org",
    ]


def test_coordinators_who_have_not_acted(world, screening, at_commune):
    from clipcontest.screening import domain as screening_domain

    for user in (world.coord_commune_a, screening.coord_commune_a2, screening.coord_commune_b):
        user.email = f"{user.username}@example.org"
        user.save()
    screening_domain.shortlist_entry(
        entry=screening.entry_a2, unit=screening.commune_a2, by=screening.coord_commune_a2
    )
    found = domain.preview(
        draft=draft(world, audience=Audience.COORDINATORS_PENDING), by=world.organizer
    )
    assert addresses(found) == ["coord_commune_a@example.org", "coord_commune_b@example.org"]
    mine = domain.preview(
        draft=draft(world, unit=world.district_a, audience=Audience.COORDINATORS_PENDING),
        by=world.coord_a,
    )
    assert addresses(mine) == ["coord_commune_a@example.org"]


def test_jurors_behind_on_scoring(world):
    from clipcontest.judging.models import Assignment
    from tests.judging.factories import submit

    world.juror.email = "juror@example.org"
    world.juror.save()
    make_finalist(world.contest, world.team_a, "A")
    jury_round = open_round(world.contest, world.organizer)
    behind = draft(world, audience=Audience.JURORS_BEHIND)
    assert addresses(domain.preview(draft=behind, by=world.organizer)) == ["juror@example.org"]
    for a in Assignment.objects.filter(round=jury_round):
        submit(jury_round, a.juror, a.entry, 8)
    assert domain.preview(draft=behind, by=world.organizer) == []


def test_send_reaches_each_address_exactly_once_and_is_audited(
    people, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        announcement = domain.send_announcement(
            draft=draft(people), by=people.organizer, subject="Nhắc hạn nộp", body="Còn 3 ngày."
        )
    assert sorted(m.to[0] for m in mailoutbox) == [
        "member-a@example.org",
        "member-b@example.org",
        "to-a@example.org",
        "to-b@example.org",
    ]
    assert {r.state for r in Recipient.objects.filter(announcement=announcement)} == {
        DeliveryState.SENT
    }
    event = AuditEvent.objects.get(action="announcement.sent")
    assert event.after["recipients"] == 4
    # running the task again sends nothing more
    from clipcontest.announcements.tasks import deliver_announcement

    deliver_announcement.call_local(announcement.pk)
    assert len(mailoutbox) == 4


def _stored(people):
    """An announcement written without its task running (the worker is down)."""
    from django.db import transaction

    with transaction.atomic():
        announcement = domain.send_announcement(
            draft=draft(people), by=people.organizer, subject="S", body="B"
        )
        transaction.set_rollback(False)
    return announcement


def test_refused_send_is_retried_and_each_recipient_gets_one_message(
    people, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FLAKY
    backends.reset(refuse=2)
    with django_capture_on_commit_callbacks(execute=True):
        announcement = domain.send_announcement(
            draft=draft(people), by=people.organizer, subject="S", body="B"
        )
    states = Counter(r.state for r in Recipient.objects.filter(announcement=announcement))
    assert states == Counter({DeliveryState.SENT: 3, DeliveryState.PENDING: 1})
    sent, failed = domain.deliver(announcement_id=announcement.pk)  # the retry
    assert (sent, failed) == (1, 0)
    assert sorted(backends.DELIVERED) == [
        "member-a@example.org",
        "member-b@example.org",
        "to-a@example.org",
        "to-b@example.org",
    ]


def test_worker_killed_mid_send_then_rerun_sends_each_recipient_once(
    people, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FLAKY
    backends.reset(die=2)
    with pytest.raises(backends.Killed), django_capture_on_commit_callbacks(execute=True):
        domain.send_announcement(draft=draft(people), by=people.organizer, subject="S", body="B")
    announcement = Recipient.objects.get(address="to-b@example.org").announcement
    states = Counter(r.state for r in Recipient.objects.filter(announcement=announcement))
    assert states == Counter(
        {DeliveryState.SENT: 1, DeliveryState.SENDING: 1, DeliveryState.PENDING: 2}
    )
    # a second worker right away: leaves the claimed row alone, sends the rest
    domain.deliver(announcement_id=announcement.pk)
    # after the claim's lease the periodic sweep takes the row killed mid-send up again
    from clipcontest.announcements.tasks import resume_deliveries

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        assert resume_deliveries.call_local() == 1
        assert resume_deliveries.call_local() == 0
    assert sorted(backends.DELIVERED) == [
        "member-a@example.org",
        "member-b@example.org",
        "to-a@example.org",
        "to-b@example.org",
    ]
    assert set(
        Recipient.objects.filter(announcement=announcement).values_list("state", flat=True)
    ) == {DeliveryState.SENT}


def test_recipient_is_unique_per_announcement(people):
    from django.db import IntegrityError, transaction

    announcement = _stored(people)
    with pytest.raises(IntegrityError), transaction.atomic():
        Recipient.objects.create(announcement=announcement, address="to-a@example.org")


@pytest.mark.parametrize(
    ("sender", "unit", "audience", "allowed"),
    [
        ("organizer", "province", Audience.JURORS_BEHIND, True),
        ("coord_a", "district_a", Audience.ALL_TEAMS, True),
        ("coord_a", "district_a", Audience.JURORS_BEHIND, False),
        ("coord_a", "district_b", Audience.ALL_TEAMS, False),
        ("coord_a", "province", Audience.ALL_TEAMS, False),
        ("coord_commune_a", "district_a", Audience.ALL_TEAMS, False),
        ("juror", "province", Audience.ALL_TEAMS, False),
        ("member_a", "commune_a", Audience.ALL_TEAMS, False),
    ],
)
def test_who_may_write_to_whom(people, sender, unit, audience, allowed):
    attempt = draft(people, unit=getattr(people, unit), audience=audience)
    if allowed:
        domain.preview(draft=attempt, by=people.user(sender))
    else:
        with pytest.raises(NotAllowed):
            domain.preview(draft=attempt, by=people.user(sender))


def test_coordinator_reaches_only_teams_of_their_subtree(people):
    found = domain.preview(draft=draft(people, unit=people.district_a), by=people.coord_a)
    assert addresses(found) == ["member-a@example.org", "to-a@example.org"]
    with pytest.raises(NotAllowed):
        domain.preview(
            draft=draft(people, unit=people.district_a, at_unit=people.commune_b),
            by=people.coord_a,
        )


def test_sending_is_rate_limited(people):
    for _ in range(domain.SEND_LIMIT):
        _stored(people)
    with pytest.raises(RateLimited):
        _stored(people)


def test_empty_audience_and_empty_text_are_refused(world):
    empty_area = UnitFactory(parent=world.province, code="999", name="Huyện trống")
    with pytest.raises(DomainError) as nobody:
        domain.send_announcement(
            draft=draft(world, at_unit=empty_area), by=world.organizer, subject="S", body="B"
        )
    assert nobody.value.messages == ["Nobody is in this audience."]
    with pytest.raises(DomainError) as empty:
        domain.send_announcement(draft=draft(world), by=world.organizer, subject=" ", body="B")
    assert empty.value.messages == ["An announcement needs a subject and a message."]


def test_presets_exist_in_vietnamese_and_english(world):
    vi = domain.preset_text(preset=Preset.DEADLINE, contest=world.contest, language="vi")
    en = domain.preset_text(preset=Preset.DEADLINE, contest=world.contest, language="en")
    assert en[0].startswith("Reminder: entries for ")
    assert vi[0].startswith("Nhắc hạn: ")
    results_vi = domain.preset_text(preset=Preset.RESULTS, contest=world.contest, language="vi")
    assert results_vi[0] == f"Đã công bố kết quả {world.contest.title}"


def test_pages_preview_send_detail_and_inbox(people, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = Client()
    client.force_login(people.coord_a)
    url = f"/manage/contests/{people.contest.slug}/announcements/new/"
    form = {"unit": people.district_a.pk, "audience": "teams", "subject": "Họp", "body": "Mai họp."}
    preview = client.post(url, {**form, "preview": "1"}).content.decode()
    assert "2 recipients" in preview
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {**form, "send": "1"})
    assert sent.status_code == 302
    detail = client.get(sent["Location"]).content.decode()
    assert detail.count('data-testid="recipient"') == 2
    member = Client()
    member.force_login(people.member_a)
    assert "Mai họp." in member.get("/me/announcements/").content.decode()
    dashboard = member.get("/me/").content.decode()
    assert 'data-testid="recent-announcements"' in dashboard and "Họp" in dashboard
    coordinator_dashboard = client.get("/me/").content.decode()
    assert f"/manage/contests/{people.contest.slug}/announcements/" in coordinator_dashboard
    outsider = Client()
    outsider.force_login(people.outsider)
    assert "Mai họp." not in outsider.get("/me/announcements/").content.decode()
    juror = Client()
    juror.force_login(people.juror)
    assert juror.get(url).status_code == 403

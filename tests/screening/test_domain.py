from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from clipcontest.audit.models import AuditEvent
from clipcontest.core.errors import Conflict, DomainError, NotAllowed
from clipcontest.entries.enums import EntryStatus
from clipcontest.media.enums import VideoStatus
from clipcontest.screening import domain
from clipcontest.screening.enums import DecisionKind, ScreeningState
from clipcontest.screening.models import EntryScreening, ScreeningDecision, UnitScreening
from tests.factories import TeamFactory, UnitFactory

from .factories import during, submitted_entry

pytestmark = pytest.mark.django_db


def state_at(entry, phase) -> str:
    return EntryScreening.objects.get(entry=entry, phase=phase).state


def test_entries_enter_at_their_commune_when_screening_opens(world, screening):
    items = EntryScreening.objects.filter(phase=screening.commune).order_by("entry__title")
    assert [(i.entry.title, i.stage.unit.code, i.state) for i in items] == [
        ("Nghĩa Thắng số", "21274", "pending"),
        ("Xã Nghĩa Điền không tiền mặt", "21271", "pending"),
        ("Đức Phong năng động", "21433", "pending"),
    ]
    assert ScreeningDecision.objects.filter(kind=DecisionKind.ARRIVED).count() == 3


def test_entering_twice_changes_nothing(world, screening):
    again = domain.enter_screening(contest=world.contest, now=during(screening.commune))
    assert again == 0
    assert EntryScreening.objects.count() == 3


def test_entering_before_screening_opens_does_nothing(world, screening):
    submitted_entry(world.contest, world.team_b)
    early = screening.commune.starts_at - dt.timedelta(minutes=1)
    assert domain.enter_screening(contest=world.contest, now=early) == 0


def test_village_team_enters_at_its_commune(world, screening):
    village = UnitFactory(parent=world.commune_a, code="21271.01", name="Thôn 1")
    entry = submitted_entry(world.contest, TeamFactory(unit=village))
    domain.enter_screening(contest=world.contest, now=during(screening.commune))
    assert EntryScreening.objects.get(entry=entry).stage.unit == world.commune_a


def test_withdrawn_and_draft_entries_do_not_enter(world, screening):
    withdrawn = submitted_entry(world.contest, world.team_b)
    withdrawn.status = EntryStatus.WITHDRAWN
    withdrawn.save()
    assert domain.enter_screening(contest=world.contest, now=during(screening.commune)) == 0


def test_shortlist_then_forward_moves_entry_to_district_with_sign_off(world, screening, at_commune):
    domain.shortlist_entry(entry=screening.entry_a, unit=world.commune_a, by=world.coord_commune_a)
    domain.forward_entries(
        contest=world.contest,
        unit=world.commune_a,
        entries=[screening.entry_a],
        by=world.coord_commune_a,
    )
    stage = UnitScreening.objects.get(phase=screening.commune, unit=world.commune_a)
    assert (stage.forwarded_count, stage.signed_off_by) == (1, world.coord_commune_a)
    assert stage.signed_off_at == during(screening.commune)
    assert state_at(screening.entry_a, screening.commune) == ScreeningState.FORWARDED
    above = EntryScreening.objects.get(entry=screening.entry_a, phase=screening.district)
    assert (above.stage.unit, above.state) == (world.district_a, ScreeningState.PENDING)


def test_forward_over_quota_is_refused_and_nothing_changes(world, screening, at_commune):
    entries = [screening.entry_a] + [
        submitted_entry(world.contest, world.team_a, slot=n) for n in (2, 3)
    ]
    domain.enter_screening(contest=world.contest, now=during(screening.commune))
    for entry in entries:
        domain.shortlist_entry(entry=entry, unit=world.commune_a, by=world.coord_commune_a)
    with pytest.raises(Conflict) as refusal:
        domain.forward_entries(
            contest=world.contest, unit=world.commune_a, entries=entries, by=world.coord_commune_a
        )
    assert refusal.value.messages == [
        "Xã Nghĩa Điền may forward 2 entries at this level and has forwarded 0; "
        "3 more would exceed the quota."
    ]
    assert refusal.value.code == "over_quota"
    assert EntryScreening.objects.filter(phase=screening.district).count() == 0
    assert UnitScreening.objects.get(unit=world.commune_a).forwarded_count == 0
    assert EntryScreening.objects.filter(state=ScreeningState.SHORTLISTED).count() == 3


def test_forward_needs_a_shortlisted_entry(world, screening, at_commune):
    with pytest.raises(DomainError) as refusal:
        domain.forward_entries(
            contest=world.contest,
            unit=world.commune_a,
            entries=[screening.entry_a],
            by=world.coord_commune_a,
        )
    assert refusal.value.messages == ["“Xã Nghĩa Điền không tiền mặt” is not on the shortlist."]


def test_acting_on_another_units_entry_is_refused(world, screening, at_commune):
    with pytest.raises(NotAllowed) as refusal:
        domain.shortlist_entry(
            entry=screening.entry_b, unit=world.commune_a, by=world.coord_commune_a
        )
    assert refusal.value.messages == [
        "The entry “Đức Phong năng động” has not reached Xã Nghĩa Điền."
    ]
    assert state_at(screening.entry_b, screening.commune) == ScreeningState.PENDING


def test_acting_after_the_deadline_is_refused(world, screening):
    late = screening.commune.ends_at + dt.timedelta(minutes=1)
    with time_machine.travel(late, tick=False), pytest.raises(DomainError) as refusal:
        domain.shortlist_entry(
            entry=screening.entry_a, unit=world.commune_a, by=world.coord_commune_a
        )
    assert refusal.value.code == "closed"
    assert refusal.value.messages == [
        "The deadline for Xã Nghĩa Điền at this level has passed (8/3/2030 08:00)."
    ]


def test_acting_before_the_level_opens_is_refused(world, screening, at_commune):
    domain.shortlist_entry(entry=screening.entry_a, unit=world.commune_a, by=world.coord_commune_a)
    domain.forward_entries(
        contest=world.contest,
        unit=world.commune_a,
        entries=[screening.entry_a],
        by=world.coord_commune_a,
    )
    with pytest.raises(DomainError) as refusal:
        domain.shortlist_entry(entry=screening.entry_a, unit=world.district_a, by=world.coord_a)
    assert refusal.value.code == "not_open"


@pytest.mark.parametrize("status", [VideoStatus.PROCESSING, VideoStatus.FAILED])
def test_shortlisting_an_entry_whose_video_is_not_ready_is_refused(
    world, screening, at_commune, status
):
    entry = submitted_entry(world.contest, world.team_a, video=status, slot=2)
    domain.enter_screening(contest=world.contest, now=during(screening.commune))
    with pytest.raises(DomainError) as refusal:
        domain.shortlist_entry(entry=entry, unit=world.commune_a, by=world.coord_commune_a)
    assert refusal.value.code == "video_not_ready"
    assert state_at(entry, screening.commune) == ScreeningState.PENDING


def test_rejecting_while_the_video_is_processing_is_refused_but_failed_may_be_rejected(
    world, screening, at_commune
):
    processing = submitted_entry(world.contest, world.team_a, video=VideoStatus.PROCESSING, slot=2)
    failed = submitted_entry(world.contest, world.team_a, video=VideoStatus.FAILED, slot=3)
    domain.enter_screening(contest=world.contest, now=during(screening.commune))
    with pytest.raises(DomainError):
        domain.reject_entry(
            entry=processing, unit=world.commune_a, by=world.coord_commune_a, reason="x"
        )
    domain.reject_entry(
        entry=failed, unit=world.commune_a, by=world.coord_commune_a, reason="Video lỗi"
    )
    assert state_at(failed, screening.commune) == ScreeningState.REJECTED


def test_forward_refuses_an_entry_whose_video_is_no_longer_ready(world, screening, at_commune):
    domain.shortlist_entry(entry=screening.entry_a, unit=world.commune_a, by=world.coord_commune_a)
    screening.entry_a.videos.update(status=VideoStatus.FAILED)
    with pytest.raises(DomainError) as refusal:
        domain.forward_entries(
            contest=world.contest,
            unit=world.commune_a,
            entries=[screening.entry_a],
            by=world.coord_commune_a,
        )
    assert refusal.value.messages == [
        "The video of “Xã Nghĩa Điền không tiền mặt” is not ready yet."
    ]


def test_rejection_needs_a_reason_unless_the_level_says_otherwise(world, screening, at_commune):
    with pytest.raises(DomainError) as refusal:
        domain.reject_entry(entry=screening.entry_a, unit=world.commune_a, by=world.coord_commune_a)
    assert refusal.value.messages == ["Give the team a reason for not selecting their entry."]
    domain.configure_level(phase=screening.commune, by=world.organizer, reason_required=False)
    domain.reject_entry(entry=screening.entry_a, unit=world.commune_a, by=world.coord_commune_a)
    assert state_at(screening.entry_a, screening.commune) == ScreeningState.REJECTED


def test_rejection_reason_is_kept_and_the_note_is_internal(world, screening, at_commune):
    decision = domain.reject_entry(
        entry=screening.entry_a,
        unit=world.commune_a,
        by=world.coord_commune_a,
        reason="Chưa đúng chủ đề",
        note="Âm thanh kém",
    )
    assert decision is not None
    assert (decision.kind, decision.reason, decision.note) == (
        "rejected",
        "Chưa đúng chủ đề",
        "Âm thanh kém",
    )


def test_same_decision_twice_writes_once(world, screening, at_commune):
    first = domain.shortlist_entry(
        entry=screening.entry_a, unit=world.commune_a, by=world.coord_commune_a
    )
    second = domain.shortlist_entry(
        entry=screening.entry_a, unit=world.commune_a, by=world.coord_commune_a
    )
    assert first is not None
    assert second is None
    assert ScreeningDecision.objects.filter(kind=DecisionKind.SHORTLISTED).count() == 1


def test_withdrawn_entry_cannot_be_shortlisted(world, screening, at_commune):
    screening.entry_a.status = EntryStatus.WITHDRAWN
    screening.entry_a.save()
    with pytest.raises(DomainError) as refusal:
        domain.shortlist_entry(
            entry=screening.entry_a, unit=world.commune_a, by=world.coord_commune_a
        )
    assert refusal.value.messages == ["The team has withdrawn this entry."]


def _forward_a(world, screening):
    domain.shortlist_entry(entry=screening.entry_a, unit=world.commune_a, by=world.coord_commune_a)
    domain.forward_entries(
        contest=world.contest,
        unit=world.commune_a,
        entries=[screening.entry_a],
        by=world.coord_commune_a,
    )


def test_withdraw_forward_frees_the_quota_and_leaves_the_level_above(world, screening, at_commune):
    _forward_a(world, screening)
    domain.withdraw_forward(
        entry=screening.entry_a,
        unit=world.commune_a,
        by=world.coord_commune_a,
        reason="Chọn nhầm",
    )
    assert UnitScreening.objects.get(unit=world.commune_a).forwarded_count == 0
    assert state_at(screening.entry_a, screening.commune) == ScreeningState.SHORTLISTED
    assert not EntryScreening.objects.filter(phase=screening.district).exists()


def test_withdraw_forward_needs_a_reason(world, screening, at_commune):
    _forward_a(world, screening)
    with pytest.raises(DomainError):
        domain.withdraw_forward(
            entry=screening.entry_a, unit=world.commune_a, by=world.coord_commune_a, reason=" "
        )


def test_withdraw_forward_after_the_deadline_is_refused(world, screening):
    with time_machine.travel(during(screening.commune), tick=False):
        _forward_a(world, screening)
    with (
        time_machine.travel(during(screening.district), tick=False),
        pytest.raises(DomainError) as refusal,
    ):
        domain.withdraw_forward(
            entry=screening.entry_a, unit=world.commune_a, by=world.coord_commune_a, reason="x"
        )
    assert refusal.value.code == "closed"


def test_withdraw_forward_refused_once_the_level_above_decided(world, screening):
    with time_machine.travel(during(screening.commune), tick=False):
        _forward_a(world, screening)
    until = screening.district.ends_at
    with time_machine.travel(during(screening.district), tick=False):
        domain.reopen_unit(
            contest=world.contest,
            unit=world.commune_a,
            until=until,
            by=world.organizer,
            reason="Xã xin gửi lại",
        )
        domain.reject_entry(
            entry=screening.entry_a, unit=world.district_a, by=world.coord_a, reason="Trùng"
        )
        with pytest.raises(Conflict):
            domain.withdraw_forward(
                entry=screening.entry_a, unit=world.commune_a, by=world.coord_commune_a, reason="x"
            )
    assert state_at(screening.entry_a, screening.district) == ScreeningState.REJECTED


def test_lock_at_the_deadline_stops_undecided_entries_once(world, screening):
    with time_machine.travel(during(screening.commune), tick=False):
        _forward_a(world, screening)
        domain.shortlist_entry(
            entry=screening.entry_a2, unit=screening.commune_a2, by=screening.coord_commune_a2
        )
    after = screening.commune.ends_at
    assert domain.lock_due_stages(now=after - dt.timedelta(seconds=1)) == 0
    assert domain.lock_due_stages(now=after) == 3
    assert domain.lock_due_stages(now=after) == 0
    assert state_at(screening.entry_a, screening.commune) == ScreeningState.FORWARDED
    assert state_at(screening.entry_a2, screening.commune) == ScreeningState.STOPPED
    assert state_at(screening.entry_b, screening.commune) == ScreeningState.STOPPED
    assert ScreeningDecision.objects.filter(kind=DecisionKind.STOPPED).count() == 2


def test_reopen_gives_one_unit_a_new_deadline_and_its_entries_back(world, screening):
    domain.lock_due_stages(now=screening.commune.ends_at)
    until = screening.district.starts_at + dt.timedelta(days=2)
    with time_machine.travel(during(screening.district), tick=False):
        stage = domain.reopen_unit(
            contest=world.contest,
            unit=world.commune_b,
            until=until,
            by=world.organizer,
            reason="Mất điện do bão",
        )
        assert (stage.locked_at, stage.reopened_until) == (None, until)
        assert state_at(screening.entry_b, screening.commune) == ScreeningState.PENDING
        domain.shortlist_entry(
            entry=screening.entry_b, unit=world.commune_b, by=screening.coord_commune_b
        )
        with pytest.raises(DomainError):  # the other communes stay locked
            domain.shortlist_entry(
                entry=screening.entry_a, unit=world.commune_a, by=world.coord_commune_a
            )
    event = AuditEvent.objects.get(action="screening.reopened")
    assert (event.reason, event.actor) == ("Mất điện do bão", world.organizer)
    assert domain.lock_due_stages(now=until) == 1
    assert state_at(screening.entry_b, screening.commune) == ScreeningState.STOPPED


def test_reopen_needs_a_reason_and_a_future_deadline(world, screening, at_commune):
    with pytest.raises(DomainError):
        domain.reopen_unit(
            contest=world.contest,
            unit=world.commune_a,
            until=screening.district.ends_at,
            by=world.organizer,
            reason="",
        )
    with pytest.raises(DomainError):
        domain.reopen_unit(
            contest=world.contest,
            unit=world.commune_a,
            until=screening.commune.starts_at,
            by=world.organizer,
            reason="x",
        )


def test_quota_override_lets_a_larger_unit_forward_more(world, screening, at_commune):
    entries = [screening.entry_a] + [
        submitted_entry(world.contest, world.team_a, slot=n) for n in (2, 3)
    ]
    domain.enter_screening(contest=world.contest, now=during(screening.commune))
    domain.configure_level(
        phase=screening.commune,
        by=world.organizer,
        reason_required=True,
        quota_overrides={world.commune_a: 3},
    )
    for entry in entries:
        domain.shortlist_entry(entry=entry, unit=world.commune_a, by=world.coord_commune_a)
    domain.forward_entries(
        contest=world.contest, unit=world.commune_a, entries=entries, by=world.coord_commune_a
    )
    assert UnitScreening.objects.get(unit=world.commune_a).forwarded_count == 3


def test_quota_override_below_what_was_forwarded_is_refused(world, screening, at_commune):
    _forward_a(world, screening)
    with pytest.raises(DomainError):
        domain.configure_level(
            phase=screening.commune,
            by=world.organizer,
            reason_required=True,
            quota_overrides={world.commune_a: 0},
        )


def test_every_decision_is_audited(world, screening, at_commune):
    _forward_a(world, screening)
    actions = list(
        AuditEvent.objects.filter(action__startswith="screening.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "screening.entered",
        "screening.shortlisted",
        "screening.forwarded",
        "screening.signed_off",
    ]

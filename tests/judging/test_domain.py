"""Judging rules: rubric, assignment, conflicts of interest, scoring and reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from clipcontest.accounts.enums import Role
from clipcontest.audit.models import AuditEvent
from clipcontest.contests.models import Contest
from clipcontest.core.errors import DomainError
from clipcontest.judging import domain
from clipcontest.judging.enums import AssignmentMode, RecusalKind, ScorecardState
from clipcontest.judging.models import Assignment, Recusal, Reminder, Rubric, Score, Scorecard
from tests.factories import ContestFactory, UnitFactory, UserFactory, grant
from tests.judging.factories import full_scores, make_finalist, open_round, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    a = make_finalist(world.contest, world.team_a, "Tác phẩm A", author="Nguyễn Văn A")
    b = make_finalist(world.contest, world.team_b, "Tác phẩm B")
    return world, a, b


def test_default_rubric_has_four_weighted_criteria(world):
    rubric = domain.ensure_rubric(contest=world.contest, by=world.organizer)
    assert [c.name for c in rubric.criteria.all()] == [
        "Content and message",
        "Creativity",
        "Technical quality",
        "Communication effect",
    ]
    assert (rubric.scale_min, rubric.scale_max) == (0, 10)


@pytest.mark.parametrize(
    ("criteria", "scale"),
    [
        ([], (0, 10)),
        ([domain.CriterionInput("a"), domain.CriterionInput("a")], (0, 10)),
        ([domain.CriterionInput("a", Decimal(0))], (0, 10)),
        ([domain.CriterionInput("a")], (5, 5)),
    ],
)
def test_set_rubric_refuses_bad_rubrics_and_saves_nothing(world, criteria, scale):
    with pytest.raises(DomainError):
        domain.set_rubric(
            contest=world.contest,
            by=world.organizer,
            criteria=criteria,
            scale_min=scale[0],
            scale_max=scale[1],
        )
    assert Rubric.objects.count() == 0


def test_rubric_is_frozen_once_scoring_started(setup):
    world, a, _b = setup
    r = open_round(world.contest, world.organizer)
    domain.save_scorecard(round=r, juror=world.juror, entry=a, scores={})
    with pytest.raises(DomainError, match="rubric can no longer change"):
        domain.set_rubric(
            contest=world.contest, by=world.organizer, criteria=[domain.CriterionInput("x")]
        )


def test_clone_rubric_copies_criteria_to_the_next_edition(world):
    domain.set_rubric(
        contest=world.contest,
        by=world.organizer,
        scale_max=100,
        criteria=[
            domain.CriterionInput("Nội dung", Decimal("0.6"), "mô tả"),
            domain.CriterionInput("Hiệu quả", Decimal("0.4")),
        ],
    )
    target = ContestFactory(organizer_unit=world.province, series=world.contest.series, edition=2)
    rubric = domain.clone_rubric(source=world.contest, target=target, by=world.organizer)
    assert rubric is not None
    assert [(c.name, c.weight, c.description) for c in rubric.criteria.all()] == [
        ("Nội dung", Decimal("0.600"), "mô tả"),
        ("Hiệu quả", Decimal("0.400"), ""),
    ]
    assert rubric.scale_max == 100
    assert domain.clone_rubric(source=world.contest, target=target, by=world.organizer) is None


def test_juror_with_a_unit_role_on_the_entrys_chain_is_recused_automatically(setup):
    world, a, b = setup
    second = UserFactory(username="second_juror")
    grant(second, Role.JUROR, contest=world.contest)
    grant(world.juror, Role.COORDINATOR, unit=world.district_a)
    r = open_round(world.contest, world.organizer)
    recusal = Recusal.objects.get()
    assert (recusal.juror, recusal.entry, recusal.kind) == (world.juror, a, RecusalKind.AUTOMATIC)
    mine = Assignment.objects.filter(round=r, juror=world.juror)
    assert list(mine.values_list("entry", flat=True)) == [b.pk]
    with pytest.raises(DomainError, match="recused"):
        submit(r, world.juror, a, 5)


def test_assignment_is_refused_when_recusals_leave_an_entry_without_jurors(setup):
    world, _a, _b = setup
    grant(world.juror, Role.COORDINATOR, unit=world.district_a)
    with pytest.raises(DomainError, match="Too few jurors"):
        open_round(world.contest, world.organizer)
    assert Assignment.objects.count() == 0


def test_a_role_on_the_organizer_unit_recuses_from_nothing(setup):
    world, _a, _b = setup
    grant(world.juror, Role.ORGANIZER, unit=world.province)
    open_round(world.contest, world.organizer)
    assert Recusal.objects.count() == 0


def test_team_member_juror_is_recused_from_the_teams_entry(setup):
    world, a, _b = setup
    grant(world.member_a, Role.JUROR, contest=world.contest)
    open_round(world.contest, world.organizer)
    assert Recusal.objects.get(juror=world.member_a).entry == a


def test_declared_recusal_removes_the_assignment_and_refuses_scoring(setup):
    world, a, _b = setup
    r = open_round(world.contest, world.organizer)
    domain.save_scorecard(round=r, juror=world.juror, entry=a, scores={})
    domain.declare_recusal(juror=world.juror, entry=a, reason="Con tôi trong đội", by=world.juror)
    assert not Assignment.objects.filter(juror=world.juror, entry=a).exists()
    assert Scorecard.objects.count() == 0
    with pytest.raises(DomainError, match="recused"):
        submit(r, world.juror, a, 5)
    assert AuditEvent.objects.filter(action="judging.recused", reason="Con tôi trong đội").exists()


def test_declared_recusal_needs_a_reason(setup):
    world, a, _b = setup
    open_round(world.contest, world.organizer)
    with pytest.raises(DomainError):
        domain.declare_recusal(juror=world.juror, entry=a, reason="  ", by=world.juror)
    assert Recusal.objects.count() == 0


def test_panels_give_each_entry_k_jurors_and_record_the_seed(world):
    jurors = [world.juror, *(UserFactory(username=f"j{i}") for i in range(5))]
    for j in jurors[1:]:
        grant(j, Role.JUROR, contest=world.contest)
    entries = [
        make_finalist(world.contest, world.team_a if i % 2 else world.team_b, f"E{i}", slot=i + 1)
        for i in range(6)
    ]
    domain.ensure_rubric(contest=world.contest, by=world.organizer)
    r = domain.create_round(
        contest=world.contest,
        by=world.organizer,
        name="R",
        mode=AssignmentMode.PANELS,
        jurors_per_entry=2,
    )
    domain.assign_round(round=r, by=world.organizer, seed="abc")
    r.refresh_from_db()
    assert r.seed == "abc"
    assert {e.pk: Assignment.objects.filter(entry=e).count() for e in entries} == {
        e.pk: 2 for e in entries
    }
    assert r.panels.count() == 3
    pairs = Assignment.objects.order_by("entry", "juror").values_list("entry", "juror")
    first = list(pairs)
    domain.assign_round(round=r, by=world.organizer, seed="abc")
    assert list(pairs.all()) == first


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([11, 5, 5, 5], "give a score from 0 to 10"),
        ([-1, 5, 5, 5], "give a score from 0 to 10"),
        (["abc", 5, 5, 5], "give a score from 0 to 10"),
        ([5.555, 5, 5, 5], "at most two decimals"),
        ([5, 5, 5, None], "a score is missing"),
    ],
)
def test_bad_scores_are_refused_and_nothing_is_saved(setup, values, message):
    world, a, _b = setup
    r = open_round(world.contest, world.organizer)
    criteria = list(world.contest.rubric.criteria.order_by("position"))
    with pytest.raises(DomainError, match=message):
        domain.save_scorecard(
            round=r,
            juror=world.juror,
            entry=a,
            submit=True,
            scores={c.pk: v for c, v in zip(criteria, values, strict=True)},
        )
    assert (Scorecard.objects.count(), Score.objects.count()) == (0, 0)


def test_unknown_criterion_is_refused(setup):
    world, a, _b = setup
    r = open_round(world.contest, world.organizer)
    with pytest.raises(DomainError, match="Unknown criterion"):
        domain.save_scorecard(round=r, juror=world.juror, entry=a, scores={999999: 5})


def test_scoring_an_unassigned_entry_is_refused(setup):
    world, a, _b = setup
    r = open_round(world.contest, world.organizer)
    other = UserFactory(username="other_juror")
    grant(other, Role.JUROR, contest=world.contest)  # juror, but joined after assignment
    with pytest.raises(DomainError, match="not assigned"):
        submit(r, other, a, 5)


def test_scoring_after_the_round_closes_is_refused(setup):
    world, a, _b = setup
    r = open_round(world.contest, world.organizer)
    domain.close_round(round=r, by=world.organizer)
    with pytest.raises(DomainError, match="closed for scoring"):
        submit(r, world.juror, a, 5)


def test_scoring_after_closes_at_is_refused(setup):
    world, a, _b = setup
    r = open_round(world.contest, world.organizer)
    r.closes_at = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    r.save()
    with (
        time_machine.travel(dt.datetime(2030, 1, 2, tzinfo=dt.UTC), tick=False),
        pytest.raises(DomainError, match="closed for scoring"),
    ):
        submit(r, world.juror, a, 5)


def test_draft_then_submit_locks_and_unlock_needs_a_logged_reason(setup):
    world, a, _b = setup
    r = open_round(world.contest, world.organizer)
    first = next(iter(full_scores(world.contest, 5)))
    card = domain.save_scorecard(round=r, juror=world.juror, entry=a, scores={first: "7.5"})
    assert (card.state, card.scores.get().value) == (ScorecardState.DRAFT, Decimal("7.50"))
    card = submit(r, world.juror, a, [8, 7, 6, 5])
    assert card.state == ScorecardState.SUBMITTED
    with pytest.raises(DomainError, match="locked"):
        submit(r, world.juror, a, 9)
    assert sorted(card.scores.values_list("value", flat=True)) == [5, 6, 7, 8]
    with pytest.raises(DomainError):
        domain.unlock_scorecard(scorecard=card, by=world.organizer, reason="")
    domain.unlock_scorecard(scorecard=card, by=world.organizer, reason="Nhập nhầm tiêu chí 2")
    assert (
        AuditEvent.objects.filter(
            action="judging.scorecard_unlocked", reason="Nhập nhầm tiêu chí 2"
        ).count()
        == 1
    )
    assert submit(r, world.juror, a, 9).state == ScorecardState.SUBMITTED


def test_reminders_mail_late_jurors_once(setup, settings, django_capture_on_commit_callbacks):
    world, a, _b = setup
    r = open_round(world.contest, world.organizer)
    submit(r, world.juror, a, 5)
    with django_capture_on_commit_callbacks(execute=True):
        reminders = domain.remind_late_jurors(round=r, by=world.organizer)
    assert [(x.juror, x.missing) for x in reminders] == [(world.juror, 1)]
    reminder = Reminder.objects.get()
    assert reminder.sent_at is not None  # the queue runs immediately in tests
    outbox = list((settings.OUTBOX_DIR / "email").glob("*.eml"))
    assert len(outbox) == 1
    assert domain.send_reminder(reminder_id=reminder.pk, language="en") is False


def test_assign_refuses_without_finalists(world):
    domain.ensure_rubric(contest=world.contest, by=world.organizer)
    r = domain.create_round(contest=world.contest, by=world.organizer, name="R")
    with pytest.raises(DomainError, match="no finalists"):
        domain.assign_round(round=r, by=world.organizer)


def test_conflicts_in_another_hierarchy_do_not_count(setup):
    world, _a, _b = setup
    elsewhere = UnitFactory(code="99")
    grant(world.juror, Role.COORDINATOR, unit=elsewhere)
    open_round(world.contest, world.organizer)
    assert Recusal.objects.count() == 0
    assert Contest.objects.count() == 1

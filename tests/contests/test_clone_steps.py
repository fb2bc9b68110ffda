"""Cloning an edition carries every app's per-edition settings along."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from clipcontest.contests import domain
from clipcontest.contests.enums import PhaseKind
from clipcontest.judging.domain import CriterionInput, set_rubric
from clipcontest.judging.models import Rubric
from clipcontest.results.domain import set_distinction, set_method
from clipcontest.results.models import ResultMethod, TierRule
from clipcontest.screening.domain import configure_level
from clipcontest.screening.models import ScreeningLevel
from clipcontest.voting.domain import update_settings
from clipcontest.voting.models import VotingSettings

from ..factories import level_for

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2031, 3, 1, tzinfo=dt.UTC)


def test_clone_copies_rubric_method_distinctions_voting_and_screening_rules(world):
    source = world.contest
    domain.set_timeline(
        contest=source,
        by=world.organizer,
        phases=[
            domain.PhaseInput(
                kind=PhaseKind.SUBMISSION, starts_at=T0, ends_at=T0 + dt.timedelta(7)
            ),
            domain.PhaseInput(
                kind=PhaseKind.SCREENING,
                level=level_for(world.province.hierarchy, 0),
                quota=5,
                starts_at=T0 + dt.timedelta(7),
                ends_at=T0 + dt.timedelta(14),
            ),
            domain.PhaseInput(
                kind=PhaseKind.RESULTS,
                starts_at=T0 + dt.timedelta(14),
                ends_at=T0 + dt.timedelta(30),
            ),
        ],
    )
    domain.set_prize_tiers(
        contest=source,
        by=world.organizer,
        tiers=[
            domain.PrizeInput(name="Giải Nhất toàn diện"),
            domain.PrizeInput(name="Chất lượng cao", count=4),
        ],
    )
    set_rubric(
        contest=source,
        by=world.organizer,
        scale_min=0,
        scale_max=20,
        criteria=[
            CriterionInput(name="Nội dung", weight=Decimal(2)),
            CriterionInput(name="Sáng tạo"),
        ],
    )
    set_method(
        contest=source, by=world.organizer, aggregation="median", jury_percent=80, public_percent=20
    )
    set_distinction(tier=source.prize_tiers.get(position=2), distinction=True, by=world.organizer)
    update_settings(contest=source, by=world.organizer, policy="daily", votes_per_day=5)
    configure_level(
        phase=source.phases.get(kind=PhaseKind.SCREENING), by=world.organizer, reason_required=False
    )

    clone = domain.clone_contest(
        source=source,
        by=world.organizer,
        slug="lan-2",
        title="Lần II",
        edition=2,
        submission_starts_at=T0 + dt.timedelta(days=365),
    )

    rubric = Rubric.objects.get(contest=clone)
    assert (rubric.scale_min, rubric.scale_max) == (0, 20)
    assert [(c.name, c.weight) for c in rubric.criteria.order_by("position")] == [
        ("Nội dung", Decimal(2)),
        ("Sáng tạo", Decimal(1)),
    ]
    method = ResultMethod.objects.get(contest=clone)
    assert (method.aggregation, method.jury_percent, method.public_percent) == ("median", 80, 20)
    assert list(
        TierRule.objects.filter(tier__contest=clone, distinction=True).values_list(
            "tier__position", flat=True
        )
    ) == [2]
    voting = VotingSettings.objects.get(contest=clone)
    assert (voting.policy, voting.votes_per_day) == ("daily", 5)
    assert ScreeningLevel.objects.get(phase__contest=clone).reason_required is False

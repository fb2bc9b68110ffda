"""The 2023 jury as demo data: a rubric, five jurors' scorecards for the 21 finalists and
a published result that matches what the committee decided in 2023.

Prize rules: "Tác phẩm đạt chất lượng cao về truyền thông" is declared a *distinction*
(results.allocate): it may go to an entry that already holds a prize. So Nghĩa Điền,
first in the ranking, takes "Giải Nhất toàn diện" and is also one of the four works of
high communication quality, with Phổ Hòa, Đức Phong and Kỳ Thọ Nam 2 — as in 2023.

Deterministic (scores come from a fixed table) and idempotent (a second run changes
nothing). Needs the finalists from the screening demo step.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from clipcontest.contests.models import Contest, PrizeTier
from clipcontest.judging import domain as judging
from clipcontest.judging.enums import AssignmentMode, RoundState, ScorecardState
from clipcontest.judging.models import Assignment, JuryRound, Rubric
from clipcontest.judging.queries import finalist_entries

from . import domain as results
from .enums import Aggregation, TieBreak
from .models import Publication

CRITERIA = [
    judging.CriterionInput(
        "Nội dung và thông điệp",
        Decimal("0.3"),
        "Thông điệp về chuyển đổi số rõ ràng, chính xác, hữu ích cho người dân.",
    ),
    judging.CriterionInput("Tính sáng tạo", Decimal("0.2"), "Ý tưởng, cách kể chuyện mới."),
    judging.CriterionInput(
        "Chất lượng kỹ thuật", Decimal("0.2"), "Hình ảnh, âm thanh, dựng phim, phụ đề."
    ),
    judging.CriterionInput(
        "Hiệu quả truyền thông",
        Decimal("0.3"),
        "Người xem theo dõi đến hết, ghi nhớ và chia sẻ.",
    ),
]

#: Each real work's base score (the committee's 2023 choice); invented works score lower.
BASE = {
    "Xã Nghĩa Điền hoàn thành chi trả trợ cấp xã hội không dùng tiền mặt": Decimal("9.0"),
    "Có Chú Minh đây rồi": Decimal("8.5"),
    "Tổ công nghệ số cộng đồng xã Đức Phong năng động, sáng tạo": Decimal("8.25"),
    "Cầu nối đưa chuyển đổi số đến từng người dân": Decimal("8.0"),
}
DISTINCTION = "Tác phẩm đạt chất lượng cao về truyền thông"
JURORS = [f"giamkhao{i}" for i in range(1, 6)]


def _base(title: str, index: int) -> Decimal:
    # Invented works spread over 5.0–7.5 by their place in a title-sorted list.
    return BASE.get(title, Decimal("5.0") + Decimal("0.5") * (index % 6))


def demo_scores(title: str, index: int, juror: int, n_criteria: int) -> list[Decimal]:
    """Juror ``juror`` (0–4) on entry ``index``: the base score plus a deviation in
    −0.5…+0.5 that sums to zero over the five jurors, so means stay on the base."""
    out = []
    for c in range(n_criteria):
        swing = Decimal(((7 * juror + 3 * index + 2 * c) % 5) - 2) / 4
        out.append(min(Decimal(10), max(Decimal(0), _base(title, index) + swing)))
    return out


def _method_and_tiers(contest: Contest, by: Any) -> None:
    if not Rubric.objects.filter(contest=contest).exists():
        judging.set_rubric(contest=contest, by=by, criteria=CRITERIA, scale_min=0, scale_max=10)
    results.set_method(
        contest=contest,
        by=by,
        aggregation=Aggregation.MEAN,
        jury_percent=100,
        public_percent=0,
        tie_break=[TieBreak.JURY, TieBreak.criterion(4), TieBreak.PUBLIC, TieBreak.COMMITTEE],
        one_prize_per_entry=True,
    )
    tier = PrizeTier.objects.filter(contest=contest, name=DISTINCTION).first()
    if tier is not None:
        results.set_distinction(tier=tier, distinction=True, by=by)


def _round(contest: Contest, by: Any) -> JuryRound:
    jury_round = JuryRound.objects.filter(contest=contest).order_by("number").first()
    if jury_round is None:
        jury_round = judging.create_round(
            contest=contest, by=by, name="Chấm chung khảo", mode=AssignmentMode.ALL, blind=True
        )
    if jury_round.state == RoundState.SETUP:
        judging.assign_round(round=jury_round, by=by)
        jury_round = judging.open_round(round=jury_round, by=by)
    return jury_round


def _score_all(jury_round: JuryRound) -> None:
    contest = jury_round.contest
    criteria = list(contest.rubric.criteria.order_by("position"))
    entries = sorted(finalist_entries(contest), key=lambda e: e.title)
    jurors = {
        a.juror.username: a.juror
        for a in Assignment.objects.filter(round=jury_round).select_related("juror")
    }
    for index, entry in enumerate(entries):
        for j, username in enumerate(JURORS):
            juror = jurors.get(username)
            assignment = Assignment.objects.filter(
                round=jury_round, juror=juror, entry=entry
            ).first()
            if juror is None or assignment is None:
                continue
            card = getattr(assignment, "scorecard", None)
            if card is not None and card.state == ScorecardState.SUBMITTED:
                continue
            values = demo_scores(entry.title, index, j, len(criteria))
            judging.save_scorecard(
                round=jury_round,
                juror=juror,
                entry=entry,
                scores={c.pk: v for c, v in zip(criteria, values, strict=True)},
                submit=True,
            )


@transaction.atomic
def load_demo_judging(*, contest: Contest, by: Any) -> Publication:
    """Rubric, method, a round scored by giamkhao1…5, closed and published (once)."""
    existing = Publication.objects.filter(contest=contest).order_by("-version").first()
    if existing is not None:
        return existing
    _method_and_tiers(contest, by)
    jury_round = _round(contest, by)
    if jury_round.state == RoundState.OPEN:
        _score_all(jury_round)
        jury_round = judging.close_round(round=jury_round, by=by)
    return results.publish_results(contest=contest, by=by)

"""The demo's questions: the open edition asks what organizers of the 2023 contest asked
by e-mail, through the same domain functions as the organizer's page."""

from __future__ import annotations

from typing import Any

from clipcontest.contests.models import Contest

from . import domain
from .enums import QuestionKind, Visibility
from .models import Question


def load_demo_questions(*, contest: Contest, by: Any) -> list[Question]:
    """Add three questions to ``contest`` unless it already has some (idempotent)."""
    if Question.objects.filter(contest=contest).exists():
        return []
    phone = domain.add_question(
        contest=contest,
        by=by,
        label="Số điện thoại tổ trưởng",
        kind=QuestionKind.SHORT_TEXT,
        required=True,
        help_text="Ban Tổ chức liên hệ khi cần; không công khai.",
        visibility=Visibility.ORGANIZER,
    )
    months = domain.add_question(
        contest=contest,
        by=by,
        label="Tổ đã hoạt động bao nhiêu tháng?",
        kind=QuestionKind.NUMBER,
        visibility=Visibility.COORDINATORS,
    )
    script = domain.add_question(
        contest=contest,
        by=by,
        label="Kịch bản (PDF)",
        kind=QuestionKind.FILE,
        help_text="Kịch bản hoặc lời dẫn của video, tối đa 10 MB.",
        visibility=Visibility.JURY,
        blind_safe=True,
    )
    return [phone, months, script]

"""Replay the 2023 screening of the demo contest with its real outcome.

Given the 21 submitted demo works (``entries.demo`` creates them with their videos), the
works go commune → district → province on the dates of 2023: 13 district-level units,
12 of which forward (Lý Sơn has no entry), and the 21 works reach the province, which
makes them finalists. Four invented works (marked as demo data in their description)
show rejections with reasons: two at the commune level, two at the district level.

Everything goes through the screening domain functions with the historical date as
``now``; the audit log records when the demo was loaded. Idempotent.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from clipcontest.accounts.enums import Role
from clipcontest.accounts.models import User
from clipcontest.contests.eligibility import require_eligible
from clipcontest.contests.models import Contest
from clipcontest.core.errors import DomainError
from clipcontest.entries.demo import demo_clip
from clipcontest.entries.enums import EntryStatus
from clipcontest.entries.models import Entry
from clipcontest.media.domain import import_video, transcode_video
from clipcontest.org.models import Team, Unit

from . import domain
from .enums import ScreeningState
from .models import EntryScreening, UnitScreening
from .queries import screening_chain

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DEMO_NOTE = "Tác phẩm minh họa (dữ liệu demo) để thể hiện việc không chọn ở các cấp."


@dataclass(frozen=True)
class ExtraWork:
    """An invented second work of a demo team, not selected at ``dropped_at``."""

    team_unit: str
    title: str
    dropped_at: str  # "xã" or "huyện"
    reason: str


EXTRA_WORKS = [
    ExtraWork(
        "21271",
        "Nghĩa Điền — hậu trường một buổi tập huấn",
        "xã",
        "Nội dung chủ yếu là hậu trường, chưa thể hiện rõ hoạt động hỗ trợ người dân.",
    ),
    ExtraWork(
        "21046",
        "Bình Thạnh — ghi lại hội nghị chuyển đổi số",
        "xã",
        "Tác phẩm là bản ghi hội nghị, chưa phải video clip tuyên truyền theo thể lệ.",
    ),
    ExtraWork(
        "21442",
        "Phổ An — ngư dân và ví điện tử",
        "huyện",
        "Thị xã đã chọn đủ 3 tác phẩm; chủ đề trùng với tác phẩm của phường Phổ Hòa.",
    ),
    ExtraWork(
        "21235",
        "La Hà — một ngày ở bộ phận một cửa",
        "huyện",
        "Huyện đã chọn đủ 3 tác phẩm; âm thanh và phụ đề chưa đạt yêu cầu.",
    ),
]


@dataclass
class DemoScreeningResult:
    entered: int
    district_units: int
    district_units_forwarded: int
    finalists: int
    rejected: int


def _at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2023, 9, day, hour, tzinfo=VN)


def _own_clip(entry: Entry, index: int, by: Any) -> None:
    """Give an invented work a clip of its own (its title on it), through the pipeline."""
    with tempfile.TemporaryDirectory(prefix="clipcontest-demo-") as tmp:
        clip = demo_clip(title=entry.title, index=index, folder=Path(tmp))
        video = import_video(entry=entry, path=clip, by=by, enforce_limits=False)
    transcode_video(video_id=video.pk)


def _extra_entries(contest: Contest, by: Any) -> dict[int, ExtraWork]:
    teams = {
        t.unit.code: t
        for t in Team.objects.filter(
            unit__hierarchy_id=contest.organizer_unit.hierarchy_id,
            unit__code__in=[w.team_unit for w in EXTRA_WORKS],
            entries__contest=contest,
        ).select_related("unit")
    }
    extras = {}
    for index, work in enumerate(EXTRA_WORKS, start=40):
        team = teams[work.team_unit]
        source = Entry.objects.filter(contest=contest, team=team).order_by("pk").first()
        require_eligible(contest=contest, team=team)
        entry = Entry.objects.create(
            contest=contest,
            team=team,
            unit=team.unit,
            title=work.title,
            description=DEMO_NOTE,
            status=EntryStatus.SUBMITTED,
            slot=2,
            consent_people_shown=True,
            created_by=by,
            submitted_at=_at(1, 0) - dt.timedelta(days=2),
        )
        if source is None:
            raise DomainError("Load the demo entries before the screening.")
        _own_clip(entry, index, by)
        extras[entry.pk] = work
    return extras


def _screener(unit: Unit, fallback: User) -> User:
    """The unit's coordinator, or the organizer acting for a unit without one."""
    coordinator = (
        User.objects.filter(role_grants__role=Role.COORDINATOR, role_grants__unit=unit)
        .order_by("pk")
        .first()
    )
    return coordinator or fallback


def screen_level(
    contest: Contest, level: str, at: dt.datetime, extras: dict[int, ExtraWork], by: User
) -> None:
    """Decide every stage of ``level`` at ``at`` as its coordinator (or ``by``): reject the
    extra works dropped there, shortlist and forward the others."""
    stages = UnitScreening.objects.filter(contest=contest, phase__level__name=level).select_related(
        "unit"
    )
    for stage in stages.order_by("unit__path"):
        who = _screener(stage.unit, by)
        items = EntryScreening.objects.filter(stage=stage).select_related("entry")
        chosen = []
        for item in items.order_by("entry__pk"):
            extra = extras.get(item.entry_id)
            if extra is not None and extra.dropped_at == level:
                domain.reject_entry(
                    entry=item.entry, unit=stage.unit, by=who, reason=extra.reason, now=at
                )
                continue
            domain.shortlist_entry(entry=item.entry, unit=stage.unit, by=who, now=at)
            chosen.append(item.entry)
        if chosen:
            domain.forward_entries(
                contest=contest,
                unit=stage.unit,
                entries=chosen,
                by=who,
                now=at + dt.timedelta(hours=2),
            )


@transaction.atomic
def load_demo_screening(*, contest: Contest, by: User) -> DemoScreeningResult:
    """Screen the demo contest as it happened in 2023 (see the module docstring).

    Creates four invented works with borrowed videos, enters every submitted work at its
    commune, and runs the three levels with the 2023 dates; writes decisions, audit events
    and (after commit) the e-mails of each decision. A second call changes nothing.
    """
    if not EntryScreening.objects.filter(entry__contest=contest).exists():
        chain = screening_chain(contest)
        extras = _extra_entries(contest, by)
        domain.enter_screening(contest=contest, now=chain[0].starts_at + dt.timedelta(hours=9))
        for phase in chain:
            level = phase.level.name if phase.level else ""
            at = phase.starts_at + dt.timedelta(days=2, hours=9)
            screen_level(contest, level, at, extras, by)
            domain.lock_due_stages(now=phase.ends_at, contest=contest)
    return demo_outcome(contest)


def demo_outcome(contest: Contest) -> DemoScreeningResult:
    items = EntryScreening.objects.filter(entry__contest=contest)
    chain = screening_chain(contest)
    district = chain[-2] if len(chain) > 1 else chain[-1]
    return DemoScreeningResult(
        entered=items.filter(phase=chain[0]).count(),
        district_units=Unit.objects.filter(
            hierarchy_id=contest.organizer_unit.hierarchy_id, level=district.level
        ).count(),
        district_units_forwarded=UnitScreening.objects.filter(
            phase=district, forwarded_count__gt=0
        ).count(),
        finalists=items.filter(state=ScreeningState.FINALIST).count(),
        rejected=items.filter(state=ScreeningState.REJECTED).count(),
    )

"""Demo editions that are live at the moment the demo is loaded.

The 2023 contest is history: nothing in it can be tried. Next to it the demo keeps
three practice editions on the same map, each with its timeline placed around *now*,
so a newcomer can try each flow right after loading:

- screening open at the district level (``dieuphoi.tunghia`` shortlists and forwards;
  the commune level ran in the past through the screening domain functions);
- public voting open on four finalists (verification codes arrive in the outbox);
- a jury round open for ``giamkhao1`` (and two other jurors) on three finalists.

The 2nd edition (submission open, ``to.tunghia``) covers the upload flow. Every row is
made by the same domain functions the pages call; each work gets its own clip.
Idempotent: an edition that exists is left as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from clipcontest.accounts.domain import grant_role
from clipcontest.accounts.enums import Role
from clipcontest.accounts.models import User
from clipcontest.contests import domain as contests
from clipcontest.contests.enums import ContestStatus, PhaseKind, PrizeKind
from clipcontest.contests.models import Contest
from clipcontest.org.models import Level, Team, Unit

SCREENING = "demo-xet-chon-dang-mo"
VOTING = "demo-binh-chon-dang-mo"
JUDGING = "demo-cham-diem-dang-mo"
DISTRICT_TU_NGHIA = "528"

# Days from now at which each phase starts, in timeline order, then the results' end.
# The phase whose window holds day 0 is the one open now.
SCHEDULES: dict[str, tuple[int, ...]] = {
    #            submission xã  huyện tỉnh voting judging results end
    SCREENING: (-20, -6, -1, 6, 10, 20, 27, 60),
    VOTING: (-23, -13, -9, -5, -1, 9, 16, 60),
    JUDGING: (-30, -20, -16, -12, -8, -1, 6, 60),
}
TITLES = {
    SCREENING: "Cuộc thi thử — đang xét chọn cấp huyện",
    VOTING: "Cuộc thi thử — đang bình chọn",
    JUDGING: "Cuộc thi thử — Ban Giám khảo đang chấm",
}
WORKS = {
    SCREENING: (
        "Hướng dẫn cài VNeID tại nhà văn hóa thôn",
        "Chợ phiên không dùng tiền mặt",
        "Bà con tra cứu bảo hiểm xã hội trên điện thoại",
        "Một buổi trực của Tổ công nghệ số",
    ),
    VOTING: (
        "Đường đến dịch vụ công chỉ bằng một chạm",
        "Thanh niên tình nguyện hướng dẫn ví điện tử",
        "Nông sản lên sàn thương mại điện tử",
        "Lớp học kỹ năng số cho người cao tuổi",
    ),
    JUDGING: (
        "Hồ sơ khai sinh trực tuyến trong 10 phút",
        "Camera an ninh thôn xóm kết nối",
        "Học sinh dạy ông bà dùng điện thoại thông minh",
    ),
}


@dataclass(frozen=True)
class LiveEdition:
    contest: Contest
    what: str  # what a newcomer can try there


def _timeline(slug: str, levels: dict[str, Level], now: dt.datetime) -> list[Any]:
    days = SCHEDULES[slug]
    at = [now + dt.timedelta(days=d) for d in days]
    kinds: list[tuple[str, Level | None, int | None]] = [
        (PhaseKind.SUBMISSION, None, None),
        (PhaseKind.SCREENING, levels["xã"], 2),
        (PhaseKind.SCREENING, levels["huyện"], 3),
        (PhaseKind.SCREENING, levels["tỉnh"], 10),
        (PhaseKind.VOTING, None, None),
        (PhaseKind.JUDGING, None, None),
        (PhaseKind.RESULTS, None, None),
    ]
    return [
        contests.PhaseInput(kind=kind, level=level, quota=quota, starts_at=at[i], ends_at=at[i + 1])
        for i, (kind, level, quota) in enumerate(kinds)
    ]


def _teams(province: Unit, count: int, offset: int) -> list[Team]:
    """Demo teams, those of Huyện Tư Nghĩa first (its coordinator is a demo login)."""
    district = Unit.objects.get(hierarchy_id=province.hierarchy_id, code=DISTRICT_TU_NGHIA)
    teams = list(
        Team.objects.filter(unit__hierarchy_id=province.hierarchy_id).select_related("unit")
    )
    teams.sort(key=lambda t: (not t.unit.path.startswith(district.path), t.unit.path, t.pk))
    return [teams[(offset + i) % len(teams)] for i in range(count)]


def _create(slug: str, province: Unit, organizer: User, now: dt.datetime) -> Contest:
    contest = contests.create_contest(
        by=organizer,
        slug=slug,
        series=slug,
        edition=1,
        organizer_unit=province,
        title=TITLES[slug],
        organizer_name="Sở Thông tin và Truyền thông tỉnh Quảng Ngãi (bản demo)",
        summary="Lần thi thử của bản demo: lịch trình được đặt quanh thời điểm cài đặt.",
        rules_text="Dữ liệu minh họa để thử các chức năng của nền tảng.",
        entries_per_team=2,
        max_video_mb=512,
        min_duration_seconds=1,
        max_duration_seconds=600,
        max_video_height=1080,
    )
    levels = {lv.name: lv for lv in Level.objects.filter(hierarchy_id=province.hierarchy_id)}
    contests.set_timeline(contest=contest, phases=_timeline(slug, levels, now), by=organizer)
    contests.set_prize_tiers(
        contest=contest,
        by=organizer,
        tiers=[contests.PrizeInput(name="Giải Nhất", count=1, kind=PrizeKind.JURY)],
    )
    return contests.set_status(contest=contest, status=ContestStatus.PUBLISHED, by=organizer)


def _screen_past_levels(contest: Contest, organizer: User, levels: int) -> None:
    """Run the first ``levels`` screening levels in the past, forwarding every work."""
    from clipcontest.screening import domain as screening
    from clipcontest.screening.demo import screen_level
    from clipcontest.screening.queries import screening_chain

    chain = screening_chain(contest)
    screening.enter_screening(contest=contest, now=chain[0].starts_at + dt.timedelta(hours=9))
    for phase in chain[:levels]:
        level = phase.level.name if phase.level else ""
        screen_level(contest, level, phase.starts_at + dt.timedelta(hours=12), {}, organizer)
        screening.lock_due_stages(now=phase.ends_at, contest=contest)


def _open_jury(contest: Contest, organizer: User) -> None:
    from clipcontest.judging import domain as judging

    for i in (1, 2, 3):
        juror = User.objects.get(username=f"giamkhao{i}")
        grant_role(user=juror, role=Role.JUROR, contest=contest, by=organizer)
    with translation.override("vi"):  # the default criteria are named in the demo's language
        judging.ensure_rubric(contest=contest, by=organizer)
    jury_round = judging.create_round(contest=contest, by=organizer, name="Chấm thử", blind=False)
    judging.assign_round(round=jury_round, by=organizer, seed="demo")
    judging.open_round(round=jury_round, by=organizer)


def load_live_editions(*, province: Unit, organizer: User) -> list[LiveEdition]:
    """Create (once) the three practice editions around now; see the module docstring."""
    from clipcontest.entries.demo import load_demo_entries

    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    out = []
    for index, slug in enumerate((SCREENING, VOTING, JUDGING)):
        contest = Contest.objects.filter(slug=slug).first()
        if contest is None:
            with transaction.atomic():
                contest = _create(slug, province, organizer, now)
            teams = _teams(province, len(WORKS[slug]), offset=index * 4)
            load_demo_entries(
                contest=contest,
                teams_and_titles=list(zip(teams, WORKS[slug], strict=True)),
                by=organizer,
                first_index=20 + index * 4,
            )
            with transaction.atomic():
                _screen_past_levels(contest, organizer, levels=1 if slug == SCREENING else 3)
                if slug == JUDGING:
                    _open_jury(contest, organizer)
        out.append(LiveEdition(contest, _WHAT[slug]))
    return out


_WHAT = {
    SCREENING: "dieuphoi.tunghia: shortlist and forward (district level open now)",
    VOTING: "anyone: vote (codes arrive in var/outbox/)",
    JUDGING: "giamkhao1: score the finalists (round open now)",
}

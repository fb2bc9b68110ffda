"""Load the demo data set (idempotent: a second run changes nothing)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from clipcontest.accounts.domain import grant_role
from clipcontest.accounts.enums import Role
from clipcontest.accounts.models import User
from clipcontest.contests import domain as contests
from clipcontest.contests.enums import ContestStatus, PhaseKind, PrizeKind
from clipcontest.contests.models import Contest
from clipcontest.org import domain as org
from clipcontest.org.enums import TeamRole
from clipcontest.org.models import Hierarchy, Level, Team, Unit

from .live import load_live_editions
from .works import RULES_2023, TEAM_LOGINS, WORKS

DEMO_PASSWORD = "clipcontest-demo"  # noqa: S105 - printed on purpose for the demo
HIERARCHY_2023 = "quang-ngai-2023"
CONTEST_2023 = "video-to-cnscd-quang-ngai-2023"
CONTEST_NEXT = "video-to-cnscd-quang-ngai-lan-2"
SERIES = "video-to-cnscd-quang-ngai"
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class DemoResult:
    contest: Contest
    next_contest: Contest
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # role, user, note
    teams: list[tuple[Team, str]] = field(default_factory=list)  # team, work title
    live: list[tuple[str, str]] = field(default_factory=list)  # contest slug, what to try


def ascii_slug(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def _user(username: str, display_name: str, *, superuser: bool = False) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "display_name": display_name,
            "email": f"{username}@demo.clipcontest.local",
            "is_superuser": superuser,
            "is_staff": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _hierarchy_2023() -> Hierarchy:
    hierarchy, _created = Hierarchy.objects.get_or_create(
        slug=HIERARCHY_2023,
        defaults={
            "name": "Quảng Ngãi (2023, trước sắp xếp)",
            "source": "GSO codes via vietnam-provinces 0.6.0; villages: demo data",
            "valid_from": dt.date(2020, 1, 1),
        },
    )
    if not hierarchy.units.exists():
        text = (resources.files("clipcontest.org") / "data" / "quang-ngai-2023.csv").read_text(
            encoding="utf-8"
        )
        org.import_units_csv(hierarchy=hierarchy, text=text)
    return hierarchy


def _at(y: int, m: int, d: int, hh: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, tzinfo=VN)


def _contest_2023(hierarchy: Hierarchy, organizer: User) -> Contest:
    existing = Contest.objects.filter(slug=CONTEST_2023).first()
    if existing:
        return existing
    province = Unit.objects.get(hierarchy=hierarchy, code="51")
    contest = contests.create_contest(
        by=organizer,
        slug=CONTEST_2023,
        series=SERIES,
        edition=1,
        organizer_unit=province,
        title="Cuộc thi video clip Tổ công nghệ số cộng đồng lần thứ I",
        organizer_name="Sở Thông tin và Truyền thông tỉnh Quảng Ngãi",
        summary=(
            "Chọn các video clip chất lượng để dùng trong công tác thông tin, truyền thông "
            "về chuyển đổi số; giúp các Tổ công nghệ số cộng đồng học tập kinh nghiệm "
            "lẫn nhau."
        ),
        rules_text=RULES_2023,
        entries_per_team=2,
        max_video_mb=2048,
        min_duration_seconds=30,
        max_duration_seconds=600,
        max_video_height=2160,
    )
    levels = {lv.name: lv for lv in Level.objects.filter(hierarchy=hierarchy)}
    phases = [
        contests.PhaseInput(
            kind=PhaseKind.SUBMISSION, starts_at=_at(2023, 8, 1), ends_at=_at(2023, 9, 1)
        ),
        contests.PhaseInput(
            kind=PhaseKind.SCREENING,
            level=levels["xã"],
            quota=2,
            starts_at=_at(2023, 9, 1),
            ends_at=_at(2023, 9, 8),
        ),
        contests.PhaseInput(
            kind=PhaseKind.SCREENING,
            level=levels["huyện"],
            quota=3,
            starts_at=_at(2023, 9, 8),
            ends_at=_at(2023, 9, 16),
        ),
        contests.PhaseInput(
            kind=PhaseKind.SCREENING,
            level=levels["tỉnh"],
            quota=21,
            starts_at=_at(2023, 9, 16),
            ends_at=_at(2023, 9, 21),
        ),
        contests.PhaseInput(
            kind=PhaseKind.VOTING, starts_at=_at(2023, 9, 21), ends_at=_at(2023, 10, 6)
        ),
        contests.PhaseInput(
            kind=PhaseKind.JUDGING, starts_at=_at(2023, 10, 6), ends_at=_at(2023, 10, 16)
        ),
        contests.PhaseInput(
            kind=PhaseKind.RESULTS, starts_at=_at(2023, 10, 16), ends_at=_at(2023, 12, 31)
        ),
    ]
    contests.set_timeline(contest=contest, phases=phases, by=organizer)
    contests.set_prize_tiers(
        contest=contest,
        by=organizer,
        tiers=[
            contests.PrizeInput(name="Giải Nhất toàn diện", count=1, kind=PrizeKind.JURY),
            contests.PrizeInput(
                name="Tác phẩm đạt chất lượng cao về truyền thông", count=4, kind=PrizeKind.JURY
            ),
        ],
    )
    return contests.set_status(contest=contest, status=ContestStatus.PUBLISHED, by=organizer)


def _next_edition(source: Contest, organizer: User, admin: User) -> Contest:
    """The 2nd edition on the post-2025 map (province → commune/ward), cloned from the
    1st with submission open now; the district screening level no longer exists."""
    existing = Contest.objects.filter(slug=CONTEST_NEXT).first()
    if existing:
        return existing
    vn = org.import_vietnam(province_codes=[51], by=admin)
    province = Unit.objects.get(hierarchy=vn, code="51")
    grant_role(user=organizer, role=Role.ORGANIZER, unit=province, by=admin)
    today = timezone.localtime(timezone.now(), VN).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    contest = contests.clone_contest(
        source=source,
        by=organizer,
        slug=CONTEST_NEXT,
        edition=2,
        title="Cuộc thi video clip Tổ công nghệ số cộng đồng lần thứ II",
        submission_starts_at=today - dt.timedelta(days=10),
        organizer_unit=province,
    )
    commune = Unit.objects.get(hierarchy=vn, name="Xã Tư Nghĩa")
    team = org.create_team(
        unit=commune, name="Tổ công nghệ số cộng đồng xã Tư Nghĩa", by=organizer, is_demo=True
    )
    leader = _user("to.tunghia", "Tổ trưởng — Tổ CNSCĐ xã Tư Nghĩa")
    org.add_team_member(team=team, user=leader, by=organizer, role=TeamRole.LEADER)
    return contests.set_status(contest=contest, status=ContestStatus.PUBLISHED, by=organizer)


def _teams(hierarchy: Hierarchy, organizer: User) -> list[tuple[Team, str]]:
    out = []
    units = {
        u.code: u
        for u in Unit.objects.filter(hierarchy=hierarchy, code__in=[w.unit_code for w in WORKS])
    }
    for work in WORKS:
        unit = units[work.unit_code]
        team = Team.objects.filter(unit=unit, name=work.team).first() or org.create_team(
            unit=unit, name=work.team, by=organizer, is_demo=work.invented
        )
        out.append((team, work.title))
    return out


@transaction.atomic
def _foundation() -> DemoResult:
    """The 2023 hierarchy, people, contest, teams and the next edition."""
    hierarchy = _hierarchy_2023()
    province = Unit.objects.get(hierarchy=hierarchy, code="51")
    admin = _user("admin", "Quản trị hệ thống", superuser=True)
    organizer = _user("bantochuc", "Ban Tổ chức — Sở TT&TT Quảng Ngãi")
    grant_role(user=organizer, role=Role.ORGANIZER, unit=province, by=admin)
    logins = [
        ("site admin", "admin", "Quản trị hệ thống"),
        ("organizer", "bantochuc", province.name),
    ]
    for district in Unit.objects.filter(hierarchy=hierarchy, depth=1).order_by("name"):
        username = f"dieuphoi.{ascii_slug(district.name[len(district.kind) :])}"
        coordinator = _user(username, f"Điều phối {district.name}")
        grant_role(user=coordinator, role=Role.COORDINATOR, unit=district, by=organizer)
        if district.code == "528":
            logins.append(("district coordinator", username, district.name))
    nghia_dien = Unit.objects.get(hierarchy=hierarchy, code="21271")
    commune_coordinator = _user("dieuphoi.nghiadien", "Điều phối xã Nghĩa Điền")
    grant_role(user=commune_coordinator, role=Role.COORDINATOR, unit=nghia_dien, by=organizer)
    logins.append(("commune coordinator", "dieuphoi.nghiadien", nghia_dien.name))
    contest = _contest_2023(hierarchy, organizer)
    for i in range(1, 6):
        juror = _user(f"giamkhao{i}", f"Giám khảo {i}")
        grant_role(user=juror, role=Role.JUROR, contest=contest, by=organizer)
    logins.append(("juror", "giamkhao1", contest.title))
    teams = _teams(hierarchy, organizer)
    by_unit = {team.unit.code: team for team, _title in teams}
    for username, unit_code in TEAM_LOGINS.items():
        team = by_unit[unit_code]
        leader = _user(username, f"Tổ trưởng — {team.name}")
        org.add_team_member(team=team, user=leader, by=organizer, role=TeamRole.LEADER)
    logins.append(("team", "to.nghiadien", by_unit["21271"].name))
    next_contest = _next_edition(contest, organizer, admin)
    logins.append(("team (2nd edition, submission open)", "to.tunghia", "Xã Tư Nghĩa"))
    return DemoResult(contest=contest, next_contest=next_contest, logins=logins, teams=teams)


def load_demo(*, progress: Callable[[str], None] = lambda message: None) -> DemoResult:
    """Load the whole 2023 contest, each stage once (a second run changes nothing):
    people and the contest; 21 works with real clips through the video pipeline; the
    screening chain's decisions; the public vote; the jury and the published result.
    Each stage commits on its own, so a long transcode never holds the others back."""
    from clipcontest.entries.demo import load_demo_entries
    from clipcontest.results.demo import load_demo_judging
    from clipcontest.screening.demo import load_demo_screening
    from clipcontest.voting.demo import load_demo_votes

    result = _foundation()
    organizer = User.objects.get(username="bantochuc")
    from clipcontest.announcements.demo import load_demo_announcement
    from clipcontest.questions.demo import load_demo_questions

    load_demo_questions(contest=result.next_contest, by=organizer)
    load_demo_announcement(contest=result.next_contest, by=organizer)
    progress("works and their clips (FFmpeg)…")
    load_demo_entries(contest=result.contest, teams_and_titles=result.teams, by=organizer)
    progress("screening: communes, districts, province…")
    load_demo_screening(contest=result.contest, by=organizer)
    progress("public vote, sealed into its log…")
    load_demo_votes(contest=result.contest, by=organizer)
    progress("jury scores and the published result…")
    load_demo_judging(contest=result.contest, by=organizer)
    progress("practice editions live now: screening, voting, jury…")
    province = result.contest.organizer_unit
    for edition in load_live_editions(province=province, organizer=organizer):
        result.live.append((edition.contest.slug, edition.what))
    return result

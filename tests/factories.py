"""factory_boy factories for the foundation apps.

``UnitFactory`` builds a unit under ``parent`` with the right level, path and depth, so
tests can grow small trees: province → district → commune → village.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from clipcontest.accounts.enums import Role
from clipcontest.accounts.models import RoleGrant, User
from clipcontest.contests.enums import ContestStatus, PhaseKind
from clipcontest.contests.models import Contest, Phase
from clipcontest.entries.models import Entry
from clipcontest.media.enums import VideoStatus
from clipcontest.media.models import Rendition, Video
from clipcontest.org.models import Hierarchy, Level, Team, TeamMembership, Unit

LEVEL_NAMES = ["tỉnh", "huyện", "xã", "thôn"]


class HierarchyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hierarchy
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"h{n}")
    name = factory.LazyAttribute(lambda o: f"Hierarchy {o.slug}")


def level_for(hierarchy: Hierarchy, rank: int) -> Level:
    level, _ = Level.objects.get_or_create(
        hierarchy=hierarchy, rank=rank, defaults={"name": LEVEL_NAMES[rank]}
    )
    return level


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    class Params:
        parent_unit = None

    hierarchy = factory.LazyAttribute(
        lambda o: o.parent.hierarchy if o.parent else HierarchyFactory()
    )
    parent = None
    code = factory.Sequence(lambda n: f"u{n}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    depth = factory.LazyAttribute(lambda o: o.parent.depth + 1 if o.parent else 0)
    level = factory.LazyAttribute(lambda o: level_for(o.hierarchy, o.depth))
    kind = factory.LazyAttribute(lambda o: o.level.name)
    path = factory.LazyAttribute(
        lambda o: Unit.make_path(o.parent.path if o.parent else None, o.code)
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("pw-for-tests-1")


def grant(
    user: User, role: Role, *, unit: Unit | None = None, contest: Contest | None = None
) -> RoleGrant:
    return RoleGrant.objects.create(user=user, role=role, unit=unit, contest=contest)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Tổ CNSCĐ {n}")


def add_member(team: Team, user: User, role: str = "member") -> TeamMembership:
    return TeamMembership.objects.create(team=team, user=user, role=role)


class ContestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contest

    slug = factory.Sequence(lambda n: f"contest-{n}")
    series = factory.Sequence(lambda n: f"series-{n}")
    title = factory.Sequence(lambda n: f"Cuộc thi {n}")
    edition = 1
    organizer_unit = factory.SubFactory(UnitFactory)
    status = ContestStatus.PUBLISHED


def add_phase(
    contest: Contest,
    kind: PhaseKind,
    start: dt.datetime,
    days: int = 7,
    *,
    level: Level | None = None,
    quota: int | None = None,
) -> Phase:
    return Phase.objects.create(
        contest=contest,
        kind=kind,
        level=level,
        quota=quota,
        starts_at=start,
        ends_at=start + dt.timedelta(days=days),
    )


def now() -> dt.datetime:
    return timezone.now().replace(microsecond=0)


def add_video(entry: Entry, status: str = VideoStatus.READY) -> Video:
    """A current video as the pipeline leaves it (360p rendition once watchable), without
    running FFmpeg: for tests about who sees and acts on entries, not about video."""
    video = Video.objects.create(
        entry=entry,
        is_current=True,
        original=f"originals/{entry.public_id}.mp4",
        original_size=1000,
        sha256="0" * 64,
        container="mp4",
        video_codec="h264",
        width=640,
        height=360,
        fps=25,
        duration=60,
        status=status,
        poster=f"posters/{entry.public_id}.jpg",
    )
    if status in VideoStatus.watchable():
        Rendition.objects.create(
            video=video,
            label="360p",
            width=640,
            height=360,
            video_kbps=800,
            audio_kbps=96,
            name=f"renditions/{entry.public_id}-360p.mp4",
            size=1000,
        )
    return video

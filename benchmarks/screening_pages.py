"""Benchmark: the coordinator's and the organizer's screening pages at national scale.

Loads Vietnam's 34 provinces and 3,321 communes/wards (``org.domain.import_vietnam``),
a contest of the province with the most communes (chain xã → tỉnh), and 20,000 submitted
entries with ready videos spread over its communes, all entered into screening. Then it
times each page (Django test client, full middleware and template rendering) against the
plain SQL query returning the same rows, and prints page ÷ SQL (target ≤ 3). It also
times the framework floor: a bare view mounted by this script behind the same
middleware, session and login, running the same plain SQL and writing its rows out
without a template; page ÷ floor is what the page's own code costs.

    .venv/bin/python benchmarks/screening_pages.py [--entries 20000] [--runs 15]

Runs on a throwaway SQLite database in a temporary folder; set BENCH_DATABASE_URL to
run on an empty PostgreSQL database instead (it will be migrated).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ["CLIPCONTEST_DATA_DIR"] = tempfile.mkdtemp(prefix="clipcontest-bench-")
os.environ.pop("DATABASE_URL", None)
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clipcontest.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import (  # noqa: E402
    close_old_connections,
    connection,
    reset_queries,
)
from django.db.models import Count  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from clipcontest.accounts.enums import Role  # noqa: E402
from clipcontest.accounts.models import RoleGrant, User  # noqa: E402
from clipcontest.contests.enums import ContestStatus, PhaseKind  # noqa: E402
from clipcontest.contests.models import Contest, Phase  # noqa: E402
from clipcontest.entries.enums import EntryStatus  # noqa: E402
from clipcontest.entries.models import Entry  # noqa: E402
from clipcontest.media.enums import VideoStatus  # noqa: E402
from clipcontest.media.models import Rendition, Video  # noqa: E402
from clipcontest.org import domain as org  # noqa: E402
from clipcontest.org.models import Level, Team, Unit  # noqa: E402
from clipcontest.screening import domain  # noqa: E402
from clipcontest.screening.models import UnitScreening  # noqa: E402
from clipcontest.screening.views.coordinator import PAGE_SIZE  # noqa: E402

# The rows the queue page shows: one page of items (PAGE_SIZE, in arrival order) with
# entry, team, unit, current video and its renditions (the page shows the smallest).
QUEUE_SQL = """
SELECT i.id, i.state, i.reason, i.note, i.arrived_at, i.decided_at,
       e.public_id, e.title, e.status, t.name, u.name, v.id, v.status, v.poster, r.label
FROM (SELECT * FROM screening_entryscreening WHERE stage_id = %s
      ORDER BY arrived_at, id LIMIT %s) i
JOIN entries_entry e ON e.id = i.entry_id
JOIN org_team t ON t.id = e.team_id
JOIN org_unit u ON u.id = e.unit_id
LEFT JOIN media_video v ON v.entry_id = e.id AND v.is_current
LEFT JOIN media_rendition r ON r.video_id = v.id
ORDER BY i.arrived_at, i.id, r.height
"""

OVERVIEW_SQL = """
SELECT u.id, u.code, u.name, s.id, s.reopened_until, s.locked_at, s.signed_off_at,
       COALESCE(s.quota_override, %s),
       COUNT(i.id),
       COUNT(i.id) FILTER (WHERE i.state IN ('forwarded', 'finalist')),
       COUNT(i.id) FILTER (WHERE i.state = 'rejected'),
       COUNT(i.id) FILTER (WHERE i.state IN ('pending', 'shortlisted')),
       COUNT(i.id) FILTER (WHERE i.state = 'stopped')
FROM org_unit u
LEFT JOIN screening_unitscreening s ON s.unit_id = u.id AND s.phase_id = %s
LEFT JOIN screening_entryscreening i ON i.stage_id = s.id
WHERE u.hierarchy_id = %s AND u.level_id = %s AND u.path LIKE %s
GROUP BY u.id, u.code, u.name, u.path, s.id, s.reopened_until, s.locked_at, s.signed_off_at,
         s.quota_override
ORDER BY u.path
LIMIT 100
"""


def build(entries_wanted: int) -> tuple[Contest, Unit, Unit, User, User]:
    call_command("migrate", verbosity=0)
    vn = org.import_vietnam()
    print(f"units: {Unit.objects.filter(hierarchy=vn).count()}")
    biggest = (
        Unit.objects.filter(hierarchy=vn, depth=1)
        .values("parent_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert biggest is not None
    province = Unit.objects.get(pk=biggest["parent_id"])
    communes = list(Unit.objects.filter(parent=province).order_by("path"))
    print(f"contest of {province.name}: {len(communes)} communes")
    start = timezone.now() - dt.timedelta(days=1)
    contest = Contest.objects.create(
        slug="bench",
        series="bench",
        title="Benchmark",
        edition=1,
        organizer_unit=province,
        status=ContestStatus.PUBLISHED,
    )
    Phase.objects.create(
        contest=contest,
        kind=PhaseKind.SUBMISSION,
        starts_at=start - dt.timedelta(days=30),
        ends_at=start,
    )
    Phase.objects.create(
        contest=contest,
        kind=PhaseKind.SCREENING,
        level=Level.objects.get(hierarchy=vn, rank=1),
        quota=3,
        starts_at=start,
        ends_at=start + dt.timedelta(days=7),
    )
    Phase.objects.create(
        contest=contest,
        kind=PhaseKind.SCREENING,
        level=Level.objects.get(hierarchy=vn, rank=0),
        quota=30,
        starts_at=start + dt.timedelta(days=7),
        ends_at=start + dt.timedelta(days=14),
    )
    teams = Team.objects.bulk_create([Team(unit=c, name=f"Tổ CNSCĐ {c.name}") for c in communes])
    per_team: dict[int, int] = {}
    batch = []
    for n in range(entries_wanted):
        team = teams[n % len(teams)]
        per_team[team.pk] = per_team.get(team.pk, 0) + 1
        batch.append(
            Entry(
                contest=contest,
                team=team,
                unit=team.unit,
                title=f"Tác phẩm {n}",
                status=EntryStatus.SUBMITTED,
                slot=per_team[team.pk],
                submitted_at=start - dt.timedelta(hours=1),
            )
        )
    Entry.objects.bulk_create(batch, batch_size=2000)
    entry_ids = list(Entry.objects.filter(contest=contest).values_list("pk", flat=True))
    videos = Video.objects.bulk_create(
        [
            Video(
                entry_id=pk,
                is_current=True,
                original=f"o/{pk}.mp4",
                original_size=1,
                sha256="0" * 64,
                container="mp4",
                video_codec="h264",
                width=1280,
                height=720,
                fps=25,
                duration=90,
                status=VideoStatus.READY,
                poster=f"p/{pk}.jpg",
            )
            for pk in entry_ids
        ],
        batch_size=2000,
    )
    if any(v.pk is None for v in videos):
        videos = list(Video.objects.filter(entry_id__in=entry_ids))
    Rendition.objects.bulk_create(
        [
            Rendition(
                video=v,
                label=label,
                width=w,
                height=h,
                video_kbps=k,
                audio_kbps=96,
                name=f"r/{v.pk}-{label}.mp4",
                size=1,
            )
            for v in videos
            for label, w, h, k in (("360p", 640, 360, 800), ("720p", 1280, 720, 2500))
        ],
        batch_size=4000,
    )
    print(f"entries entered: {domain.enter_screening(contest=contest, now=timezone.now())}")
    coordinator = User.objects.create(username="dieuphoi")
    commune = communes[0]
    RoleGrant.objects.create(user=coordinator, role=Role.COORDINATOR, unit=commune)
    organizer = User.objects.create(username="bantochuc")
    RoleGrant.objects.create(user=organizer, role=Role.ORGANIZER, unit=province)
    return contest, province, commune, coordinator, organizer


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm caches (templates, query plans)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def raw(sql: str, params: list[object]) -> Callable[[], object]:
    sql = (
        sql
        if connection.vendor == "postgresql"
        else sql.replace("v.is_current", "v.is_current = 1")
    )

    def run() -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def floor_view(request: HttpRequest, which: str) -> HttpResponse:
    """The framework floor: the same middleware, session and login as a real page, then
    the plain SQL of that page, its rows written out with no template."""
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    return HttpResponse(repr(FLOOR_SQL[which]()))


FLOOR_SQL: dict[str, Callable[[], object]] = {}


def mount_floor() -> None:
    from importlib import import_module

    from django.urls import clear_url_caches, path

    urls = import_module(settings.ROOT_URLCONF)
    urls.urlpatterns.insert(0, path("__bench__/floor/<str:which>/", floor_view))
    clear_url_caches()


def count_queries(fn: Callable[[], object]) -> int:
    seen: list[str] = []

    def note(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        fn()
    return len(seen)


def page(client: Client, url: str) -> Callable[[], object]:
    def run() -> object:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response.content

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    # Not setup_test_environment(): its template instrumentation would be timed too.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # Keep one connection across requests (as Django's test runner does), so the figures
    # measure the page, not reconnecting; keep the query log to count queries.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.disconnect(reset_queries)
    started = time.perf_counter()
    contest, province, commune, coordinator, organizer = build(args.entries)
    print(f"data loaded in {time.perf_counter() - started:.1f} s ({connection.vendor})")
    low = contest.phases.get(level__rank=1)
    stage = UnitScreening.objects.get(phase=low, unit=commune)
    print(f"entries at {commune.name}: {stage.items.count()}")
    checks = [
        (
            "coordinator queue",
            coordinator,
            f"/contests/{contest.slug}/screening/units/{commune.code}/",
            raw(QUEUE_SQL, [stage.pk, PAGE_SIZE]),
        ),
        (
            "organizer overview",
            organizer,
            f"/contests/{contest.slug}/screening/overview/?level={low.pk}",
            raw(
                OVERVIEW_SQL,
                [low.quota, low.pk, province.hierarchy_id, low.level_id, province.path + "%"],
            ),
        ),
    ]
    profile = os.environ.get("BENCH_PROFILE")
    mount_floor()
    for name, user, url, sql in checks:
        client = Client()
        client.force_login(user)
        FLOOR_SQL[name] = sql
        if profile:
            import cProfile
            import pstats

            with cProfile.Profile() as prof:
                for _ in range(5):
                    page(client, url)()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
        queries = count_queries(page(client, url))
        page_s = median_seconds(page(client, url), args.runs)
        sql_s = median_seconds(sql, args.runs)
        floor_s = median_seconds(page(client, f"/__bench__/floor/{name}/"), args.runs)
        print(
            f"{name}: page {page_s * 1000:.1f} ms ({queries} queries), "
            f"plain SQL {sql_s * 1000:.2f} ms, ratio {page_s / sql_s:.2f}; "
            f"framework floor (same request, same SQL, no template) {floor_s * 1000:.1f} ms, "
            f"page ÷ floor {page_s / floor_s:.2f}"
        )


if __name__ == "__main__":
    main()

"""Cached public pages against their floor, in one process (issue 15).

The wrk figures in vote_efficiency.py compare the gallery and entry pages with
``/healthz`` through gunicorn. This script shows where the remaining cost is, with
Django's test client (full middleware, no network, no gunicorn), on SQLite and the
Redis given in BENCH_REDIS (default: the file cache):

- ``/healthz``: the framework floor of any request;
- the floor of a cached page: ``/healthz`` plus the same two cache round trips the
  cached page makes (``get_many`` of three keys, one ``get``), returning nothing;
- the gallery and the entry page as served from the whole-page cache.

Median of BENCH_ROUNDS (5) interleaved rounds of BENCH_REQUESTS (300) requests each.
Usage: BENCH_REDIS=redis://127.0.0.1:6379/8 .venv/bin/python benchmarks/page_floor.py
"""

from __future__ import annotations

import os
import statistics
import time

from _common import django_site

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


def main() -> None:
    redis_url = os.environ.get("BENCH_REDIS", "")
    django_site()
    from django.conf import settings

    if redis_url:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": f"floor-{os.getpid()}",
            }
        }
    from django.core.cache import cache
    from django.test import Client

    from clipcontest.core import pagecache
    from clipcontest.org.models import Team
    from clipcontest.voting.models import VotingSettings
    from tests.factories import ContestFactory, UnitFactory
    from tests.voting.factories import make_entry, open_voting

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    province = UnitFactory(code="51")
    contest = ContestFactory(organizer_unit=province, slug="floor")
    open_voting(contest)
    VotingSettings.objects.create(contest=contest, counts="live")
    team = Team.objects.create(unit=province, name="Tổ CNSCĐ")
    entries = [make_entry(contest, team, f"Work {i}", slot=i + 1) for i in range(21)]
    gallery = f"/contests/{contest.slug}/gallery/"
    entry = f"/contests/{contest.slug}/gallery/{entries[0].public_id}/"
    client = Client()
    for path in (gallery, entry):
        assert client.get(path).status_code == 200
        assert client.get(path)["X-Page-Cache"] == "hit"
    body = client.get(gallery).content
    cache.set("floor:page", (("x",), "text/html", body))

    def floor() -> None:
        client.get("/healthz")
        cache.get_many([pagecache.SITE, "voting:state:floor", "floor:page"])
        cache.get("pages:v:c1")

    def timed(action) -> float:
        start = time.perf_counter()
        for _ in range(REQUESTS):
            action()
        return (time.perf_counter() - start) / REQUESTS * 1000

    cases = {
        "/healthz": lambda: client.get("/healthz"),
        "floor: /healthz + 2 cache round trips": floor,
        "gallery (cached)": lambda: client.get(gallery),
        "entry page (cached)": lambda: client.get(entry),
    }
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(ROUNDS):
        for name, action in cases.items():
            samples[name].append(timed(action))
    base = statistics.median(samples["/healthz"])
    print(f"cache: {'Redis ' + redis_url if redis_url else 'file'}; gallery {len(body)} bytes")
    for name, values in samples.items():
        ms = statistics.median(values)
        print(f"{name}: {ms:.3f} ms/request, {base / ms:.2f} of /healthz's rate")


if __name__ == "__main__":
    main()

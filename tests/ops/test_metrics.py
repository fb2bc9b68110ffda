"""Each metric moves when the thing it counts happens."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from clipcontest.contests.enums import PhaseKind
from clipcontest.core.jsonlog import JsonFormatter
from clipcontest.core.metrics import register_collector, scrape, unregister_collector
from clipcontest.entries.domain import AuthorInput, create_entry
from clipcontest.media.enums import VideoStatus
from clipcontest.media.models import Upload
from clipcontest.ops.collectors import queue_metrics
from tests.factories import (
    ContestFactory,
    TeamFactory,
    UserFactory,
    add_member,
    add_phase,
    add_video,
)

pytestmark = pytest.mark.django_db
TOKEN = "metrics-test-token"


def value(name: str, **labels: str) -> float:
    """The sample ``name`` with exactly ``labels`` in a fresh scrape (0 when absent)."""
    for family in text_string_to_metric_families(scrape().decode()):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0


def test_metrics_endpoint_is_absent_without_a_token(client):
    assert client.get("/metrics").status_code == 404


@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_endpoint_refuses_a_wrong_token(client):
    response = client.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_endpoint_answers_the_token_bearer(client):
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert b"clipcontest_queue_pending_tasks" in response.content


def test_request_latency_counts_a_request_under_its_route(client):
    name = "clipcontest_http_request_duration_seconds_count"
    labels = {"route": "livez", "method": "GET", "status": "2xx"}
    before = value(name, **labels)
    assert client.get("/livez").status_code == 200
    assert value(name, **labels) == before + 1


def test_request_latency_counts_a_404_as_4xx(client):
    name = "clipcontest_http_request_duration_seconds_count"
    labels = {"route": "contests/<slug:slug>/", "method": "GET", "status": "4xx"}
    before = value(name, **labels)
    assert client.get("/contests/no-such-contest/").status_code == 404
    assert value(name, **labels) == before + 1


def _queue(huey) -> dict[str, float]:
    return {
        sample.name: sample.value
        for family in queue_metrics(huey)
        for sample in family.samples  # type: ignore[attr-defined]
    }


def _test_huey(tmp_path):
    import os

    from huey import RedisHuey, SqliteHuey

    if os.environ.get("REDIS_URL"):
        huey = RedisHuey("h13-metrics-test", url=os.environ["REDIS_URL"])
        huey.flush()
        return huey
    return SqliteHuey("metrics-test", filename=str(tmp_path / "queue.sqlite3"))


def test_queue_depth_and_age_move_when_a_task_waits(tmp_path):
    from huey import signals

    from clipcontest.ops import instruments

    huey = _test_huey(tmp_path)
    huey.signal(signals.SIGNAL_ENQUEUED)(instruments.on_enqueued)

    @huey.task()
    def noop():
        return None

    assert _queue(huey)["clipcontest_queue_pending_tasks"] == 0
    assert _queue(huey)["clipcontest_queue_oldest_task_age_seconds"] == 0
    noop()
    noop()
    metrics = _queue(huey)
    huey.flush()
    assert metrics["clipcontest_queue_pending_tasks"] == 2
    assert metrics["clipcontest_queue_oldest_task_age_seconds"] > 0


def test_task_duration_and_failures_move_when_a_task_runs_and_fails():
    from huey.contrib.djhuey import HUEY

    @HUEY.task(name="ops-test-fails")
    def fails():
        raise RuntimeError("boom")

    @HUEY.task(name="ops-test-works")
    def works():
        return None

    failures = "clipcontest_task_failures_total"
    fails_name = f"{type(fails.s()).__module__}.{type(fails.s()).__name__}"
    works_name = f"{type(works.s()).__module__}.{type(works.s()).__name__}"
    before_fail = value(failures, task=fails_name)
    before_runs = value("clipcontest_task_duration_seconds_count", task=works_name)
    fails()  # immediate mode (tests): huey logs the error instead of raising it
    works()
    assert value(failures, task=fails_name) == before_fail + 1
    assert value("clipcontest_task_duration_seconds_count", task=works_name) == before_runs + 1


def _entry():
    contest = ContestFactory()
    add_phase(contest, PhaseKind.SUBMISSION, timezone.now() - dt.timedelta(days=1))
    team = TeamFactory(unit=contest.organizer_unit)
    user = UserFactory()
    add_member(team, user, "leader")
    entry = create_entry(
        contest=contest,
        team=team,
        by=user,
        title="E",
        authors=[AuthorInput("A")],
        consent_people_shown=True,
    )
    return entry, user


def test_uploads_in_progress_counts_receiving_uploads_only():
    entry, user = _entry()
    later = timezone.now() + dt.timedelta(days=1)
    Upload.objects.create(entry=entry, created_by=user, length=10, expires_at=later)
    Upload.objects.create(entry=entry, created_by=user, length=10, expires_at=later)
    Upload.objects.create(
        entry=entry, created_by=user, length=10, expires_at=later, status="accepted"
    )
    assert value("clipcontest_uploads_in_progress") == 2


def test_transcode_metrics_move_when_videos_finish_or_fail():
    entry, _user = _entry()
    other, _user = _entry()
    video = add_video(entry, status=VideoStatus.READY)
    video.ready_at = video.created_at + dt.timedelta(seconds=90)
    video.save(update_fields=["ready_at"])
    add_video(other, status=VideoStatus.FAILED)
    assert value("clipcontest_videos", status="ready") == 1
    assert value("clipcontest_videos", status="failed") == 1
    assert value("clipcontest_transcode_failures_total") == 1
    assert value("clipcontest_transcode_seconds_count") == 1
    assert value("clipcontest_transcode_seconds_sum") == 90


def test_registered_collector_is_scraped_and_a_failing_one_is_counted():
    from prometheus_client.core import GaugeMetricFamily

    def lag():
        yield GaugeMetricFamily("clipcontest_test_lag_seconds", "test", value=7)

    def broken():
        raise RuntimeError("down")
        yield  # pragma: no cover

    register_collector(lag, name="test.lag")
    register_collector(broken, name="test.broken")
    try:
        assert value("clipcontest_test_lag_seconds") == 7
        first = value("clipcontest_collector_errors_total", collector="test.broken")
        assert value("clipcontest_collector_errors_total", collector="test.broken") == first + 1
    finally:
        unregister_collector("test.lag")
        unregister_collector("test.broken")
    assert value("clipcontest_test_lag_seconds") == 0


def test_livez_answers_without_dependencies(client):
    assert client.get("/livez").content == b"ok"
    assert client.get("/healthz").status_code == 200


def test_readyz_reports_every_check_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "queue": "ok", "cache": "ok", "storage": "ok"}


def test_readyz_answers_503_naming_a_broken_cache():
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(CACHES=broken):
        from django.core.cache import caches

        caches._settings = None  # type: ignore[attr-defined]
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["cache"].startswith("ConnectionError")


def test_json_log_formatter_writes_one_object_per_line():
    record = logging.makeLogRecord(
        {"name": "clipcontest.x", "levelname": "WARNING", "msg": "vote %s", "args": ("refused",)}
    )
    record.contest = "c"
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert "\n" not in line
    assert (entry["level"], entry["logger"], entry["message"], entry["contest"]) == (
        "WARNING",
        "clipcontest.x",
        "vote refused",
        "c",
    )


def test_votes_counter_moves_when_a_vote_is_recorded():
    from clipcontest.voting.models import Vote, Voter

    entry, _user = _entry()
    voter = Voter.objects.create(kind="email", identity_hash="1" * 64)
    before = value("clipcontest_votes_total", state="valid")
    Vote.objects.create(contest=entry.contest, entry=entry, voter=voter)
    assert value("clipcontest_votes_total", state="valid") == before + 1

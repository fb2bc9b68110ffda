"""Reloads and graceful stops of `clipcontest serve` drop no request (count-based)."""

from __future__ import annotations

import signal

import pytest

from tests.media.live import wait_for
from tests.ops.load import DEFAULT_TARGETS, Burst, finish_slow_post, slow_post
from tests.ops.serving import Served

pytestmark = pytest.mark.slow

VOTE_PATH = "/contests/none/vote/00000000-0000-0000-0000-000000000000/"


@pytest.fixture
def served(tmp_path):
    site = Served(tmp_path)
    assert site.manage("upgrade").returncode == 0
    yield site
    site.kill()


def test_serve_refuses_to_start_before_upgrade(tmp_path):
    site = Served(tmp_path)
    run = site.manage("serve", "--no-worker")
    assert run.returncode == 1
    assert "clipcontest upgrade" in run.stderr


def test_upgrade_check_reports_up_to_date_after_upgrade(served):
    before = served.manage("upgrade", "--check")
    assert before.returncode == 0
    assert before.stdout.strip() == "Up to date."


def test_reload_replaces_every_worker_and_drops_no_request(served):
    served.start("--no-worker")
    old_workers = served.web_workers()
    burst = Burst("127.0.0.1", served.port, DEFAULT_TARGETS, clients=6).start()
    wait_for(lambda: burst.tally.answered >= 100)
    served.signal(signal.SIGHUP)
    wait_for(lambda: len(served.web_workers()) == 2 and not served.web_workers() & old_workers)
    at_reload = burst.tally.answered
    wait_for(lambda: burst.tally.answered >= at_reload + 100)
    tally = burst.stop()
    assert tally.errors == []
    assert tally.failed == 0
    assert tally.refused == 0
    assert served.proc is not None
    assert served.proc.poll() is None


def test_graceful_stop_finishes_requests_in_flight_then_exits(served):
    served.start("--no-worker")
    in_flight = [slow_post("127.0.0.1", served.port, VOTE_PATH, chunks=64) for _ in range(2)]
    burst = Burst("127.0.0.1", served.port, DEFAULT_TARGETS, clients=6).start()
    wait_for(lambda: burst.tally.answered >= 100)
    served.signal(signal.SIGTERM)
    wait_for(lambda: not served.listening(), timeout=30)
    statuses = [finish_slow_post(sock, chunks=64) for sock in in_flight]
    wait_for(burst.finished, timeout=60)
    tally = burst.stop()
    assert served.wait() == 0
    # The vote for a contest that does not exist: an answer, given after SIGTERM.
    assert statuses == [404, 404]
    assert tally.errors == []
    assert tally.failed == 0
    assert tally.answered >= 100


def test_metrics_add_up_the_requests_of_every_web_worker(tmp_path):
    import http.client

    from prometheus_client.parser import text_string_to_metric_families

    site = Served(tmp_path, env={"CLIPCONTEST_METRICS_TOKEN": "t"})
    assert site.manage("upgrade").returncode == 0
    try:
        site.start("--no-worker")
        burst = Burst("127.0.0.1", site.port, [DEFAULT_TARGETS[0]], clients=4).start()
        wait_for(lambda: burst.tally.answered >= 40)
        tally = burst.stop()
        conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=30)
        conn.request("GET", "/metrics", headers={"Authorization": "Bearer t"})
        text = conn.getresponse().read().decode()
        conn.close()
    finally:
        site.kill()
    counts = [
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "clipcontest_http_request_duration_seconds_count"
        and sample.labels["route"] == "healthz"
    ]
    assert counts == [tally.ok]

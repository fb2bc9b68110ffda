"""nginx (deploy/nginx.conf) in front of two `serve` nodes: limits and graceful stops."""

from __future__ import annotations

import http.client
import signal

import pytest

from tests.media.live import wait_for
from tests.ops.edge import Nginx
from tests.ops.load import DEFAULT_TARGETS, Burst
from tests.ops.serving import Served

pytestmark = pytest.mark.slow


@pytest.fixture
def cluster(tmp_path):
    first = Served(tmp_path / "a")
    (tmp_path / "a").mkdir()
    assert first.manage("upgrade").returncode == 0
    # The second node shares the first one's database (SQLite on one machine).
    second = Served(tmp_path / "a")
    first.start("--no-worker")
    second.proc = None
    second.env["CLIPCONTEST_BIND"] = f"127.0.0.1:{second.port}"
    second.folder = tmp_path / "b"
    second.folder.mkdir()
    second.start("--no-worker")
    edge = Nginx(tmp_path / "nginx", [first.port, second.port])
    edge.start()
    yield first, second, edge
    edge.stop()
    first.kill()
    second.kill()


def _post(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", path, body=b"", headers={"Content-Length": "0"})
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Server") or ""
    finally:
        conn.close()


def test_nginx_answers_429_to_a_code_flood_before_python(cluster):
    _first, _second, edge = cluster
    answers = [_post(edge.port, "/contests/none/vote/code/") for _ in range(12)]
    # burst=3 on top of the first request: 4 reach a node (Django: CSRF, 403); the rest
    # stop at nginx with 429, except one per 6 s that the 10/min rate lets through.
    assert [status for status, _ in answers[:4]] == [403, 403, 403, 403]
    limited = {server for status, server in answers if status == 429}
    assert {status for status, _ in answers} == {403, 429}
    assert len(limited) == 1
    assert limited.pop().startswith("nginx/")


def test_graceful_stop_of_one_node_behind_nginx_fails_no_request(cluster):
    first, _second, edge = cluster
    burst = Burst("127.0.0.1", edge.port, DEFAULT_TARGETS, clients=6).start()
    wait_for(lambda: burst.tally.answered >= 60)
    first.signal(signal.SIGTERM)
    assert first.wait() == 0
    mark = burst.tally.answered
    wait_for(lambda: burst.tally.answered >= mark + 60)
    tally = burst.stop()
    assert tally.errors == []
    assert tally.failed == 0
    assert tally.refused == 0

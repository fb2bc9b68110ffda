"""kill -9 of the web server and, separately, of the sequencer (the worker) in the middle
of a burst of votes: afterwards every 2xx vote is sealed within the merge delay of the
restart, none twice, and every head published on the way is consistent with the final
tree (checked by the standalone verifier). Real gunicorn + Huey worker subprocesses on
loopback ports of this branch's range."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from pathlib import Path

import pytest

from clipcontest.voting import ledger
from tests.media.live import Site, wait_for

pytestmark = pytest.mark.slow

MERGE_DELAY = 10
VOTES = 60
# The restarted process needs a moment to import Django before it can seal, and the
# polling itself is 60 requests a round: allowance for a shared 2-core machine.
STARTUP = 50

SEED = r"""
import json
import django
django.setup()
from clipcontest.contests.models import Contest
from clipcontest.org.models import Hierarchy, Level, Team, Unit
from clipcontest.voting.models import Voter
from clipcontest.voting.sessions import voter_token
from tests.voting.factories import make_entry, open_voting, solved

h = Hierarchy.objects.create(slug="t", name="T")
level = Level.objects.create(hierarchy=h, name="tinh", rank=0)
unit = Unit.objects.create(hierarchy=h, level=level, code="51", name="QN", path="/51/", depth=0)
team = Team.objects.create(unit=unit, name="Team")
contest = Contest.objects.create(slug="c", series="c", title="C", edition=1,
                                 organizer_unit=unit, status="published")
open_voting(contest)
entry = make_entry(contest, team)
tokens = [voter_token(Voter.objects.create(kind="email", identity_hash=f"{i:064d}"))
          for i in range(%(n)d)]
print(json.dumps({"entry": str(entry.public_id), "tokens": tokens,
                  "altcha": [solved() for _ in range(%(n)d)]}))
"""


def port_in_range() -> int:
    """A free loopback port in this branch's range (18700-18799)."""
    for port in range(18700, 18800):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18700-18799")


class VoteSite(Site):
    def __init__(self, folder: Path):
        super().__init__(folder)
        self.port = port_in_range()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env.update(
            {
                "CLIPCONTEST_VOTING_RATE_IP": "100000",
                "CLIPCONTEST_VOTING_RATE_SUBNET": "100000",
                "CLIPCONTEST_VOTING_RATE_VOTER": "100000",
                "CLIPCONTEST_VOTING_MERGE_DELAY": str(MERGE_DELAY),
                "CLIPCONTEST_SITE_URL": self.url,
            }
        )

    def seed_votes(self) -> dict:
        self.manage("migrate", "--no-input", "-v", "0")
        return json.loads(self.python(SEED % {"n": VOTES}).strip().splitlines()[-1])

    def get(self, path: str) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()


def vote(site: VoteSite, seed: dict, i: int) -> tuple[int, str]:
    body = json.dumps({"entry": seed["entry"], "altcha": seed["altcha"][i]})
    conn = http.client.HTTPConnection("127.0.0.1", site.port, timeout=30)
    try:
        conn.request(
            "POST",
            "/api/v1/voting/c/votes",
            body,
            {"Content-Type": "application/json", "X-Voter-Token": seed["tokens"][i]},
        )
        response = conn.getresponse()
        data = response.read()
    except (OSError, http.client.HTTPException):  # the server died mid-answer
        return 0, ""
    finally:
        conn.close()
    if response.status == 201:
        return 201, json.loads(data)["receipt"]
    return response.status, ""


def burst(site: VoteSite, seed: dict, indexes: range, crash) -> list[tuple[int, str]]:
    """Send the votes from 4 threads; call ``crash`` once half of them were sent."""
    results: list[tuple[int, str]] = []
    lock, sent = threading.Lock(), [0]
    half = indexes.start + len(indexes) // 2
    crashed = threading.Event()

    def run(mine: list[int]) -> None:
        for i in mine:
            outcome = vote(site, seed, i)
            with lock:
                results.append(outcome)
                sent[0] += 1
                if sent[0] >= half - indexes.start and not crashed.is_set():
                    crashed.set()
                    crash()

    threads = [threading.Thread(target=run, args=(list(indexes)[k::4],)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def all_sealed(site: VoteSite, receipts: list[str]) -> bool:
    for code in receipts:
        status, body = site.get(f"/api/v1/voting/c/receipts/{code}")
        if status != 200 or not json.loads(body)["sealed"]:
            return False
    return True


def check_log(site: VoteSite, receipts: list[str], tmp_path: Path) -> None:
    status, leaves = site.get("/contests/c/log/votes.jsonl")
    assert status == 200
    _status, heads = site.get("/contests/c/log/heads.json")
    lines = leaves.splitlines()
    header = ledger.parse_header(lines[0])
    notes = [h["note"] for h in json.loads(heads)["heads"]]
    result, _tree = ledger.recount(header, lines[1:], heads=notes)
    assert result.errors == []
    assert result.heads_checked == len(notes) >= 1
    tags = [ledger.Leaf.decode(line).receipt for line in lines[1:]]
    assert len(tags) == len(set(tags))  # none twice
    assert {ledger.receipt_tag(code) for code in receipts} <= set(tags)
    (tmp_path / "votes.jsonl").write_bytes(leaves)


@pytest.mark.parametrize("victim", ["server", "worker"])
def test_kill_9_mid_burst_loses_no_sealed_vote(tmp_path, victim):
    site = VoteSite(tmp_path / "site")
    site.folder.mkdir()
    seed = site.seed_votes()
    site.start_server()
    site.start_worker()
    try:
        crash = site.kill_server if victim == "server" else site.kill_worker
        first = burst(site, seed, range(0, VOTES // 2), crash)
        if victim == "server":
            site.start_server()
        else:
            site.start_worker()
        second = burst(site, seed, range(VOTES // 2, VOTES), lambda: None)
        receipts = [code for status, code in first + second if status == 201]
        assert len(receipts) >= VOTES // 2
        wait_for(lambda: all_sealed(site, receipts), timeout=MERGE_DELAY + STARTUP)
        check_log(site, receipts, tmp_path)
    finally:
        site.stop()

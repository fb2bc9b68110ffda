from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clipcontest.voting import ledger

T0 = dt.datetime(2023, 10, 2, 1, 0, tzinfo=dt.UTC)


def build(n: int, *, contest: str = "lan-1", entries: int = 3) -> tuple[ledger.Header, list]:
    header = ledger.Header(contest=contest)
    records, prev = [], header.genesis
    for i in range(n):
        rec = ledger.seal(
            seq=i + 1,
            kind=ledger.VOTE,
            entry=f"e{i % entries}",
            voter=f"v{i}",
            at=T0 + dt.timedelta(seconds=i),
            prev=prev,
        )
        records.append(rec)
        prev = rec.hash
    return header, records


def test_verify_intact_chain_counts_votes_per_entry():
    header, records = build(7)
    result = ledger.verify(header, records)
    assert result.ok
    assert result.tally == {"e0": 3, "e1": 2, "e2": 2}
    assert result.head == records[-1].hash


def test_verify_invalidation_excludes_vote_and_keeps_reason():
    header, records = build(3)
    strike = ledger.seal(
        seq=4,
        kind=ledger.INVALIDATE,
        entry="e1",
        voter="v1",
        at=T0,
        prev=records[-1].hash,
        ref=2,
        reason="burst_ip",
    )
    result = ledger.verify(header, [*records, strike])
    assert result.ok
    assert result.tally == {"e0": 1, "e1": 0, "e2": 1}
    assert result.invalidated == {"e1": {"burst_ip": 1}}


def test_verify_refuses_second_ballot_for_one_entry():
    header = ledger.Header(contest="c")
    a = ledger.seal(seq=1, kind="vote", entry="e", voter="v", at=T0, prev=header.genesis)
    b = ledger.seal(seq=2, kind="vote", entry="e", voter="v", at=T0, prev=a.hash)
    assert ledger.verify(header, [a, b]).errors == [
        "record 2 (seq 2): second vote by one voter for one entry"
    ]


def test_verify_daily_policy_allows_next_day_and_caps_per_day():
    header = ledger.Header(
        contest="c", policy="daily", votes_per_day=1, timezone="Asia/Ho_Chi_Minh"
    )
    a = ledger.seal(seq=1, kind="vote", entry="e", voter="v", at=T0, prev=header.genesis)
    b = ledger.seal(
        seq=2, kind="vote", entry="e", voter="v", at=T0 + dt.timedelta(days=1), prev=a.hash
    )
    c = ledger.seal(
        seq=3, kind="vote", entry="f", voter="v", at=T0 + dt.timedelta(days=1), prev=b.hash
    )
    assert ledger.verify(header, [a, b]).ok
    assert ledger.verify(header, [a, b, c]).errors == [
        "record 3 (seq 3): voter over 1 votes on 2023-10-03"
    ]


@given(st.integers(min_value=2, max_value=30), st.data())
def test_verify_catches_any_tampered_field(n, data):
    header, records = build(n)
    i = data.draw(st.integers(min_value=0, max_value=n - 1))
    field = data.draw(st.sampled_from(["entry", "voter", "at", "kind"]))
    value = {
        "entry": "forged",
        "voter": "someone",
        "at": "2023-10-09T00:00:00.000000Z",
        "kind": "invalidate",
    }[field]
    tampered = list(records)
    tampered[i] = ledger.Record(**{**records[i].__dict__, field: value})
    assert not ledger.verify(header, tampered).ok


@given(st.integers(min_value=2, max_value=30), st.data())
def test_verify_catches_removed_record(n, data):
    header, records = build(n)
    i = data.draw(st.integers(min_value=0, max_value=n - 1))
    result = ledger.verify(header, records[:i] + records[i + 1 :])
    assert not result.ok or i == n - 1
    if i == n - 1:  # dropping the tail is only visible against the published head
        assert result.head != records[-1].hash


@given(st.integers(min_value=2, max_value=30), st.data())
def test_verify_catches_reordered_records(n, data):
    header, records = build(n)
    i = data.draw(st.integers(min_value=0, max_value=n - 2))
    swapped = list(records)
    swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
    assert not ledger.verify(header, swapped).ok


@given(st.integers(min_value=0, max_value=20))
def test_file_round_trip_verifies(n):
    header, records = build(n)
    lines = [header.to_json(), *(r.to_json() for r in records)]
    parsed_header, recount = ledger.verify_lines(lines)
    assert parsed_header == header
    assert recount.ok
    assert recount.records == n


def test_parse_rejects_other_contest_genesis():
    header, _records = build(2)
    text = header.to_json().replace(header.genesis, "0" * 64)
    with pytest.raises(ledger.LedgerFormatError):
        ledger.parse([text])


def test_main_prints_report_and_exit_status(tmp_path, capsys):
    header, records = build(3)
    path = tmp_path / "l.jsonl"
    path.write_text("\n".join([header.to_json(), *(r.to_json() for r in records)]) + "\n")
    assert ledger.main(["ledger.py", str(path)]) == 0
    assert "chain: OK" in capsys.readouterr().out

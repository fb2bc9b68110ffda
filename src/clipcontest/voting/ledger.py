"""The vote ledger's hash chain, its file format, and the recount: pure Python, no Django.

This module imports only the standard library so that anyone can copy this one file
and run ``python3 ledger.py contest.ledger.jsonl`` to recount a contest without
installing clipcontest. ``clipcontest verify_votes FILE`` calls the same code.

File format (JSON Lines, UTF-8):

* line 1, the header: ``{"format": "clipcontest-ledger/1", "contest": SLUG,
  "policy": "per_entry"|"daily", "votes_per_day": N, "timezone": TZ, "genesis": HEX}``
* then one record per line, in sequence order:
  ``{"seq", "kind", "entry", "voter", "at", "ref", "reason", "prev", "hash"}``

``kind`` is ``vote`` (a ballot for ``entry`` by pseudonymous ``voter``) or
``invalidate`` (the organizer struck out the vote with sequence ``ref`` for ``reason``;
the vote stays in the chain). ``hash`` is the SHA-256 of the canonical JSON of every
other field; ``prev`` is the previous record's hash (the genesis hash for record 1),
so changing, removing or reordering any record breaks every hash after it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from zoneinfo import ZoneInfo

FORMAT = "clipcontest-ledger/1"
VOTE = "vote"
INVALIDATE = "invalidate"
KINDS = (VOTE, INVALIDATE)
POLICY_PER_ENTRY = "per_entry"
POLICY_DAILY = "daily"


@dataclass(frozen=True)
class Header:
    contest: str
    policy: str = POLICY_PER_ENTRY
    votes_per_day: int = 1
    timezone: str = "UTC"
    format: str = FORMAT

    @property
    def genesis(self) -> str:
        return genesis_hash(self.contest)

    def to_json(self) -> str:
        data = asdict(self)
        data["genesis"] = self.genesis
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class Record:
    """One ledger line. ``at`` is UTC ISO 8601 with microseconds and a ``Z``."""

    seq: int
    kind: str
    entry: str
    voter: str
    at: str
    ref: int
    reason: str
    prev: str
    hash: str = ""

    def body(self) -> dict[str, object]:
        data = asdict(self)
        del data["hash"]
        return data

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=True, sort_keys=True, separators=(",", ":"))


def genesis_hash(contest: str) -> str:
    """The ``prev`` of record 1: binds the chain to one contest."""
    return hashlib.sha256(f"{FORMAT} {contest}".encode()).hexdigest()


def record_hash(record: Record) -> str:
    canonical = json.dumps(record.body(), ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def format_time(at: dt.datetime) -> str:
    """A timezone-aware time as the ledger writes it (UTC, microseconds, ``Z``)."""
    if at.tzinfo is None:
        raise ValueError("ledger times must be timezone-aware")
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def seal(
    *,
    seq: int,
    kind: str,
    entry: str,
    voter: str,
    at: dt.datetime | str,
    prev: str,
    ref: int = 0,
    reason: str = "",
) -> Record:
    """The next record of a chain whose last hash is ``prev``, with its hash computed."""
    stamp = at if isinstance(at, str) else format_time(at)
    draft = Record(
        seq=seq, kind=kind, entry=entry, voter=voter, at=stamp, ref=ref, reason=reason, prev=prev
    )
    return Record(**{**asdict(draft), "hash": record_hash(draft)})


def period_key(policy: str, at: dt.datetime | str, timezone: str) -> str:
    """The period a ballot counts against: the whole contest ("") or its local day."""
    if policy != POLICY_DAILY:
        return ""
    moment = parse_time(at) if isinstance(at, str) else at
    return moment.astimezone(ZoneInfo(timezone)).date().isoformat()


# --- Reading and verifying ---------------------------------------------------------------


class LedgerFormatError(ValueError):
    pass


def parse(lines: Iterable[str]) -> tuple[Header, list[Record]]:
    """Header and records of a ledger file; LedgerFormatError if it is not one."""
    iterator: Iterator[str] = (line for line in lines if line.strip())
    try:
        head = json.loads(next(iterator))
    except StopIteration as exc:
        raise LedgerFormatError("empty file") from exc
    except json.JSONDecodeError as exc:
        raise LedgerFormatError(f"line 1: not JSON ({exc.msg})") from exc
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise LedgerFormatError(f"line 1: not a {FORMAT} header")
    header = Header(
        contest=str(head["contest"]),
        policy=str(head.get("policy", POLICY_PER_ENTRY)),
        votes_per_day=int(head.get("votes_per_day", 1)),
        timezone=str(head.get("timezone", "UTC")),
    )
    if head.get("genesis", header.genesis) != header.genesis:
        raise LedgerFormatError("line 1: genesis hash does not match the contest")
    records = []
    for number, line in enumerate(iterator, start=2):
        try:
            data = json.loads(line)
            records.append(
                Record(
                    seq=int(data["seq"]),
                    kind=str(data["kind"]),
                    entry=str(data["entry"]),
                    voter=str(data["voter"]),
                    at=str(data["at"]),
                    ref=int(data["ref"]),
                    reason=str(data["reason"]),
                    prev=str(data["prev"]),
                    hash=str(data["hash"]),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise LedgerFormatError(f"line {number}: not a ledger record ({exc})") from exc
    return header, records


@dataclass
class Recount:
    """What the verifier found: problems (empty when the chain is intact) and the tally."""

    records: int = 0
    votes: int = 0
    head: str = ""
    errors: list[str] = field(default_factory=list)
    tally: dict[str, int] = field(default_factory=dict)
    invalidated: dict[str, Counter[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def verify(header: Header, records: Iterable[Record]) -> Recount:
    """Recompute every hash and link, check the vote policy, and count valid votes.

    Checks: sequence numbers are 1, 2, 3…; each ``prev`` is the hash before it; each
    ``hash`` matches its fields; invalidations name an earlier, not yet invalidated
    vote; no voter exceeds the policy (one vote per entry per period, and at most
    ``votes_per_day`` a day under the daily policy). Stops linking at the first break
    but keeps reporting.
    """
    result = Recount(head=header.genesis)
    prev = header.genesis
    votes: dict[int, Record] = {}
    struck: set[int] = set()
    ballots: set[tuple[str, str, str]] = set()
    per_day: Counter[tuple[str, str]] = Counter()
    for index, record in enumerate(records, start=1):
        result.records += 1
        where = f"record {index} (seq {record.seq})"
        if record.seq != index:
            result.errors.append(f"{where}: expected sequence {index}")
        if record.prev != prev:
            result.errors.append(f"{where}: previous hash does not match the record before it")
        if record_hash(record) != record.hash:
            result.errors.append(f"{where}: hash does not match its contents")
        prev = record.hash
        if record.kind == VOTE:
            _count_vote(header, record, where, result, ballots, per_day)
            votes[record.seq] = record
        elif record.kind == INVALIDATE:
            target = votes.get(record.ref)
            if target is None:
                result.errors.append(f"{where}: invalidates seq {record.ref}, not an earlier vote")
            elif record.ref in struck:
                result.errors.append(f"{where}: seq {record.ref} was already invalidated")
            else:
                struck.add(record.ref)
                result.tally[target.entry] -= 1
                result.invalidated.setdefault(target.entry, Counter())[record.reason] += 1
        else:
            result.errors.append(f"{where}: unknown kind {record.kind!r}")
    result.head = prev
    return result


def _count_vote(
    header: Header,
    record: Record,
    where: str,
    result: Recount,
    ballots: set[tuple[str, str, str]],
    per_day: Counter[tuple[str, str]],
) -> None:
    result.votes += 1
    result.tally[record.entry] = result.tally.get(record.entry, 0) + 1
    try:
        period = period_key(header.policy, record.at, header.timezone)
    except ValueError:
        result.errors.append(f"{where}: bad time {record.at!r}")
        return
    ballot = (record.voter, record.entry, period)
    if ballot in ballots:
        result.errors.append(f"{where}: second vote by one voter for one entry")
    ballots.add(ballot)
    if header.policy == POLICY_DAILY:
        per_day[(record.voter, period)] += 1
        if per_day[(record.voter, period)] > header.votes_per_day:
            result.errors.append(f"{where}: voter over {header.votes_per_day} votes on {period}")


def verify_lines(lines: Iterable[str]) -> tuple[Header, Recount]:
    header, records = parse(lines)
    return header, verify(header, records)


def report(header: Header, recount: Recount) -> str:
    """The verifier's printout: verdict, head hash, and the tally per entry."""
    out = [
        f"contest: {header.contest}",
        f"records: {recount.records} ({recount.votes} votes)",
        f"head hash: {recount.head}",
    ]
    if recount.ok:
        out.append("chain: OK")
    else:
        out.append(f"chain: BROKEN ({len(recount.errors)} problems)")
        out.extend(f"  - {error}" for error in recount.errors)
    out.append("tally (valid votes, entry, invalidated):")
    for entry, count in sorted(recount.tally.items(), key=lambda item: (-item[1], item[0])):
        struck = recount.invalidated.get(entry)
        detail = (
            ", ".join(f"{n} {reason}" for reason, n in sorted(struck.items())) if struck else ""
        )
        out.append(f"  {count:>7}  {entry}  {detail}".rstrip())
    return "\n".join(out)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: ledger.py LEDGER_FILE", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        try:
            header, recount = verify_lines(handle)
        except LedgerFormatError as exc:
            print(f"not a ledger: {exc}", file=sys.stderr)
            return 2
    print(report(header, recount))
    return 0 if recount.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

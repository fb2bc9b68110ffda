"""The vote log: a Merkle-tree transparency log of votes, its formats, and its verifier.

Pure Python, standard library only: anyone can copy this one file and run
``python3 ledger.py LEAVES [--heads HEADS...] [--receipt CODE]`` to recount a contest
and check every tree head they kept, without installing clipcontest.
``clipcontest verify_votes`` calls the same code. docs/voting.md explains the design;
this docstring is the exact specification.

Leaf encoding (one leaf = one vote or one invalidation)
  The leaf bytes are the canonical JSON of an object with exactly these keys, sorted,
  no whitespace (``separators=(",", ":")``), non-ASCII escaped (``\\uXXXX``), UTF-8:
  ``at`` UTC time ``YYYY-MM-DDTHH:MM:SS.ffffffZ``; ``contest`` the contest's slug;
  ``entry`` the entry's public id (UUID); ``kind`` ``"vote"`` or ``"invalidate"``;
  ``reason`` ``""`` for a vote, the reason code for an invalidation; ``receipt`` for a
  vote the receipt tag (below), ``""`` for an invalidation; ``ref`` ``null`` for a
  vote, the leaf index of the invalidated vote for an invalidation; ``voter`` the
  voter's per-contest pseudonym (an HMAC of the verified identity keyed by a server
  secret and the contest: the same person has unrelated pseudonyms in two contests,
  and no e-mail address or phone number can be read from it).
  Receipt tag: the first 32 hex digits of SHA-256 of ``"clipcontest-receipt:" + CODE``
  where CODE is the receipt code in upper case without dashes or spaces.

Tree (RFC 9162 §2.1)
  Leaf hash = SHA-256(0x00 ‖ leaf bytes); node hash = SHA-256(0x01 ‖ left ‖ right); the
  root of n leaves splits at the largest power of two smaller than n; the empty tree's
  root is SHA-256 of nothing. Inclusion and consistency proofs are RFC 9162 §2.1.3 and
  §2.1.4 (lists of 32-byte hashes, here written in lower-case hex).

Tree heads (C2SP tlog-checkpoint, signed note)
  Note text: ``ORIGIN\\nSIZE\\nBASE64(ROOT)\\ntime RFC3339\\n``: the origin line names
  the contest's log, the size is decimal, the root standard base64, and one extension
  line gives the sealing time. Then an empty line and a signature line
  ``— KEYNAME BASE64(KEYID ‖ SIGNATURE)``: SIGNATURE is Ed25519 (RFC 8032) over the
  note text; KEYID is the first 4 bytes of SHA-256(KEYNAME ‖ 0x0A ‖ 0x01 ‖ PUBLIC KEY).
  The verifier key is written ``KEYNAME+HEX(KEYID)+BASE64(0x01 ‖ PUBLIC KEY)``.

Files
  LEAVES (``votes.jsonl``): line 1 a header ``{"format": "clipcontest-votelog/2",
  "contest", "origin", "key", "policy", "votes_per_day", "timezone"}``; then one leaf
  per line, in index order, each line exactly the leaf bytes.
  HEADS: the JSON head feed (``{"heads": [{"note": ...}, ...]}``), a JSON list of
  notes, or signed notes one after another in a text file.
  RECEIPT (``--receipt``): the receipt code printed to the voter.

What the verifier checks: every line is a canonical leaf of this contest; each
invalidation names an earlier, not yet invalidated vote of the same entry and voter;
no voter exceeds the vote policy; every head is signed by the log's key, has the log's
origin, is no larger than the tree and its root is the root of the tree's first SIZE
leaves (so nothing before it was changed, removed or reordered); the receipt's vote is
in the tree. Then it prints the tally.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

FORMAT = "clipcontest-votelog/2"
VOTE = "vote"
INVALIDATE = "invalidate"
KINDS = (VOTE, INVALIDATE)
POLICY_PER_ENTRY = "per_entry"
POLICY_DAILY = "daily"
RECEIPT_PREFIX = "clipcontest-receipt:"
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


# --- Times and periods -------------------------------------------------------------------


def format_time(at: dt.datetime) -> str:
    """A timezone-aware time as the log writes it (UTC, microseconds, ``Z``)."""
    if at.tzinfo is None:
        raise ValueError("log times must be timezone-aware")
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def period_key(policy: str, at: dt.datetime | str, timezone: str) -> str:
    """The period a ballot counts against: the whole contest ("") or its local day."""
    if policy != POLICY_DAILY:
        return ""
    moment = parse_time(at) if isinstance(at, str) else at
    return moment.astimezone(ZoneInfo(timezone)).date().isoformat()


# --- Leaves ------------------------------------------------------------------------------


def normalize_receipt(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def receipt_tag(code: str) -> str:
    """What a vote's leaf stores of its receipt code (the code itself stays secret)."""
    return hashlib.sha256((RECEIPT_PREFIX + normalize_receipt(code)).encode()).hexdigest()[:32]


class LogFormatError(ValueError):
    pass


_S = rb'"([\x20\x21\x23-\x5b\x5d-\x7f]*)"'
# The canonical form of a leaf whose strings need no escape: the verifier's fast path.
_CANONICAL = re.compile(
    rb'\{"at":'
    + _S
    + rb',"contest":'
    + _S
    + rb',"entry":'
    + _S
    + rb',"kind":'
    + _S
    + rb',"reason":'
    + _S
    + rb',"receipt":'
    + _S
    + rb',"ref":(null|0|[1-9][0-9]*),"voter":'
    + _S
    + rb"\}\Z"
)


@dataclass(slots=True)
class Leaf:
    contest: str
    kind: str
    entry: str
    voter: str
    at: str
    receipt: str = ""
    ref: int | None = None
    reason: str = ""

    def encode(self) -> bytes:
        data = {
            "at": self.at,
            "contest": self.contest,
            "entry": self.entry,
            "kind": self.kind,
            "reason": self.reason,
            "receipt": self.receipt,
            "ref": self.ref,
            "voter": self.voter,
        }
        return json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode()

    @classmethod
    def decode(cls, data: bytes) -> Leaf:
        """The leaf whose canonical bytes are ``data``; LogFormatError otherwise."""
        match = _CANONICAL.match(data)
        if match is not None:
            at, contest, entry, kind, reason, receipt, ref, voter = match.groups()
            return cls(
                contest=contest.decode(),
                kind=kind.decode(),
                entry=entry.decode(),
                voter=voter.decode(),
                at=at.decode(),
                receipt=receipt.decode(),
                ref=None if ref == b"null" else int(ref),
                reason=reason.decode(),
            )
        try:
            raw = json.loads(data)
            leaf = cls(
                contest=raw["contest"],
                kind=raw["kind"],
                entry=raw["entry"],
                voter=raw["voter"],
                at=raw["at"],
                receipt=raw["receipt"],
                ref=raw["ref"],
                reason=raw["reason"],
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise LogFormatError(f"not a leaf ({exc})") from exc
        if leaf.encode() != data:
            raise LogFormatError("leaf is not in canonical form")
        return leaf


# --- The Merkle tree (RFC 9162) ---------------------------------------------------------

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n ≥ 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class Tree:
    """All perfect subtrees of a list of leaf hashes, level by level: any prefix root,
    subtree root or proof then costs O(log n) hashes."""

    def __init__(self, hashes: Sequence[bytes]) -> None:
        self.levels: list[list[bytes]] = [list(hashes)]
        level = self.levels[0]
        while len(level) > 1:
            level = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
            self.levels.append(level)

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def subtree(self, start: int, end: int) -> bytes:
        """MTH of leaves [start, end) for the ranges RFC 9162's recursion produces
        (start is a multiple of the largest power of two not above end - start)."""
        if end <= start:
            return EMPTY_ROOT
        parts = []
        while start < end:
            width = 1 << ((end - start).bit_length() - 1)
            level = width.bit_length() - 1
            if start % width:
                raise ValueError("unaligned subtree")
            parts.append(self.levels[level][start >> level])
            start += width
        acc = parts[-1]
        for part in reversed(parts[:-1]):
            acc = node_hash(part, acc)
        return acc

    def root(self, size: int | None = None) -> bytes:
        return self.subtree(0, self.size if size is None else size)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """RFC 9162 §2.1.3.1 PATH(index, D[0:size])."""
        n = self.size if size is None else size
        if not 0 <= index < n <= self.size:
            raise ValueError("index outside the tree")
        path: list[bytes] = []
        start, end = 0, n
        while end - start > 1:
            k = _split(end - start)
            if index - start < k:
                path.append(self.subtree(start + k, end))
                end = start + k
            else:
                path.append(self.subtree(start, start + k))
                start += k
        path.reverse()
        return path

    def consistency_proof(self, old: int, new: int | None = None) -> list[bytes]:
        """RFC 9162 §2.1.4.1 PROOF(old, D[0:new])."""
        n = self.size if new is None else new
        if not 0 <= old <= n <= self.size:
            raise ValueError("sizes outside the tree")
        if old in (0, n):
            return []
        path: list[bytes] = []
        start, end, m, whole = 0, n, old, True
        while m != end - start:
            k = _split(end - start)
            if m <= k:
                path.append(self.subtree(start + k, end))
                end = start + k
            else:
                path.append(self.subtree(start, start + k))
                start, m, whole = start + k, m - k, False
        if not whole:
            path.append(self.subtree(start, end))
        path.reverse()
        return path


def root_of(hashes: Sequence[bytes]) -> bytes:
    return Tree(hashes).root()


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: is the leaf hash ``leaf`` at ``index`` of the tree ``root``?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    old: int, new: int, proof: Sequence[bytes], old_root: bytes, new_root: bytes
) -> bool:
    """RFC 9162 §2.1.4.2: is the tree ``new_root`` an extension of ``old_root``?"""
    if not 0 <= old <= new:
        return False
    if old == new:
        return not proof and old_root == new_root
    if old == 0:
        return not proof
    path = list(proof)
    if not path:
        return False
    if old & (old - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0


def frontier_append(frontier: list[bytes], size: int, leaf: bytes) -> list[bytes]:
    """Append one leaf hash to a compact range (the roots of the perfect subtrees of a
    tree of ``size`` leaves, largest first): sealing never rereads old leaves."""
    out = [*frontier, leaf]
    while size & 1:
        right = out.pop()
        out[-1] = node_hash(out[-1], right)
        size >>= 1
    return out


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    if not frontier:
        return EMPTY_ROOT
    acc = frontier[-1]
    for part in reversed(frontier[:-1]):
        acc = node_hash(part, acc)
    return acc


# --- Ed25519 verification (RFC 8032 §5.1.7), no dependencies -------------------------------

_P = 2**255 - 19
_Q = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)
_Point = tuple[int, int, int, int]


def _add(a: _Point, b: _Point) -> _Point:
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    aa = (y1 - x1) * (y2 - x2) % _P
    bb = (y1 + x1) * (y2 + x2) % _P
    cc = 2 * t1 * t2 * _D % _P
    dd = 2 * z1 * z2 % _P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return e * f % _P, g * h % _P, f * g % _P, e * h % _P


def _double(a: _Point) -> _Point:
    x1, y1, z1, _t = a
    aa, bb = x1 * x1 % _P, y1 * y1 % _P
    cc = 2 * z1 * z1 % _P
    h = aa + bb
    e = h - (x1 + y1) * (x1 + y1)
    g = aa - bb
    f = cc + g
    return e * f % _P, g * h % _P, f * g % _P, e * h % _P


def _table(point: _Point) -> list[list[_Point]]:
    """``table[i][j] = j·16^i·point``: a scalar multiple then costs 64 additions."""
    rows, base = [], point
    for _ in range(64):
        row: list[_Point] = [(0, 1, 1, 0)]
        for _j in range(15):
            row.append(_add(row[-1], base))
        rows.append(row)
        base = _double(_double(_double(_double(base))))
    return rows


_TABLES: dict[bytes, list[list[_Point]]] = {}


def _mul(scalar: int, table: list[list[_Point]]) -> _Point:
    acc: _Point = (0, 1, 1, 0)
    for row in table:
        digit = scalar & 15
        if digit:
            acc = _add(acc, row[digit])
        scalar >>= 4
    return acc


def _decompress(data: bytes) -> _Point | None:
    if len(data) != 32:
        return None
    y = int.from_bytes(data, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P:
        return None
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = _P - x
    return x, y, 1, x * y % _P


_BY = 4 * pow(5, _P - 2, _P) % _P
_B = _decompress(_BY.to_bytes(32, "little"))


def ed25519_verify(public: bytes, message: bytes, signature: bytes) -> bool:
    """True when ``signature`` is a valid Ed25519 signature of ``message`` by ``public``
    (cofactorless check [S]B = R + [k]A, as OpenSSL does)."""
    if len(signature) != 64 or _B is None:
        return False
    a, r = _decompress(public), _decompress(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= _Q:
        return False
    k = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % _Q
    if public not in _TABLES:  # a log signs with one key: build its table once
        if len(_TABLES) > 8:
            _TABLES.clear()
        _TABLES[public] = _table(a)
    if b"" not in _TABLES:
        _TABLES[b""] = _table(_B)
    left, right = _mul(s, _TABLES[b""]), _add(r, _mul(k, _TABLES[public]))
    x1, y1, z1, _t1 = left
    x2, y2, z2, _t2 = right
    return (x1 * z2 - x2 * z1) % _P == 0 and (y1 * z2 - y2 * z1) % _P == 0


# --- Signed notes and checkpoints (C2SP signed-note, tlog-checkpoint) ---------------------

SIGNATURE_DASH = "\u2014"  # the em dash that starts a signature line


def key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n\x01" + public).digest()[:4]


def verifier_key(name: str, public: bytes) -> str:
    """The text form of a note verifier key: NAME+HEX(KEYID)+BASE64(0x01 ‖ KEY)."""
    encoded = base64.b64encode(b"\x01" + public).decode()
    return f"{name}+{key_id(name, public).hex()}+{encoded}"


def parse_verifier_key(text: str) -> tuple[str, bytes]:
    try:
        name, hex_id, encoded = text.strip().split("+", 2)
        raw = base64.b64decode(encoded, validate=True)
    except ValueError as exc:
        raise LogFormatError(f"not a verifier key: {text!r}") from exc
    if len(raw) != 33 or raw[0] != 1 or key_id(name, raw[1:]).hex() != hex_id:
        raise LogFormatError(f"not an Ed25519 verifier key: {text!r}")
    return name, raw[1:]


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    time: str = ""

    def body(self) -> str:
        text = f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"
        return text + (f"time {self.time}\n" if self.time else "")


@dataclass(frozen=True)
class Note:
    text: str
    signatures: tuple[tuple[str, bytes], ...]  # (key name, key id ‖ signature)

    def checkpoint(self) -> Checkpoint:
        lines = self.text.split("\n")
        if len(lines) < 4 or lines[-1] != "" or any(line == "" for line in lines[:-1]):
            raise LogFormatError("not a checkpoint")
        origin, size, root = lines[0], lines[1], lines[2]
        if not size.isdigit() or (size != "0" and size.startswith("0")):
            raise LogFormatError("checkpoint size is not a decimal number")
        try:
            digest = base64.b64decode(root, validate=True)
        except ValueError as exc:
            raise LogFormatError("checkpoint root is not base64") from exc
        if len(digest) != 32:
            raise LogFormatError("checkpoint root is not 32 bytes")
        time = next((line[5:] for line in lines[3:-1] if line.startswith("time ")), "")
        return Checkpoint(origin=origin, size=int(size), root=digest, time=time)

    def verify(self, name: str, public: bytes) -> bool:
        wanted = key_id(name, public)
        for signer, blob in self.signatures:
            if signer == name and blob[:4] == wanted:
                return ed25519_verify(public, self.text.encode(), blob[4:])
        return False


def parse_note(text: str) -> Note:
    """A signed note: its text (up to the last blank line) and its signature lines."""
    body, sep, sigs = text.rpartition("\n\n")
    if not sep:
        raise LogFormatError("not a signed note (no blank line before the signatures)")
    signatures = []
    for line in sigs.split("\n"):
        if not line:
            continue
        if not line.startswith(SIGNATURE_DASH + " "):
            raise LogFormatError(f"not a signature line: {line!r}")
        name, _, blob = line[2:].rpartition(" ")
        try:
            raw = base64.b64decode(blob, validate=True)
        except ValueError as exc:
            raise LogFormatError("signature is not base64") from exc
        signatures.append((name, raw))
    if not signatures:
        raise LogFormatError("signed note without a signature")
    return Note(text=body + "\n", signatures=tuple(signatures))


def format_note(text: str, name: str, signature_blob: bytes) -> str:
    """A signed note from its text and one ``KEYID ‖ SIGNATURE`` blob."""
    encoded = base64.b64encode(signature_blob).decode()
    return f"{text}\n{SIGNATURE_DASH} {name} {encoded}\n"


def split_notes(text: str) -> list[str]:
    """Signed notes written one after another (blank lines between them are allowed)."""
    notes: list[str] = []
    current: list[str] = []
    state = "body"
    for line in text.splitlines():
        if state == "body":
            if line == "" and not current:
                continue
            current.append(line)
            state = "gap" if line == "" else "body"
        elif line.startswith(SIGNATURE_DASH):
            current.append(line)
            state = "signatures"
        elif state == "signatures":
            notes.append("\n".join(current) + "\n")
            current = [line] if line else []
            state = "body"
        else:
            raise LogFormatError("a blank line inside a note's text")
    if state == "signatures":
        notes.append("\n".join(current) + "\n")
    elif current:
        raise LogFormatError("unfinished note at the end of the heads file")
    return notes


def read_heads(text: str) -> list[str]:
    """Notes from a heads file: the JSON feed, a JSON list, or plain signed notes."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        data = json.loads(stripped)
        items = data.get("heads", []) if isinstance(data, dict) else data
        return [item["note"] if isinstance(item, dict) else str(item) for item in items]
    return split_notes(text)


# --- Reading and recounting a leaves file -------------------------------------------------


@dataclass(frozen=True)
class Header:
    contest: str
    origin: str = ""
    key: str = ""
    policy: str = POLICY_PER_ENTRY
    votes_per_day: int = 1
    timezone: str = "UTC"

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "contest": self.contest,
            "origin": self.origin,
            "key": self.key,
            "policy": self.policy,
            "votes_per_day": self.votes_per_day,
            "timezone": self.timezone,
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


def parse_header(line: bytes | str) -> Header:
    try:
        head = json.loads(line)
    except ValueError as exc:
        raise LogFormatError(f"line 1: not JSON ({exc})") from exc
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise LogFormatError(f"line 1: not a {FORMAT} header")
    return Header(
        contest=str(head["contest"]),
        origin=str(head.get("origin", "")),
        key=str(head.get("key", "")),
        policy=str(head.get("policy", POLICY_PER_ENTRY)),
        votes_per_day=int(head.get("votes_per_day", 1)),
        timezone=str(head.get("timezone", "UTC")),
    )


@dataclass
class Recount:
    """What the verifier found: problems (empty when all checks pass) and the tally."""

    leaves: int = 0
    votes: int = 0
    root: bytes = EMPTY_ROOT
    errors: list[str] = field(default_factory=list)
    tally: dict[str, int] = field(default_factory=dict)
    invalidated: dict[str, Counter[str]] = field(default_factory=dict)
    heads_checked: int = 0
    receipt: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


class _Counter:
    """The vote policy and the tally, fed one leaf at a time. Memory per leaf: 9 bytes
    (kind, digest of entry and voter) plus one 16-byte digest per ballot."""

    def __init__(self, header: Header, result: Recount) -> None:
        self.header, self.result = header, result
        self.kinds = bytearray()  # per leaf: 1 vote, 2 invalidation, 0 unreadable
        self.whose = bytearray()  # per leaf: 8 bytes of SHA-256(voter | entry)
        self.struck: set[int] = set()
        self.ballots: set[bytes] = set()
        self.per_day: Counter[bytes] = Counter()
        self.daily = header.policy == POLICY_DAILY

    def skip(self) -> None:
        self.kinds.append(0)
        self.whose += bytes(8)

    def add(self, index: int, leaf: Leaf) -> None:
        key = f"{leaf.voter}|{leaf.entry}".encode()
        self.whose += hashlib.sha256(key).digest()[:8]
        if leaf.contest != self.header.contest:
            self.result.errors.append(f"leaf {index}: belongs to contest {leaf.contest!r}")
        if leaf.kind == VOTE:
            self.kinds.append(1)
            self._vote(index, leaf, key)
        elif leaf.kind == INVALIDATE:
            self.kinds.append(2)
            self._invalidate(index, leaf)
        else:
            self.kinds.append(0)
            self.result.errors.append(f"leaf {index}: unknown kind {leaf.kind!r}")

    def _vote(self, index: int, leaf: Leaf, key: bytes) -> None:
        result = self.result
        result.votes += 1
        result.tally[leaf.entry] = result.tally.get(leaf.entry, 0) + 1
        if leaf.ref is not None or leaf.reason:
            result.errors.append(f"leaf {index}: a vote has no reference or reason")
        period = ""
        if self.daily:
            try:
                period = period_key(POLICY_DAILY, leaf.at, self.header.timezone)
            except ValueError:
                result.errors.append(f"leaf {index}: bad time {leaf.at!r}")
                return
        ballot = hashlib.sha256(key + b"|" + period.encode()).digest()[:16]
        if ballot in self.ballots:
            result.errors.append(f"leaf {index}: second vote by one voter for one entry")
        self.ballots.add(ballot)
        if self.daily:
            day = hashlib.sha256(f"{leaf.voter}|{period}".encode()).digest()[:16]
            self.per_day[day] += 1
            if self.per_day[day] > self.header.votes_per_day:
                limit = self.header.votes_per_day
                result.errors.append(f"leaf {index}: voter over {limit} votes on {period}")

    def _invalidate(self, index: int, leaf: Leaf) -> None:
        ref, where = leaf.ref, f"leaf {index}"
        if not isinstance(ref, int) or not 0 <= ref < index or self.kinds[ref] != 1:
            self.result.errors.append(f"{where}: invalidates {ref}, not an earlier vote")
        elif self.whose[ref * 8 : ref * 8 + 8] != self.whose[index * 8 : index * 8 + 8]:
            self.result.errors.append(f"{where}: entry or voter differs from leaf {ref}")
        elif ref in self.struck:
            self.result.errors.append(f"{where}: leaf {ref} was already invalidated")
        else:
            self.struck.add(ref)
            self.result.tally[leaf.entry] -= 1
            self.result.invalidated.setdefault(leaf.entry, Counter())[leaf.reason] += 1


def recount(
    header: Header,
    lines: Iterable[bytes],
    *,
    heads: Sequence[str] = (),
    receipt: str = "",
) -> tuple[Recount, Tree]:
    """Check every leaf, the policy, each head and the receipt; count the votes."""
    result = Recount()
    counter = _Counter(header, result)
    hashes: list[bytes] = []
    tag = receipt_tag(receipt) if receipt else ""
    found = -1
    for index, line in enumerate(lines):
        data = line.rstrip(b"\r\n")
        hashes.append(leaf_hash(data))
        try:
            leaf = Leaf.decode(data)
        except LogFormatError as exc:
            result.errors.append(f"leaf {index}: {exc}")
            counter.skip()
            continue
        counter.add(index, leaf)
        if tag and leaf.receipt == tag:
            found = index
    result.leaves = len(hashes)
    tree = Tree(hashes)
    result.root = tree.root()
    _check_heads(header, tree, heads, result)
    if receipt:
        _check_receipt(tree, found, receipt, result)
    return result, tree


def _check_heads(header: Header, tree: Tree, heads: Sequence[str], result: Recount) -> None:
    try:
        name, public = parse_verifier_key(header.key) if header.key else ("", b"")
    except LogFormatError as exc:
        result.errors.append(str(exc))
        return
    for number, text in enumerate(heads, start=1):
        where = f"head {number}"
        try:
            note = parse_note(text)
            point = note.checkpoint()
        except LogFormatError as exc:
            result.errors.append(f"{where}: {exc}")
            continue
        where = f"head {number} (size {point.size})"
        if not public or not note.verify(name, public):
            result.errors.append(f"{where}: not signed by the log's key")
        if header.origin and point.origin != header.origin:
            result.errors.append(f"{where}: origin {point.origin!r} is another log")
        if point.size > tree.size:
            result.errors.append(f"{where}: larger than the tree ({tree.size} leaves)")
        elif tree.root(point.size) != point.root:
            result.errors.append(f"{where}: not consistent with the leaves (changed history)")
        else:
            proof = tree.consistency_proof(point.size)
            if not verify_consistency(point.size, tree.size, proof, point.root, result.root):
                result.errors.append(f"{where}: consistency proof fails")
        result.heads_checked += 1


def _check_receipt(tree: Tree, index: int, receipt: str, result: Recount) -> None:
    if index < 0:
        result.errors.append(f"receipt {receipt}: no vote with this receipt in the log")
        return
    proof = tree.inclusion_proof(index)
    if verify_inclusion(tree.levels[0][index], index, tree.size, proof, result.root):
        result.receipt = f"receipt {receipt}: included as leaf {index} of {tree.size}"
    else:
        result.errors.append(f"receipt {receipt}: inclusion proof fails")


def read_leaves(handle: Iterable[bytes]) -> tuple[Header, Iterator[bytes]]:
    iterator = iter(handle)
    first = next(iterator, b"")
    if not first.strip():
        raise LogFormatError("empty file")
    return parse_header(first), (line for line in iterator if line.strip())


def report(header: Header, result: Recount) -> str:
    """The verifier's printout: verdict, root, heads, receipt and the tally per entry."""
    out = [
        f"contest: {header.contest}",
        f"leaves: {result.leaves} ({result.votes} votes)",
        f"root: {result.root.hex()}",
        f"heads checked: {result.heads_checked}",
    ]
    if result.receipt:
        out.append(result.receipt)
    if result.ok:
        out.append("log: OK")
    else:
        out.append(f"log: BROKEN ({len(result.errors)} problems)")
        out.extend(f"  - {error}" for error in result.errors[:200])
    out.append("tally (valid votes, entry, invalidated):")
    for entry, count in sorted(result.tally.items(), key=lambda item: (-item[1], item[0])):
        struck = result.invalidated.get(entry)
        detail = (
            ", ".join(f"{n} {reason}" for reason, n in sorted(struck.items())) if struck else ""
        )
        out.append(f"  {count:>7}  {entry}  {detail}".rstrip())
    return "\n".join(out)


RECEIPT_FORMAT = "clipcontest-receipt/1"


def verify_bundle(data: dict[str, object], code: str = "") -> tuple[list[str], str]:
    """Check a receipt file (what the "check my vote" page downloads): the head's
    signature and origin, the leaf's form, its receipt tag and its inclusion proof.
    Returns the problems found and a one-line verdict."""
    errors: list[str] = []
    if not data.get("sealed"):
        return ["the vote is not sealed yet: download the receipt again later"], ""
    try:
        name, public = parse_verifier_key(str(data["key"]))
        note = parse_note(str(data["note"]))
        point = note.checkpoint()
        raw = str(data["leaf"]).encode()
        leaf = Leaf.decode(raw)
        index = int(str(data["index"]))
        proof = [bytes.fromhex(str(h)) for h in data["proof"]]  # type: ignore[attr-defined]
    except (LogFormatError, KeyError, TypeError, ValueError) as exc:
        return [f"not a receipt file ({exc})"], ""
    if not note.verify(name, public):
        errors.append("the tree head is not signed by the log's key")
    if point.origin != data.get("origin"):
        errors.append("the tree head belongs to another log")
    if code and leaf.receipt != receipt_tag(code):
        errors.append(f"the leaf is not the vote of receipt {code}")
    if not verify_inclusion(leaf_hash(raw), index, point.size, proof, point.root):
        errors.append("the inclusion proof does not lead to the signed root")
    verdict = f"included as leaf {index} of {point.size} (head signed {point.time})"
    return errors, verdict


def main(argv: Sequence[str] | None = None, *, out: Any = None, err: Any = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    parser = argparse.ArgumentParser(description="Verify a clipcontest vote log.")
    parser.add_argument("leaves", help="the contest's votes.jsonl (or a receipt.json)")
    parser.add_argument("--heads", nargs="*", default=[], help="files of signed tree heads")
    parser.add_argument("--receipt", default="", help="a voter's receipt code")
    args = parser.parse_args(argv)
    try:
        notes: list[str] = []
        for path in args.heads:
            with open(path, encoding="utf-8") as handle:
                notes.extend(read_heads(handle.read()))
        with open(args.leaves, "rb") as handle:
            if RECEIPT_FORMAT.encode() in handle.read(4096):
                handle.seek(0)
                return _main_bundle(json.load(handle), args.receipt, out)
            handle.seek(0)
            header, lines = read_leaves(handle)
            result, _tree = recount(header, lines, heads=notes, receipt=args.receipt)
    except (OSError, LogFormatError, ValueError, KeyError) as exc:
        err.write(f"cannot read the log: {exc}\n")
        return 2
    out.write(report(header, result) + "\n")
    return 0 if result.ok else 1


def _main_bundle(data: dict[str, object], code: str, out: Any) -> int:
    errors, verdict = verify_bundle(data, code)
    if errors:
        out.write("receipt: NOT VERIFIED\n" + "".join(f"  - {e}\n" for e in errors))
        return 1
    out.write(f"receipt: OK, {verdict}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

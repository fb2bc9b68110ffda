"""The vote log's pure core against independent implementations: pymerkle (RFC 9162
mode) for trees and proofs, ``cryptography`` and RFC 8032's vectors for Ed25519."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st
from pymerkle import InmemoryTree

from clipcontest.voting import ledger
from clipcontest.voting.signing import LogKey

T0 = dt.datetime(2023, 10, 2, 1, 0, tzinfo=dt.UTC)
KEY = LogKey(name="example.org/clipcontest-votes", private=Ed25519PrivateKey.generate())
ORIGIN = "example.org/contests/lan-1/votes"


def vote(i: int, *, entry: str = "", voter: str = "", contest: str = "lan-1") -> ledger.Leaf:
    return ledger.Leaf(
        contest=contest,
        kind=ledger.VOTE,
        entry=entry or f"e{i % 3}",
        voter=voter or f"v{i}",
        at=ledger.format_time(T0 + dt.timedelta(seconds=i)),
        receipt=ledger.receipt_tag(f"CODE{i}"),
    )


def strike(target: int, leaves: list[ledger.Leaf], reason: str = "burst_ip") -> ledger.Leaf:
    voted = leaves[target]
    return ledger.Leaf(
        contest=voted.contest,
        kind=ledger.INVALIDATE,
        entry=voted.entry,
        voter=voted.voter,
        at=voted.at,
        ref=target,
        reason=reason,
    )


def hashes_of(data: list[bytes]) -> list[bytes]:
    return [ledger.leaf_hash(d) for d in data]


def head(tree: ledger.Tree, size: int, *, key: LogKey = KEY, origin: str = ORIGIN) -> str:
    point = ledger.Checkpoint(origin=origin, size=size, root=tree.root(size), time="2023-10-02")
    return key.sign(point.body())


HEADER = ledger.Header(contest="lan-1", origin=ORIGIN, key=KEY.verifier)


def recount(leaves: list[ledger.Leaf], **kwargs):
    return ledger.recount(HEADER, [leaf.encode() for leaf in leaves], **kwargs)


# --- Tree and proofs against pymerkle ------------------------------------------------------


def pymerkle_tree(data: list[bytes]) -> InmemoryTree:
    tree = InmemoryTree(algorithm="sha256")  # security mode: RFC 9162 0x00/0x01 prefixes
    for item in data:
        tree.append_entry(item)
    return tree


@settings(deadline=None)
@given(st.lists(st.binary(max_size=40), min_size=1, max_size=70))
def test_root_matches_pymerkle_for_every_prefix(data):
    oracle, tree = pymerkle_tree(data), ledger.Tree(hashes_of(data))
    for size in range(1, len(data) + 1):
        assert tree.root(size) == oracle.get_root(size)


def test_empty_tree_root_is_hash_of_nothing():
    assert ledger.root_of([]).hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=64), st.data())
def test_inclusion_proof_matches_pymerkle_and_verifies(size, data):
    leaves = [f"leaf {i}".encode() for i in range(size)]
    tree, oracle = ledger.Tree(hashes_of(leaves)), pymerkle_tree(leaves)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    proof = tree.inclusion_proof(index)
    # pymerkle's path also lists the leaf itself; the rest is the RFC 9162 audit path.
    theirs = [bytes.fromhex(h) for h in oracle.prove_inclusion(index + 1, size).serialize()["path"]]
    theirs.remove(tree.levels[0][index])
    assert proof == theirs
    assert ledger.verify_inclusion(tree.levels[0][index], index, size, proof, tree.root())


def test_inclusion_proofs_verify_for_every_size_and_index():
    for size in range(1, 40):
        tree = ledger.Tree(hashes_of([bytes([i]) for i in range(size)]))
        for index in range(size):
            proof = tree.inclusion_proof(index)
            assert ledger.verify_inclusion(tree.levels[0][index], index, size, proof, tree.root())


def test_consistency_proofs_verify_for_every_pair_of_sizes():
    data = [bytes([i]) for i in range(40)]
    tree, oracle = ledger.Tree(hashes_of(data)), pymerkle_tree(data)
    for new in range(1, 40):
        for old in range(0, new + 1):
            proof = tree.consistency_proof(old, new)
            old_root = oracle.get_root(old) if old else ledger.EMPTY_ROOT
            assert ledger.verify_consistency(old, new, proof, old_root, oracle.get_root(new))


@settings(deadline=None)
@given(st.integers(min_value=2, max_value=50), st.data())
def test_consistency_proof_catches_changed_history(new, data):
    leaves = [bytes([i]) for i in range(new)]
    tree = ledger.Tree(hashes_of(leaves))
    old = data.draw(st.integers(min_value=1, max_value=new - 1))
    changed = data.draw(st.integers(min_value=0, max_value=old - 1))
    forged = list(leaves)
    forged[changed] = b"forged"
    forged_root = ledger.Tree(hashes_of(forged)).root(old)
    proof = tree.consistency_proof(old, new)
    assert not ledger.verify_consistency(old, new, proof, forged_root, tree.root())


@settings(deadline=None)
@given(st.integers(min_value=2, max_value=50), st.data())
def test_inclusion_proof_catches_wrong_index_or_leaf(size, data):
    tree = ledger.Tree(hashes_of([bytes([i]) for i in range(size)]))
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    other = data.draw(st.integers(min_value=0, max_value=size - 1).filter(lambda i: i != index))
    proof = tree.inclusion_proof(index)
    assert not ledger.verify_inclusion(tree.levels[0][index], other, size, proof, tree.root())
    assert not ledger.verify_inclusion(ledger.leaf_hash(b"x"), index, size, proof, tree.root())


@settings(deadline=None)
@given(st.lists(st.binary(max_size=8), max_size=60))
def test_frontier_root_equals_tree_root(data):
    frontier: list[bytes] = []
    for size, item in enumerate(data):
        frontier = ledger.frontier_append(frontier, size, ledger.leaf_hash(item))
        assert ledger.frontier_root(frontier) == ledger.root_of(hashes_of(data[: size + 1]))


# --- Ed25519 and signed notes --------------------------------------------------------------

RFC8032 = [  # RFC 8032 §7.1, tests 1-3: public key, message, signature
    (
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
    (
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
    ),
]


@pytest.mark.parametrize(("public", "message", "signature"), RFC8032)
def test_ed25519_verify_accepts_rfc8032_vectors(public, message, signature):
    pub, msg, sig = bytes.fromhex(public), bytes.fromhex(message), bytes.fromhex(signature)
    assert ledger.ed25519_verify(pub, msg, sig) is True
    assert ledger.ed25519_verify(pub, msg + b"!", sig) is False


@settings(deadline=None)
@given(st.binary(max_size=200), st.binary(min_size=1, max_size=200))
def test_ed25519_verify_agrees_with_cryptography(message, other):
    private = Ed25519PrivateKey.generate()
    public = LogKey(name="k", private=private).public
    signature = private.sign(message)
    assert ledger.ed25519_verify(public, message, signature) is True
    forged = message + other
    try:
        private.public_key().verify(signature, forged)
        oracle = True
    except Exception:  # cryptography's InvalidSignature
        oracle = False
    assert ledger.ed25519_verify(public, forged, signature) is oracle


def test_ed25519_verify_refuses_flipped_signature_bit():
    private = Ed25519PrivateKey.generate()
    public = LogKey(name="k", private=private).public
    signature = bytearray(private.sign(b"vote"))
    for position in (0, 31, 32, 63):
        flipped = bytearray(signature)
        flipped[position] ^= 1
        assert ledger.ed25519_verify(public, b"vote", bytes(flipped)) is False


def test_signed_note_round_trip_and_key_id():
    tree = ledger.Tree(hashes_of([b"a", b"b", b"c"]))
    note = ledger.parse_note(head(tree, 3))
    point = note.checkpoint()
    assert point == ledger.Checkpoint(origin=ORIGIN, size=3, root=tree.root(), time="2023-10-02")
    assert note.verify(KEY.name, KEY.public) is True
    name, public = ledger.parse_verifier_key(KEY.verifier)
    assert (name, public) == (KEY.name, KEY.public)
    assert note.signatures[0][1][:4] == ledger.key_id(KEY.name, KEY.public)


def test_key_id_matches_c2sp_definition():
    public = bytes(range(32))
    digest = __import__("hashlib").sha256(b"name\n\x01" + public).digest()
    assert ledger.key_id("name", public) == digest[:4]


def test_signed_note_with_changed_size_is_refused():
    tree = ledger.Tree(hashes_of([b"a", b"b", b"c"]))
    forged = head(tree, 3).replace(f"{ORIGIN}\n3\n", f"{ORIGIN}\n2\n")
    assert ledger.parse_note(forged).verify(KEY.name, KEY.public) is False


def test_split_notes_reads_concatenated_heads():
    tree = ledger.Tree(hashes_of([b"a", b"b", b"c"]))
    text = head(tree, 1) + "\n" + head(tree, 2) + head(tree, 3)
    assert [ledger.parse_note(n).checkpoint().size for n in ledger.split_notes(text)] == [1, 2, 3]


# --- Leaves and the recount ----------------------------------------------------------------


def test_leaf_encoding_is_canonical_json():
    leaf = vote(0, entry="e0", voter="v0")
    assert leaf.encode() == (
        b'{"at":"2023-10-02T01:00:00.000000Z","contest":"lan-1","entry":"e0","kind":"vote",'
        b'"reason":"","receipt":"' + leaf.receipt.encode() + b'","ref":null,"voter":"v0"}'
    )
    assert ledger.Leaf.decode(leaf.encode()) == leaf


def test_leaf_decode_refuses_non_canonical_bytes():
    data = json.dumps(json.loads(vote(0).encode()), indent=1).encode()
    with pytest.raises(ledger.LogFormatError):
        ledger.Leaf.decode(data)


def test_receipt_tag_ignores_dashes_and_case():
    assert ledger.receipt_tag("abcde-fghjk") == ledger.receipt_tag("ABCDEFGHJK")
    assert len(ledger.receipt_tag("ABCDEFGHJK")) == 32


def test_recount_counts_votes_and_invalidations():
    leaves = [vote(i) for i in range(7)]
    leaves.append(strike(1, leaves))
    result, _tree = recount(leaves)
    assert result.errors == []
    assert result.tally == {"e0": 3, "e1": 1, "e2": 2}
    assert result.invalidated == {"e1": {"burst_ip": 1}}


def test_recount_refuses_second_ballot_and_bad_invalidations():
    leaves = [vote(0, entry="e", voter="v"), vote(1, entry="e", voter="v")]
    bad_ref = strike(0, leaves)
    leaves += [strike(0, leaves), strike(0, leaves)]
    leaves.append(dataclasses.replace(bad_ref, ref=9))
    result, _tree = recount(leaves)
    assert result.errors == [
        "leaf 1: second vote by one voter for one entry",
        "leaf 3: leaf 0 was already invalidated",
        "leaf 4: invalidates 9, not an earlier vote",
    ]


def test_recount_daily_policy_caps_votes_per_day():
    header = ledger.Header(contest="c", policy="daily", votes_per_day=1, timezone="UTC")
    leaves = [
        vote(0, entry="e", voter="v", contest="c"),
        vote(86400, entry="e", voter="v", contest="c"),
        vote(86401, entry="f", voter="v", contest="c"),
    ]
    result, _tree = ledger.recount(header, [leaf.encode() for leaf in leaves])
    assert result.errors == ["leaf 2: voter over 1 votes on 2023-10-03"]


@settings(deadline=None)
@given(st.integers(min_value=2, max_value=30), st.data())
def test_recount_catches_changed_dropped_or_reordered_leaf_against_a_head(n, data):
    leaves = [vote(i) for i in range(n)]
    tree = ledger.Tree(hashes_of([leaf.encode() for leaf in leaves]))
    heads = [head(tree, n)]
    i = data.draw(st.integers(min_value=0, max_value=n - 2))
    how = data.draw(st.sampled_from(["change", "drop", "reorder"]))
    forged = list(leaves)
    if how == "change":
        forged[i] = dataclasses.replace(leaves[i], entry="forged")
    elif how == "drop":
        del forged[i]
    else:
        forged[i], forged[i + 1] = forged[i + 1], forged[i]
    assert recount(leaves, heads=heads)[0].errors == []
    assert recount(forged, heads=heads)[0].errors != []


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=20), st.data())
def test_recount_catches_forged_head(n, data):
    leaves = [vote(i) for i in range(n)]
    tree = ledger.Tree(hashes_of([leaf.encode() for leaf in leaves]))
    size = data.draw(st.integers(min_value=1, max_value=n))
    forger = LogKey(name=KEY.name, private=Ed25519PrivateKey.generate())
    result, _tree = recount(leaves, heads=[head(tree, size, key=forger)])
    assert result.errors == [f"head 1 (size {size}): not signed by the log's key"]


def test_recount_finds_receipt(tmp_path, capsys):
    leaves = [vote(i) for i in range(5)]
    tree = ledger.Tree(hashes_of([leaf.encode() for leaf in leaves]))
    path = tmp_path / "votes.jsonl"
    path.write_bytes(b"\n".join([HEADER.to_json().encode(), *(x.encode() for x in leaves)]))
    heads = tmp_path / "heads.txt"
    heads.write_text(head(tree, 2) + head(tree, 5))
    assert ledger.main([str(path), "--heads", str(heads), "--receipt", "code3"]) == 0
    out = capsys.readouterr().out
    assert "receipt code3: included as leaf 3 of 5" in out
    assert "heads checked: 2" in out
    assert "log: OK" in out
    assert ledger.main([str(path), "--receipt", "NOPE"]) == 1


def test_verifier_key_with_plus_in_its_base64_parses():
    public = bytes([0xFB] * 32)
    text = ledger.verifier_key("example.org/k", public)
    assert "+" in text.split("+", 2)[2]
    assert ledger.parse_verifier_key(text) == ("example.org/k", public)

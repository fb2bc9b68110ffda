"""Upgrading a database that holds the old hash-chained ledger: its votes are kept and
re-sealed from the votes into the new log."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from clipcontest.voting import ledger
from clipcontest.voting.models import LogLeaf, Vote

from .factories import make_entry, open_voting

OLD = [("voting", "0003_ledger_refuses_truncate")]
NEW = [("voting", "0004_vote_log_replaces_hash_chain")]


@pytest.mark.django_db(transaction=True)
def test_votes_of_the_old_ledger_are_resealed_into_the_log(world):
    open_voting(world.contest)
    entry = make_entry(world.contest, world.team_a)
    executor = MigrationExecutor(connection)
    executor.migrate(OLD)
    old = executor.loader.project_state(OLD).apps
    OldVoter, OldVote = old.get_model("voting", "Voter"), old.get_model("voting", "Vote")
    OldRecord = old.get_model("voting", "LedgerRecord")
    for i in range(3):
        voter = OldVoter.objects.create(kind="email", identity_hash=f"{i:064d}")
        vote = OldVote.objects.create(
            contest_id=world.contest.pk, entry_id=entry.pk, voter=voter, period=""
        )
        OldRecord.objects.create(
            contest_id=world.contest.pk,
            seq=i + 1,
            kind="vote",
            entry=str(entry.public_id),
            voter="p",
            at="x",
            prev="0" * 64,
            hash="1" * 64,
            vote=vote,
        )
    executor = MigrationExecutor(connection)
    executor.migrate(NEW)
    assert Vote.objects.filter(leaf_index__isnull=True).count() == 3
    call_command("seal_votes", verbosity=0)
    leaves = list(LogLeaf.objects.order_by("index").values_list("data", flat=True))
    assert len(leaves) == 3
    assert {ledger.Leaf.decode(d.encode()).entry for d in leaves} == {str(entry.public_id)}
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "voting_ledgerrecord" not in tables

"""The Merkle-tree vote log replaces the hash-chained ledger.

Existing votes are re-sealed from the votes themselves: after this migration every
vote has no leaf index yet, so the sequencer (the worker at start, its periodic sweep,
or ``clipcontest seal_votes``) seals them all, in cast-time order, then the
invalidations of struck-out votes in review order, and signs a first tree head. The
old chain's records (derived from the same votes) are dropped with their table.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from clipcontest.core.appendonly import append_only, refuse_truncate

_old_chain = append_only("voting_ledgerrecord")
_old_truncate = refuse_truncate("voting_ledgerrecord")


class Migration(migrations.Migration):
    dependencies = [
        ("contests", "0001_initial"),
        ("entries", "0002_entry_published_at"),
        ("voting", "0003_ledger_refuses_truncate"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Lift the old chain's append-only triggers so that its table can be dropped (the
        # TRUNCATE trigger first: it uses the same trigger function).
        migrations.RunPython(_old_truncate.reverse_code or migrations.RunPython.noop, _old_truncate.code),
        migrations.RunPython(_old_chain.reverse_code or migrations.RunPython.noop, _old_chain.code),
        migrations.DeleteModel(
            name="LedgerHead",
        ),
        migrations.DeleteModel(
            name="LedgerRecord",
        ),
        migrations.CreateModel(
            name="LogLeaf",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("index", models.PositiveBigIntegerField()),
                ("kind", models.CharField(max_length=12)),
                ("data", models.TextField()),
                ("hash", models.CharField(max_length=64)),
                ("reason", models.CharField(blank=True, max_length=20)),
                ("sealed_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["contest", "index"],
            },
        ),
        migrations.CreateModel(
            name="TreeHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("size", models.PositiveBigIntegerField()),
                ("root", models.CharField(max_length=64)),
                ("at", models.DateTimeField()),
                ("note", models.TextField()),
                ("frontier", models.JSONField(default=list)),
            ],
            options={
                "ordering": ["contest", "size"],
            },
        ),
        migrations.AddField(
            model_name="vote",
            name="invalidation_index",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="vote",
            name="leaf_index",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="vote",
            name="receipt",
            field=models.CharField(blank=True, max_length=32, null=True, unique=True),
        ),
        migrations.AddIndex(
            model_name="vote",
            index=models.Index(
                condition=models.Q(("leaf_index__isnull", True)),
                fields=["contest", "cast_at", "id"],
                name="vote_unsealed_idx",
            ),
        ),
        migrations.AddField(
            model_name="logleaf",
            name="contest",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contests.contest"
            ),
        ),
        migrations.AddField(
            model_name="logleaf",
            name="entry",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="entries.entry"
            ),
        ),
        migrations.AddField(
            model_name="logleaf",
            name="vote",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="leaves", to="voting.vote"
            ),
        ),
        migrations.AddField(
            model_name="treehead",
            name="contest",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contests.contest"
            ),
        ),
        migrations.AddIndex(
            model_name="logleaf",
            index=models.Index(fields=["contest", "kind", "entry"], name="log_leaf_tally_idx"),
        ),
        migrations.AddConstraint(
            model_name="logleaf",
            constraint=models.UniqueConstraint(
                fields=("contest", "index"), name="log_leaf_index_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="logleaf",
            constraint=models.UniqueConstraint(fields=("vote", "kind"), name="log_leaf_vote_once"),
        ),
        migrations.AddConstraint(
            model_name="treehead",
            constraint=models.UniqueConstraint(
                fields=("contest", "size"), name="tree_head_size_once"
            ),
        ),
        migrations.AddIndex(
            model_name="vote",
            index=models.Index(
                condition=models.Q(("invalidation_index__isnull", True), ("state", "invalid")),
                fields=["contest", "reviewed_at"],
                name="vote_unsealed_strike_idx",
            ),
        ),
        append_only("voting_logleaf"),
        append_only("voting_treehead"),
        refuse_truncate("voting_logleaf"),
        refuse_truncate("voting_treehead"),
    ]

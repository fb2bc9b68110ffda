"""``clipcontest seal_votes``: seal every pending vote and invalidation now (what the
worker does on its own; useful right after migrating from the hash-chained ledger)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from clipcontest.contests.models import Contest
from clipcontest.voting import sealing


class Command(BaseCommand):
    help = "Seal pending votes into each contest's vote log and sign a tree head."

    def handle(self, *args: Any, **options: Any) -> None:
        for contest in Contest.objects.filter(pk__in=sealing.pending_contests()):
            head = sealing.seal(contest=contest)
            size = head.size if head else 0
            self.stdout.write(f"{contest.slug}: {size} leaves")

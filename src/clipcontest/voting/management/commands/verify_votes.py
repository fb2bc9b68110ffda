"""``clipcontest verify_votes LEDGER_FILE``: recount a downloaded ledger offline.

Needs nothing but the file: no database, no network. Exit status 0 when the chain is
intact, 1 when it is broken, 2 when the file is not a ledger.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clipcontest.voting import ledger


class Command(BaseCommand):
    help = "Recompute a vote ledger's hash chain and tally from the file alone."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ledger_file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with open(options["ledger_file"], encoding="utf-8") as handle:
                header, recount = ledger.verify_lines(handle)
        except (OSError, ledger.LedgerFormatError) as exc:
            raise CommandError(f"not a readable ledger: {exc}", returncode=2) from exc
        self.stdout.write(ledger.report(header, recount))
        if not recount.ok:
            raise CommandError("the ledger does not verify", returncode=1)

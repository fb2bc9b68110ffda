"""``clipcontest verify_votes LEAVES [--heads HEADS...] [--receipt CODE]``: check a
downloaded vote log offline with the standalone verifier (voting/ledger.py).

Needs nothing but the files: no database, no network. Exit status 0 when every check
passes, 1 when one fails, 2 when a file cannot be read.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clipcontest.voting import ledger


class Command(BaseCommand):
    help = "Verify a vote log's leaves, any tree heads you kept, and a receipt."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("leaves")
        parser.add_argument("--heads", nargs="*", default=[])
        parser.add_argument("--receipt", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        argv = [options["leaves"], "--heads", *options["heads"]]
        if options["receipt"]:
            argv += ["--receipt", options["receipt"]]
        status = ledger.main(argv, out=self.stdout, err=self.stderr)
        if status == 2:
            raise CommandError("not a readable vote log", returncode=2)
        if status == 1:
            raise CommandError("the vote log does not verify", returncode=1)

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clipcontest.core.upgrade import pending_migrations, static_files_missing, upgrade


class Command(BaseCommand):
    help = (
        "Apply pending migrations and collect static files: run once per release, "
        "before the web nodes and workers (re)start."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="change nothing; exit 1 if migrations or static files are pending",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["check"]:
            pending = pending_migrations()
            if pending or static_files_missing():
                raise CommandError(
                    f"{len(pending)} migration(s) pending, static files "
                    f"{'missing' if static_files_missing() else 'collected'}"
                )
            self.stdout.write("Up to date.")
            return
        started = time.monotonic()
        upgrade(verbosity=max(0, opts["verbosity"] - 1))
        self.stdout.write(f"Upgraded in {time.monotonic() - started:.1f} s.")

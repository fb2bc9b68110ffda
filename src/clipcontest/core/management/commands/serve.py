from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clipcontest.core.processes import default_children, run_together
from clipcontest.core.upgrade import pending_migrations, static_files_missing, upgrade


class Command(BaseCommand):
    help = (
        "Run the web server and the worker (Ctrl-C or SIGTERM stops gracefully, SIGHUP "
        "reloads). Refuses to start while `clipcontest upgrade` has work to do."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--upgrade",
            action="store_true",
            help="run `clipcontest upgrade` (migrate, collectstatic) first",
        )
        parser.add_argument(
            "--no-migrate",
            action="store_true",
            help="accepted for compatibility: serve never migrates unless --upgrade",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="run only the web server (the worker runs elsewhere)",
        )
        parser.add_argument(
            "--no-web",
            action="store_true",
            help="run only the worker (the web server runs elsewhere)",
        )

    def prepare(self) -> None:
        upgrade()

    def check_upgraded(self) -> None:
        pending = pending_migrations()
        if pending:
            raise CommandError(
                f"{len(pending)} migration(s) not applied (first: {pending[0]}); "
                "run `clipcontest upgrade` first (or `serve --upgrade`)."
            )
        if static_files_missing():
            raise CommandError(
                "static files were never collected here; run `clipcontest upgrade` first."
            )

    def banner(self) -> None:
        self.stdout.write(
            f"clipcontest is running at http://{settings.SERVER_BIND}/  (Ctrl-C stops)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["upgrade"]:
            self.prepare()
        else:
            self.check_upgraded()
        children = default_children(web=not opts["no_web"], worker=not opts["no_worker"])
        if not children:
            raise CommandError("--no-web and --no-worker together leave nothing to run.")
        sys.exit(run_together(children, ready=self.banner))

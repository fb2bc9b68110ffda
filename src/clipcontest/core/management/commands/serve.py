from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from clipcontest.core.processes import run_together, web_command, worker_command


class Command(BaseCommand):
    help = "Migrate, collect static files, then run the web server and the worker (Ctrl-C stops)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-migrate",
            action="store_true",
            help="skip migrate and collectstatic (run them once elsewhere when scaled out)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="run only the web server (the worker runs elsewhere)",
        )

    def prepare(self) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)

    def banner(self) -> None:
        self.stdout.write(
            f"clipcontest is running at http://{settings.SERVER_BIND}/  (Ctrl-C stops)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["no_migrate"]:
            self.prepare()
        commands = {"web": web_command()}
        if not opts["no_worker"]:
            commands["worker"] = worker_command()
        sys.exit(run_together(commands, ready=self.banner))

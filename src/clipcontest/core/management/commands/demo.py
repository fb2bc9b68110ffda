from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser

from clipcontest.audit.context import acting
from clipcontest.demo.loader import DEMO_PASSWORD, load_demo

from .serve import Command as ServeCommand


class Command(ServeCommand):
    help = (
        "Migrate, load the 2023 Quảng Ngãi demo contest (idempotent), then run the web "
        "server and the worker, printing the URL and demo logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--load-only", action="store_true", help="load the demo data and exit without serving"
        )

    def prepare(self) -> None:
        super().prepare()  # the demo always upgrades: it must load data afterwards
        self.stdout.write("Loading the demo data set…")
        with acting(via="cli"):
            self.result = load_demo(progress=lambda m: self.stdout.write(f"  {m}"))

    def banner(self) -> None:
        url = f"http://{settings.SERVER_BIND}/"
        lines = [
            "",
            "=" * 72,
            f"clipcontest demo: {url}",
            "",
            f"Demo logins (password for all: {DEMO_PASSWORD}):",
        ]
        lines += [f"  {role:<38} {user:<22} {note}" for role, user, note in self.result.logins]
        lines += [
            "",
            f"Contest (2023): {url}contests/{self.result.contest.slug}/",
            f"Next edition:   {url}contests/{self.result.next_contest.slug}/"
            "  (to.tunghia: upload a work, submission open now)",
            "",
            "Live now, to try each flow:",
            *(f"  {url}contests/{slug}/  {what}" for slug, what in self.result.live),
            "",
            f"API schema:     {url}api/v1/docs",
            "Ctrl-C stops the server and the worker.",
            "=" * 72,
        ]
        self.stdout.write("\n".join(lines))

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["load_only"]:
            self.prepare()
            self.banner()
            return
        super().handle(*args, **{**opts, "upgrade": True})

"""``clipcontest results --contest SLUG``: recompute the published result from the
stored data and say whether it matches (exit status 0) or not (exit status 1)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clipcontest.contests.models import Contest
from clipcontest.core.errors import DomainError
from clipcontest.results.domain import verify_publication


class Command(BaseCommand):
    help = "Recompute a contest's published results and check them against the published SHA-256."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contest", required=True, help="the contest's slug")

    def handle(self, *args: Any, **options: Any) -> None:
        contest = Contest.objects.filter(slug=options["contest"]).first()
        if contest is None:
            raise CommandError(f"No contest {options['contest']!r}.")
        try:
            check = verify_publication(contest=contest)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        pub = check.publication
        self.stdout.write(f"contest:    {contest.slug}")
        self.stdout.write(f"published:  version {pub.version}, {pub.published_at.isoformat()}")
        self.stdout.write(f"published   sha256 {pub.sha256}")
        self.stdout.write(f"recomputed  sha256 {check.recomputed_sha256}")
        if check.matches:
            self.stdout.write(
                self.style.SUCCESS("MATCH: the stored data reproduce the published result.")
            )
            return
        self.stdout.write(
            self.style.ERROR("MISMATCH in: " + ", ".join(check.differences or ("(encoding)",)))
        )
        raise SystemExit(1)

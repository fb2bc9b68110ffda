"""``clipcontest results --contest SLUG``: say which publication is current, and verify
each published version: its stored document still hashes to the published SHA-256, and
a recomputation from the stored data matches it.

Exit status 1 when the current publication does not match, or when any stored document
no longer hashes to its SHA-256; a superseded or withdrawn version that no longer
matches today's data is reported but expected (the data changed after it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clipcontest.contests.models import Contest
from clipcontest.core.errors import DomainError
from clipcontest.results.domain import verify_publication
from clipcontest.results.enums import PublicationState
from clipcontest.results.queries import PublicationStatus, publication_history


class Command(BaseCommand):
    help = (
        "Say which published result of a contest is current and verify every published "
        "version against its SHA-256 and a recomputation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contest", required=True, help="the contest's slug")

    def handle(self, *args: Any, **options: Any) -> None:
        contest = Contest.objects.filter(slug=options["contest"]).first()
        if contest is None:
            raise CommandError(f"No contest {options['contest']!r}.")
        history = publication_history(contest)
        if not history:
            raise CommandError("Nothing has been published for this contest.")
        self.stdout.write(f"contest:    {contest.slug}")
        current = next((h for h in history if h.state == PublicationState.CURRENT), None)
        if current is None:
            self.stdout.write(
                self.style.WARNING(
                    f"current:    none (version {history[0].publication.version} was withdrawn)"
                )
            )
        else:
            self.stdout.write(f"current:    version {current.publication.version}")
        failed = [h for h in reversed(history) if not self._verify(contest, h)]
        if failed:
            raise SystemExit(1)

    def _state(self, status: PublicationStatus) -> str:
        pub = status.publication
        if status.state == PublicationState.WITHDRAWN:
            assert pub.withdrawn_at is not None
            return f"WITHDRAWN {pub.withdrawn_at.isoformat()} (superseded): {pub.withdrawal_reason}"
        if status.state == PublicationState.SUPERSEDED:
            return f"SUPERSEDED by version {status.superseded_by}"
        return "CURRENT"

    def _verify(self, contest: Contest, status: PublicationStatus) -> bool:
        """Print one version's checks; False when it fails the command."""
        pub = status.publication
        is_current = status.state == PublicationState.CURRENT
        self.stdout.write("")
        self.stdout.write(f"version {pub.version}: {self._state(status)}")
        self.stdout.write(f"published:  {pub.published_at.isoformat()}")
        self.stdout.write(f"published   sha256 {pub.sha256}")
        try:
            check = verify_publication(contest=contest, publication=pub)
        except DomainError as exc:
            self.stdout.write(self.style.ERROR(f"cannot recompute: {exc}"))
            return not is_current
        if not check.document_intact:
            self.stdout.write(
                self.style.ERROR("DOCUMENT ALTERED: the stored document no longer hashes to it.")
            )
            return False
        self.stdout.write("document   intact (hashes to the published SHA-256)")
        self.stdout.write(f"recomputed sha256 {check.recomputed_sha256}")
        if check.matches:
            self.stdout.write(
                self.style.SUCCESS("MATCH: the stored data reproduce the published result.")
            )
            return True
        differences = ", ".join(check.differences or ("(encoding)",))
        if is_current:
            self.stdout.write(self.style.ERROR(f"MISMATCH in: {differences}"))
            return False
        self.stdout.write(
            f"differs from today's data in: {differences} "
            "(expected: this version is no longer current)"
        )
        return True

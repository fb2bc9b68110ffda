from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from clipcontest.audit.context import acting
from clipcontest.core.errors import DomainError
from clipcontest.org import domain
from clipcontest.org.models import Hierarchy


class Command(BaseCommand):
    help = (
        "Import administrative units: Vietnam's current divisions (--vietnam) or any "
        "hierarchy from a CSV file with columns code,name,level,parent_code[,kind]."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", nargs="?", help="CSV file (UTF-8)")
        parser.add_argument(
            "--vietnam",
            action="store_true",
            help="load the 34 provinces and 3,321 communes/wards (2025)",
        )
        parser.add_argument(
            "--province",
            type=int,
            action="append",
            help="with --vietnam: only this province code (repeatable)",
        )
        parser.add_argument("--hierarchy", help="slug of the hierarchy to create or extend")
        parser.add_argument("--name", help="display name of a new hierarchy")

    def handle(self, *args: Any, **opts: Any) -> None:
        with acting(via="cli"):
            if opts["vietnam"]:
                hierarchy = domain.import_vietnam(province_codes=opts["province"])
                self.stdout.write(
                    self.style.SUCCESS(f"{hierarchy.name}: {hierarchy.units.count()} units")
                )
                return
            if not opts["csv"] or not opts["hierarchy"]:
                raise CommandError("give a CSV file and --hierarchy SLUG, or --vietnam")
            text = Path(opts["csv"]).read_text(encoding="utf-8-sig")
            try:
                with transaction.atomic():  # a refused file leaves no empty hierarchy behind
                    hierarchy, count = self._import(text, opts)
            except DomainError as exc:
                for message in exc.messages:
                    self.stderr.write(message)
                raise CommandError(f"{len(exc.messages)} problem(s); nothing imported") from exc
            self.stdout.write(self.style.SUCCESS(f"{hierarchy.name}: {count} units imported"))

    def _import(self, text: str, opts: dict[str, Any]) -> tuple[Hierarchy, int]:
        hierarchy, _ = Hierarchy.objects.get_or_create(
            slug=opts["hierarchy"],
            defaults={"name": opts["name"] or opts["hierarchy"], "source": Path(opts["csv"]).name},
        )
        return hierarchy, domain.import_units_csv(hierarchy=hierarchy, text=text)

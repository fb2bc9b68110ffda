from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clipcontest.ops.backup import BackupError, restore, verify


class Command(BaseCommand):
    help = (
        "Check a backup's checksums and restore it into an empty database and storage "
        "(--check: only check)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("src", type=Path, help="a folder written by `clipcontest backup`")
        parser.add_argument("--check", action="store_true", help="verify checksums only")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            manifest = verify(opts["src"]) if opts["check"] else restore(src=opts["src"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = manifest["files"]
        assert isinstance(files, list)
        verb = "Verified" if opts["check"] else "Restored"
        self.stdout.write(f"{verb} the database and {len(files)} file(s) from {opts['src']}.")

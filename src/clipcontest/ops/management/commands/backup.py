from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clipcontest.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database, media, spooled uploads and secret key into a new folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dest", type=Path, help="a folder that does not exist yet")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            manifest = backup(dest=opts["dest"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        files = manifest["files"]
        assert isinstance(files, list)
        self.stdout.write(f"Backed up the database and {len(files)} file(s) to {opts['dest']}.")

"""Backup and restore of a whole site: database, media, spooled uploads, secrets.

A backup is a folder::

    manifest.json           what is inside, with a SHA-256 per file (format below)
    database.sqlite3        SQLite's online backup (embedded), or
    database.pgdump         pg_dump --format=custom (PostgreSQL)
    media/<name>            every file of the default storage, read through its API
    spool/<id>.part         bytes of tus uploads still being received
    secrets/secret_key      the generated SECRET_KEY file, when there is one

Order gives consistency: the database is copied first (one transaction: SQLite's backup
API, pg_dump's snapshot), then the files. Files are written before the rows that name
them commit, so every row of the copy finds its file; a video's files that arrived
after the snapshot are left out, since its row is not in the copy (``belongs``).

``manifest.json``: ``{"format": 1, "created_at", "engine": "sqlite"|"postgresql",
"database": {"path", "sha256", "size"}, "files": [{"path", "sha256", "size"}, ...]}``;
``path`` is relative to the backup folder. ``restore`` checks every checksum before it
writes anything.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Entry:
    path: str
    sha256: str
    size: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _entry(root: Path, path: Path) -> Entry:
    return Entry(str(path.relative_to(root)), sha256_of(path), path.stat().st_size)


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _pg_url() -> str:
    url = settings.DATABASE_URL
    if not url:
        raise BackupError("PostgreSQL backups need DATABASE_URL")
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


VIDEO_PREFIXES = ("originals/", "videos/")


def dump_database(dest: Path) -> tuple[Path, set[str]]:
    """Copies the database and returns the copy's path and the ids (hex) of the videos
    in it, both read from one snapshot."""
    if _engine() == "postgresql":
        import psycopg

        target = dest / "database.pgdump"
        with psycopg.connect(_pg_url()) as conn:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            row = conn.execute("SELECT pg_export_snapshot()").fetchone()
            assert row is not None
            ids = {r[0].hex for r in conn.execute("SELECT id FROM media_video")}
            subprocess.run(
                ["pg_dump", "-Fc", f"--snapshot={row[0]}", f"--file={target}", _pg_url()],
                check=True,
            )
            conn.rollback()
        return target, ids
    target = dest / "database.sqlite3"
    source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)
        ids = {str(r[0]).replace("-", "") for r in copy.execute("SELECT id FROM media_video")}
    finally:
        copy.close()
        source.close()
    return target, ids


def belongs(name: str, video_ids: set[str]) -> bool:
    """False for a video file whose video is not in the copied database (it arrived
    after the snapshot: media without its row)."""
    if not name.startswith(VIDEO_PREFIXES):
        return True
    parts = name.split("/")
    return len(parts) > 1 and parts[1] in video_ids


def _walk(folder: str = "") -> list[str]:
    dirs, files = default_storage.listdir(folder)
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in dirs:
        names += _walk(f"{folder}/{sub}" if folder else sub)
    return names


def backup(*, dest: Path) -> dict[str, object]:
    """Writes a backup folder at ``dest`` (must not exist) and returns its manifest.

    Side effects: reads the database and the storage; writes only under ``dest``."""
    if dest.exists():
        raise BackupError(f"{dest} exists; give a new folder")
    dest.mkdir(parents=True)
    database, video_ids = dump_database(dest)
    files: list[Entry] = []
    for name in sorted(_walk()):
        if not belongs(name, video_ids):
            continue
        target = dest / "media" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        files.append(_entry(dest, target))
    from clipcontest.media import conf

    spool = conf.spool_dir()
    if spool.exists():
        for part in sorted(spool.glob("*.part")):
            target = dest / "spool" / part.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(part, target)
            files.append(_entry(dest, target))
    key_file = Path(settings.DATA_DIR) / "secret_key"
    if key_file.exists():
        target = dest / "secrets" / "secret_key"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(key_file, target)
        target.chmod(0o600)
        files.append(_entry(dest, target))
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": _engine(),
        "database": vars(_entry(dest, database)),
        "files": [vars(entry) for entry in files],
    }
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def verify(src: Path) -> dict[str, object]:
    """The manifest of ``src`` after checking every file's size and SHA-256."""
    try:
        manifest = json.loads((src / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"no readable manifest.json in {src}: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for item in [manifest["database"], *manifest["files"]]:
        path = src / item["path"]
        if not path.is_file():
            raise BackupError(f"{item['path']} is missing")
        if path.stat().st_size != item["size"] or sha256_of(path) != item["sha256"]:
            raise BackupError(f"{item['path']} does not match its checksum")
    return manifest


def _database_is_empty() -> bool:
    return "django_migrations" not in connection.introspection.table_names()


def restore(*, src: Path) -> dict[str, object]:
    """Restores the backup ``src`` into this site's (empty) database, storage and data
    folder; refuses a damaged backup or a database that has tables, changing nothing.

    Side effects: creates the database contents, saves every media file through the
    storage API, writes the spool and the secret key file into the data folder."""
    manifest = verify(src)
    if manifest["engine"] != _engine():
        raise BackupError(f"this is a {manifest['engine']} backup; the site uses {_engine()}")
    if not _database_is_empty():
        raise BackupError("the database is not empty; restore into a fresh one")
    database = src / manifest["database"]["path"]  # type: ignore[index]
    if _engine() == "postgresql":
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_pg_url()}", str(database)],
            check=True,
        )
    else:
        connection.close()
        target = Path(settings.DATABASES["default"]["NAME"])
        for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(database, target)
    from clipcontest.media import conf

    for item in manifest["files"]:  # type: ignore[attr-defined]
        path = src / item["path"]
        kind, _, name = item["path"].partition("/")
        if kind == "media":
            with path.open("rb") as handle:
                saved = default_storage.save(name, File(handle))
            if saved != name:
                raise BackupError(f"the storage already holds {name}")
        elif kind == "spool":
            conf.spool_dir().mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, conf.spool_dir() / name)
        elif kind == "secrets":
            target = Path(settings.DATA_DIR) / name
            shutil.copyfile(path, target)
            target.chmod(0o600)
    return manifest

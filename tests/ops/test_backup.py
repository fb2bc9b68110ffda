"""Backup and restore drill: a site backed up, restored into a fresh folder/database."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid

import pytest

from tests.media.live import SEED, Site

pytestmark = pytest.mark.slow

STORE = r"""
import uuid, json
import django
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from clipcontest.entries.models import Entry
from clipcontest.media.models import Video
entry = Entry.objects.get()
vid = uuid.uuid4()
name = default_storage.save(f"originals/{vid.hex}/original.mp4", ContentFile(b"clip-bytes" * 1000))
Video.objects.create(id=vid, entry=entry, is_current=True, original=name, original_size=10000,
    sha256="0" * 64, container="mp4", video_codec="h264", width=640, height=360, fps=25,
    duration=60, status="ready")
orphan = default_storage.save(f"videos/{uuid.uuid4().hex}/360p.mp4", ContentFile(b"late"))
print(json.dumps({"name": name, "orphan": orphan}))
"""

CHECK = r"""
import json, sys
import django
django.setup()
from django.core.files.storage import default_storage
from clipcontest.media.models import Video
names = json.loads(sys.argv[1])
video = Video.objects.get()
with default_storage.open(video.original) as handle:
    body = handle.read()
print(json.dumps({
    "videos": Video.objects.count(),
    "readable": body == b"clip-bytes" * 1000,
    "orphan_restored": default_storage.exists(names["orphan"]),
}))
"""


def engines() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get("DATABASE_URL") else ["sqlite"]


def _site(folder, engine: str) -> Site:
    folder.mkdir()
    site = Site(folder)
    if engine == "postgresql":
        name = f"h13_drill_{uuid.uuid4().hex[:8]}"
        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        site.env["DATABASE_URL"] = f"{base}/{name}"
    return site


def _drop(site: Site) -> None:
    url = site.env.get("DATABASE_URL")
    if url:
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", url.rsplit("/", 1)[1]],
            check=True,
        )


@pytest.mark.parametrize("engine", engines())
def test_restore_drill_gives_back_rows_media_and_key(tmp_path, engine):
    source = _site(tmp_path / "a", engine)
    fresh = _site(tmp_path / "b", engine)
    try:
        source.manage("upgrade")
        source.python(SEED)
        names = json.loads(source.python(STORE).strip().splitlines()[-1])
        backup = tmp_path / "backup"
        assert source.manage("backup", str(backup)).startswith("Backed up the database")
        manifest = json.loads((backup / "manifest.json").read_text())
        paths = sorted(item["path"] for item in manifest["files"])
        assert paths == [f"media/{names['name']}", "secrets/secret_key"]

        out = fresh.manage("restore", str(backup))
        assert out.startswith("Restored the database and 2 file(s)")
        check = json.loads(fresh.python(CHECK.replace("sys.argv[1]", repr(json.dumps(names)))))
        assert check == {"videos": 1, "readable": True, "orphan_restored": False}
        key_a = (tmp_path / "a" / "secret_key").read_text()
        assert (tmp_path / "b" / "secret_key").read_text() == key_a
        again = subprocess.run(
            [*clipcontest(), "restore", str(backup)],
            env=fresh.env,
            capture_output=True,
            text=True,
        )
        assert again.returncode == 1
        assert "the database is not empty" in again.stderr
    finally:
        _drop(source)
        _drop(fresh)


def clipcontest() -> list[str]:
    import sys

    return [sys.executable, "-m", "clipcontest"]


def test_restore_refuses_a_backup_whose_checksum_fails(tmp_path):
    source = _site(tmp_path / "a", "sqlite")
    source.manage("upgrade")
    source.python(SEED)
    source.python(STORE)
    backup = tmp_path / "backup"
    source.manage("backup", str(backup))
    damaged = tmp_path / "damaged"
    shutil.copytree(backup, damaged)
    video = next((damaged / "media" / "originals").rglob("original.mp4"))
    video.write_bytes(b"x" + video.read_bytes()[1:])
    fresh = _site(tmp_path / "b", "sqlite")
    run = subprocess.run(
        [*clipcontest(), "restore", str(damaged)],
        env=fresh.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert "does not match its checksum" in run.stderr
    assert not (tmp_path / "b" / "clipcontest.sqlite3").exists() or not _has_tables(tmp_path / "b")


def _has_tables(folder) -> bool:
    import sqlite3

    db = sqlite3.connect(str(folder / "clipcontest.sqlite3"))
    try:
        return bool(db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    finally:
        db.close()

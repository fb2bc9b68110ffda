"""The local spool of partial uploads: one file per upload, named by its id.

This is working space, like a temp folder: bytes land here while a tus upload runs and
leave through the storage API (``default_storage.save``) once verified. On local storage
the save is a rename (Django moves files that have ``temporary_file_path``), so a
verified upload is written to disk once.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.core.files import File

from . import conf

CHUNK = 256 * 1024


def path_for(upload_id: uuid.UUID) -> Path:
    return conf.spool_dir() / f"{upload_id.hex}.part"


def create(upload_id: uuid.UUID) -> None:
    fd = os.open(path_for(upload_id), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def remove(upload_id: uuid.UUID) -> None:
    with contextlib.suppress(FileNotFoundError):
        path_for(upload_id).unlink()


class Busy(Exception):
    """Another request is writing to this upload right now."""


@contextlib.contextmanager
def locked(upload_id: uuid.UUID) -> Iterator[IO[bytes]]:
    """Open the spool file for writing under an exclusive, non-blocking lock.

    The lock dies with the process, so a killed server never leaves an upload stuck.
    """
    handle = open(path_for(upload_id), "r+b")  # noqa: SIM115
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise Busy from exc
        yield handle
    finally:
        handle.close()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


class LocalFile(File):
    """A local work file handed to ``storage.save``: local storage moves it, S3 streams it."""

    def __init__(self, path: Path, name: str):
        super().__init__(open(path, "rb"), name=name)  # noqa: SIM115
        self._local_path = path

    def temporary_file_path(self) -> str:
        return str(self._local_path)

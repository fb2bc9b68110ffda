"""Readiness checks: can this node serve requests that need its dependencies?"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection


def database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def queue() -> None:
    from huey.contrib.djhuey import HUEY

    HUEY.pending_count()


def cache_roundtrip() -> None:
    key, value = "ops:readyz", secrets.token_hex(8)
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was stored")


def storage() -> None:
    # A lookup, not a write: a HEAD on S3, a stat on disk; errors are what matters.
    default_storage.exists("ops-readyz-probe")


CHECKS: dict[str, Callable[[], None]] = {
    "database": database,
    "queue": queue,
    "cache": cache_roundtrip,
    "storage": storage,
}


def readiness() -> dict[str, str]:
    """``{check: "ok" | "<exception class>: <message>"}`` for every check."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:
            results[name] = f"{type(exc).__name__}: {exc}"[:300]
        else:
            results[name] = "ok"
    return results

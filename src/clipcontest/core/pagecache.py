"""Versions for whole-page caches: a change bumps a version, never waits for a TTL.

Cached public pages put two numbers in their keys: the site version (bumped by any
change not tied to one contest: a team, a unit, a role) and the contest's version
(bumped by any change to the contest, its phases, settings, entries, videos and votes).
A bump makes every older key unreachable at once; the entries themselves expire later.

The domain calls ``changed_on_commit`` inside its transaction (the audit log does it
for every event it records), so a page rendered before the change was committed can
never be stored under the new version.

A missing version (never set, evicted) starts at the current time in nanoseconds, so
it can never come back to a value an old page was stored under.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

SITE = "pages:v:site"


def _key(contest_id: int | None) -> str:
    return SITE if contest_id is None else f"pages:v:c{contest_id}"


def _fresh() -> int:
    return time.time_ns()


def version(contest_id: int | None = None) -> int:
    """The current version (the site's when ``contest_id`` is None)."""
    key = _key(contest_id)
    found = cache.get(key)
    if found is None:
        cache.add(key, _fresh(), timeout=None)
        found = cache.get(key)
    return int(found)


def changed(contest_id: int | None = None) -> None:
    """Bump the contest's version (the site's when None): its cached pages are stale."""
    key = _key(contest_id)
    try:
        cache.incr(key)
    except ValueError:  # missing: any fresh value is newer than what pages were keyed by
        cache.set(key, _fresh(), timeout=None)


def changed_on_commit(contest_id: int | None = None) -> None:
    """``changed`` once the current transaction commits (at once outside one). A cache
    failure is logged, never turned into an error of the committed change."""
    transaction.on_commit(lambda: changed(contest_id), robust=True)

"""Voting settings, read from the environment (documented in docs/configuration.md).

Each value can also be overridden in Django settings under the same name without the
``CLIPCONTEST_`` prefix (tests use ``settings.VOTING_…``).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings

from clipcontest.core.config import env_int, env_list, env_str

_DEFAULTS: dict[str, Any] = {
    # HMAC key for identities, pseudonyms and challenges; derived from SECRET_KEY if empty.
    "VOTING_KEY": env_str("CLIPCONTEST_VOTING_KEY"),
    "VOTING_CODE_TTL": env_int("CLIPCONTEST_VOTING_CODE_TTL", 600),
    "VOTING_CODE_TRIES": env_int("CLIPCONTEST_VOTING_CODE_TRIES", 5),
    "VOTING_SESSION_HOURS": env_int("CLIPCONTEST_VOTING_SESSION_HOURS", 24),
    "VOTING_CHALLENGE_MAX_NUMBER": env_int("CLIPCONTEST_VOTING_CHALLENGE_MAX_NUMBER", 50_000),
    "VOTING_CHALLENGE_TTL": env_int("CLIPCONTEST_VOTING_CHALLENGE_TTL", 300),
    # Rate limits: events per window (seconds).
    "VOTING_RATE_WINDOW": env_int("CLIPCONTEST_VOTING_RATE_WINDOW", 60),
    "VOTING_RATE_IP": env_int("CLIPCONTEST_VOTING_RATE_IP", 30),
    "VOTING_RATE_SUBNET": env_int("CLIPCONTEST_VOTING_RATE_SUBNET", 120),
    "VOTING_RATE_VOTER": env_int("CLIPCONTEST_VOTING_RATE_VOTER", 20),
    "VOTING_CODES_PER_IDENTITY": env_int("CLIPCONTEST_VOTING_CODES_PER_IDENTITY", 5),
    "VOTING_CODES_PER_IP": env_int("CLIPCONTEST_VOTING_CODES_PER_IP", 20),
    "VOTING_CODES_WINDOW": env_int("CLIPCONTEST_VOTING_CODES_WINDOW", 3600),
    "VOTING_FRAUD_WINDOW": env_int("CLIPCONTEST_VOTING_FRAUD_WINDOW", 600),
    "VOTING_DISPOSABLE_DOMAINS": env_list("CLIPCONTEST_VOTING_DISPOSABLE_DOMAINS", []),
    # The vote log's maximum merge delay: every vote is sealed within this many seconds.
    "VOTING_MERGE_DELAY": env_int("CLIPCONTEST_VOTING_MERGE_DELAY", 10),
    "VOTING_GALLERY_CACHE_SECONDS": env_int("CLIPCONTEST_VOTING_GALLERY_CACHE_SECONDS", 30),
    # Whole gallery and entry pages for anonymous visitors (voting/pagecache.py); changes
    # invalidate them at once, this is only how long an unused page is kept.
    "VOTING_PAGE_CACHE_SECONDS": env_int("CLIPCONTEST_VOTING_PAGE_CACHE_SECONDS", 600),
}


def get(name: str) -> Any:
    """A voting setting: Django settings first, then the environment, then the default."""
    return getattr(settings, name, _DEFAULTS[name])


def key() -> bytes:
    """The voting HMAC key (its own secret, or one derived from SECRET_KEY)."""
    configured = get("VOTING_KEY")
    if configured:
        return str(configured).encode()
    return hashlib.sha256(b"clipcontest.voting:" + settings.SECRET_KEY.encode()).digest()

"""Fixed-window rate limits in the shared cache (Redis when configured).

``cache.add`` creates the counter with its expiry only if absent and ``cache.incr`` is
atomic on Redis, so concurrent requests cannot slip past the limit there. On the
embedded file cache increments are best-effort, which suits a single machine.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from .errors import DomainError


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one event; False when ``key`` has gone over ``limit`` in this window."""
    bucket = int(time.time()) // window
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"rl:{scope}:{digest}:{bucket}"
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 5)
        count = 1
    return count <= limit


def enforce(scope: str, key: str, *, limit: int, window: int) -> None:
    """Raise RateLimited (HTTP 429) when over the limit."""
    if not hit(scope, key, limit=limit, window=window):
        raise RateLimited(_("Too many attempts. Please wait a few minutes and try again."))

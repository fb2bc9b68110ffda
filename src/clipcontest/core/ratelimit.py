"""Fixed-window rate limits in the shared cache (Redis when configured).

``cache.add`` creates the counter with its expiry only if absent and ``cache.incr`` is
atomic on Redis, so concurrent requests cannot slip past the limit there. On the
embedded file cache increments are best-effort, which suits a single machine.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.core.cache import cache
from django.utils.translation import ngettext

from .errors import DomainError


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429

    def __init__(self, *messages: str, retry_after: int = 60, code: str | None = None):
        super().__init__(*messages, code=code)
        self.retry_after = max(1, int(retry_after))


def wait_message(seconds: int) -> str:
    """The translated sentence saying how long to wait (seconds, or whole minutes)."""
    if seconds < 120:
        return ngettext(
            "Too many attempts. Please try again in %(n)d second.",
            "Too many attempts. Please try again in %(n)d seconds.",
            seconds,
        ) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Too many attempts. Please try again in %(n)d minute.",
        "Too many attempts. Please try again in %(n)d minutes.",
        minutes,
    ) % {"n": minutes}


def _key(scope: str, key: str) -> str:
    return f"{scope}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one event; False when ``key`` has gone over ``limit`` in this window."""
    return count(scope, key, window=window) <= limit


def count(scope: str, key: str, *, window: int) -> int:
    """Count one event and return how many ``key`` has had in this window."""
    bucket = int(time.time()) // window
    cache_key = f"rl:{_key(scope, key)}:{bucket}"
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        return int(cache.incr(cache_key))
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 5)
        return 1


def peek(scope: str, key: str, *, window: int) -> int:
    """How many events ``key`` has had in this window (counts nothing)."""
    bucket = int(time.time()) // window
    return int(cache.get(f"rl:{_key(scope, key)}:{bucket}", 0))


def forget(scope: str, key: str, *, window: int) -> None:
    """Drop ``key``'s count for this window."""
    bucket = int(time.time()) // window
    cache.delete(f"rl:{_key(scope, key)}:{bucket}")


def retry_after(window: int) -> int:
    """Seconds until the current fixed window ends."""
    return window - int(time.time()) % window


def enforce(scope: str, key: str, *, limit: int, window: int) -> None:
    """Raise RateLimited (HTTP 429, with the real wait) when over the limit."""
    if not hit(scope, key, limit=limit, window=window):
        wait = retry_after(window)
        raise RateLimited(wait_message(wait), retry_after=wait)


def hold(scope: str, key: str, *, seconds: int) -> None:
    """Make ``key`` wait ``seconds`` from now (see :func:`waiting`)."""
    until = time.time() + seconds
    cache.set(f"rl-hold:{_key(scope, key)}", until, timeout=seconds + 5)


def waiting(scope: str, key: str) -> int:
    """Whole seconds ``key`` must still wait (0 when free)."""
    until = cache.get(f"rl-hold:{_key(scope, key)}")
    if until is None:
        return 0
    return max(0, math.ceil(float(until) - time.time()))


def release(scope: str, key: str) -> None:
    cache.delete(f"rl-hold:{_key(scope, key)}")

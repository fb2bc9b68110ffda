"""Fixed-window rate limits in the shared cache (Redis when configured).

Every limit an action checks is counted in **one** round trip: on Redis a small Lua
script increments the counters in order, sets each new counter's expiry and stops at
the first one over its limit (so a refused event does not use up the later limits),
atomically. On the embedded file cache the same steps run one by one (``cache.add`` +
``cache.incr``, best-effort under concurrency, which suits a single machine).

A refusal carries the real wait: the seconds until the refusing window ends.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils.translation import ngettext

from .errors import DomainError


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429

    def __init__(self, *messages: str, retry_after: float = 0.0, code: str | None = None):
        super().__init__(*messages, code=code)
        self.retry_after = retry_after  # seconds until the refusing window ends

    @property
    def retry_after_seconds(self) -> int:
        """For the ``Retry-After`` header: whole seconds, at least 1."""
        return max(1, math.ceil(self.retry_after))


@dataclass(frozen=True)
class Limit:
    """At most ``limit`` events per fixed ``window`` (seconds) for ``key`` in ``scope``."""

    scope: str
    key: str
    limit: int
    window: int

    def cache_key(self, now: float) -> str:
        bucket = int(now) // self.window
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:32]
        return f"rl:{self.scope}:{digest}:{bucket}"

    def wait(self, now: float) -> float:
        """Seconds from ``now`` until this window ends."""
        return (int(now) // self.window + 1) * self.window - now


# KEYS: the counters; ARGV: limit1, ttl1, limit2, ttl2, ...  Returns the 1-based index
# of the first counter over its limit, 0 when every one is within.
_LUA = """
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, ARGV[2 * i]) end
  if n > tonumber(ARGV[2 * i - 1]) then return i end
end
return 0
"""
_script: Any = None


def _redis_call() -> Any | None:
    """A callable running the Lua script when the default cache is Django's RedisCache
    (the script's SHA is computed once; EVALSHA falls back to loading it)."""
    global _script
    backend = getattr(cache, "_cache", None)
    if backend is None or not hasattr(backend, "get_client"):
        return None
    client = backend.get_client(write=True)
    if _script is None:
        _script = client.register_script(_LUA)
    return lambda keys, args: _script(keys=keys, args=args, client=client)


def first_refused(limits: Sequence[Limit], *, now: float | None = None) -> Limit | None:
    """Count one event against each limit in order; the first limit gone over, or None.

    Counters after a refusing one are not incremented (same on every cache backend).
    """
    now = time.time() if now is None else now
    run = _redis_call()
    if run is not None:
        keys = [cache.make_and_validate_key(lim.cache_key(now)) for lim in limits]
        args: list[int] = []
        for lim in limits:
            args += [lim.limit, lim.window + 5]
        index = int(run(keys, args))
        return limits[index - 1] if index else None
    for lim in limits:
        if _count_locally(lim.cache_key(now), lim.window) > lim.limit:
            return lim
    return None


def _count_locally(cache_key: str, window: int) -> int:
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        return int(cache.incr(cache_key))
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 5)
        return 1


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


def refusal(wait: float) -> RateLimited:
    """The translated 429 error stating the real wait (seconds, rounded up)."""
    return RateLimited(wait_message(max(1, math.ceil(wait))), retry_after=wait)


def enforce_all(limits: Sequence[Limit], *, now: float | None = None) -> None:
    """Count one event against every limit in one round trip; raise RateLimited (429,
    with the wait until the refusing window ends) when one is over."""
    now = time.time() if now is None else now
    refused = first_refused(limits, now=now)
    if refused is not None:
        raise refusal(refused.wait(now))


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one event; False when ``key`` has gone over ``limit`` in this window."""
    return first_refused([Limit(scope, key, limit, window)]) is None


def enforce(scope: str, key: str, *, limit: int, window: int) -> None:
    """Raise RateLimited (HTTP 429, stating the wait) when over the limit."""
    enforce_all([Limit(scope, key, limit, window)])


# Counters read and kept by hand (sign-in throttling counts failures only, and makes a
# key wait): the same keys as ``Limit.cache_key``.


def _key(scope: str, key: str) -> str:
    return f"{scope}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def count(scope: str, key: str, *, window: int) -> int:
    """Count one event and return how many ``key`` has had in this window."""
    bucket = int(time.time()) // window
    return _count_locally(f"rl:{_key(scope, key)}:{bucket}", window)


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

"""Rate limits: counts per window, one Redis round trip for all limits, the real wait."""

from __future__ import annotations

import os

import pytest
import redis
from django.core.cache import cache

from clipcontest.core import ratelimit
from clipcontest.core.ratelimit import Limit, RateLimited

BACKENDS = ["local"] + (["redis"] if os.environ.get("REDIS_URL") else [])
NOW = 1_800_000_020.25  # 20.25 s into a 60 s window (1_800_000_000 % 60 == 0)


@pytest.fixture(params=BACKENDS)
def backend(request, settings, tmp_path) -> str:
    """The embedded file cache, and Redis when the run has one (the PostgreSQL + Redis
    run of CI): the two must count the same."""
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": os.environ["REDIS_URL"],
                "KEY_PREFIX": f"rl-test-{os.getpid()}",
            }
        }
    else:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
    cache.clear()
    return request.param


def limits(ip_limit: int = 2, voter_limit: int = 5) -> list[Limit]:
    return [Limit("t-ip", "10.0.0.1", ip_limit, 60), Limit("t-voter", "42", voter_limit, 60)]


def test_first_refused_counts_up_to_the_limit(backend):
    outcomes = [ratelimit.first_refused(limits(), now=NOW) for _ in range(3)]
    assert outcomes == [None, None, limits()[0]]


def test_first_refused_stops_at_the_refusing_limit(backend):
    for _ in range(4):  # two counted, then two refused by the first limit
        ratelimit.first_refused(limits(), now=NOW)
    # The second limit saw only the two accepted events: three more fit under 5.
    second_only = [ratelimit.first_refused(limits()[1:], now=NOW) for _ in range(4)]
    assert second_only == [None, None, None, limits()[1]]


def test_first_refused_starts_afresh_in_the_next_window(backend):
    for _ in range(3):
        ratelimit.first_refused(limits(), now=NOW)
    assert ratelimit.first_refused(limits(), now=NOW + 60) is None


def test_enforce_all_states_the_real_wait(backend):
    for _ in range(2):
        ratelimit.enforce_all(limits(), now=NOW)
    with pytest.raises(RateLimited) as info:
        ratelimit.enforce_all(limits(), now=NOW)
    # NOW is 20.25 s into its 60 s window: 39.75 s to go.
    assert info.value.retry_after == 39.75
    assert info.value.retry_after_seconds == 40
    assert info.value.status == 429
    assert info.value.messages == ["Too many attempts. Please try again in 40 seconds."]


def test_refusal_states_minutes_for_long_waits():
    assert ratelimit.refusal(3000).messages == [
        "Too many attempts. Please try again in 50 minutes."
    ]
    assert ratelimit.refusal(0.2).messages == ["Too many attempts. Please try again in 1 second."]


def test_enforce_all_is_one_redis_round_trip(backend, monkeypatch):
    if backend != "redis":
        # The embedded cache has no round trips to count; its counting is tested above.
        assert ratelimit._redis_call() is None
        return
    ratelimit.enforce_all(limits(9, 9), now=NOW)  # loads the script once
    sent: list[int] = []
    original = redis.connection.Connection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(1)
        return original(self, command, check_health)

    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counting)
    ratelimit.enforce_all([*limits(9, 9), Limit("t-net", "10.0.0.0/24", 9, 60)], now=NOW)
    assert len(sent) == 1

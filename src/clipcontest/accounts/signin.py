"""Sign-in throttling that stops guessing without locking owners out.

- Failures only are counted, per account (the name as Django will look it up:
  stripped, NFKC-normalised, case-folded), per client address and per
  (account, address) pair; a successful sign-in counts nothing.
- After a few failures on an account (or from an address) every attempt on it must
  carry a solved proof-of-work challenge: guessing gets expensive, the owner solves it
  once in the browser and signs in with the right password.
- Failures from one address on one account, and many failures from one address, add a
  growing wait (answered 429 with a truthful ``Retry-After``); a room of people behind
  one address who type their passwords right is never slowed down.

``policy`` and ``delay`` are pure; ``Throttle`` keeps the counts in the shared cache.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from django.conf import settings

from clipcontest.core import proofofwork, ratelimit


def account_key(username: str) -> str:
    """The account a sign-in name designates: the form strips and NFKC-normalises it
    before the backend looks it up; case variants are one account for counting."""
    return unicodedata.normalize("NFKC", username.strip()).casefold()


@dataclass(frozen=True)
class Limits:
    window: int = 900  # seconds over which failures are counted
    challenge_after_account: int = 3  # failures on an account before the challenge
    challenge_after_address: int = 10  # failures from an address before the challenge
    free_pair: int = 5  # failures of one address on one account before waiting
    free_address: int = 30  # failures from one address before waiting
    max_delay: int = 900  # longest wait, seconds

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(**getattr(settings, "LOGIN_THROTTLE", {}))


@dataclass(frozen=True)
class Counts:
    account: int
    address: int
    pair: int


def delay(failures: int, *, free: int, cap: int) -> int:
    """Seconds to wait after ``failures`` when ``free`` cost nothing: 1, 2, 4, … ≤ cap."""
    if failures <= free:
        return 0
    return int(min(cap, 2 ** min(failures - free - 1, 30)))


def needs_challenge(counts: Counts, limits: Limits) -> bool:
    return (
        counts.account >= limits.challenge_after_account
        or counts.address >= limits.challenge_after_address
    )


def wait_after_failure(counts: Counts, limits: Limits) -> tuple[int, int]:
    """(wait for the pair, wait for the address) once ``counts`` failures are in."""
    return (
        delay(counts.pair, free=limits.free_pair, cap=limits.max_delay),
        delay(counts.address, free=limits.free_address, cap=limits.max_delay),
    )


class Throttle:
    """The counts of one sign-in attempt (an account name from an address)."""

    def __init__(self, *, username: str, address: str, limits: Limits | None = None):
        self.limits = limits or Limits.from_settings()
        self.account = account_key(username)
        self.address = address or "-"
        self.pair = f"{self.account}\n{self.address}"

    def counts(self) -> Counts:
        window = self.limits.window
        return Counts(
            account=ratelimit.peek("login-fail-user", self.account, window=window),
            address=ratelimit.peek("login-fail-ip", self.address, window=window),
            pair=ratelimit.peek("login-fail-pair", self.pair, window=window),
        )

    def wait(self) -> int:
        """Seconds this attempt must still wait (0: it may be checked now)."""
        return max(
            ratelimit.waiting("login-wait-pair", self.pair),
            ratelimit.waiting("login-wait-ip", self.address),
        )

    def needs_challenge(self) -> bool:
        return needs_challenge(self.counts(), self.limits)

    def failed(self) -> None:
        """Count a failure (cache writes) and start the waits it earns."""
        window = self.limits.window
        counts = Counts(
            account=ratelimit.count("login-fail-user", self.account, window=window),
            address=ratelimit.count("login-fail-ip", self.address, window=window),
            pair=ratelimit.count("login-fail-pair", self.pair, window=window),
        )
        pair_wait, address_wait = wait_after_failure(counts, self.limits)
        if pair_wait:
            ratelimit.hold("login-wait-pair", self.pair, seconds=pair_wait)
        if address_wait:
            ratelimit.hold("login-wait-ip", self.address, seconds=address_wait)

    def succeeded(self) -> None:
        """Forget this address's failures on this account (cache writes)."""
        ratelimit.forget("login-fail-pair", self.pair, window=self.limits.window)
        ratelimit.release("login-wait-pair", self.pair)


CHALLENGE_TTL = 300


def _challenge_key() -> bytes:
    return hashlib.sha256(b"clipcontest.signin:" + settings.SECRET_KEY.encode()).digest()


def new_challenge() -> dict[str, object]:
    """A proof-of-work challenge for the sign-in form (the vote's ALTCHA format)."""
    return proofofwork.issue(
        key=_challenge_key(),
        max_number=getattr(settings, "LOGIN_CHALLENGE_MAX_NUMBER", 50_000),
        ttl=CHALLENGE_TTL,
    )


def spend_challenge(payload: str) -> bool:
    """True when ``payload`` solves a challenge we issued that was never used before
    (marks it used in the cache)."""
    digest = proofofwork.verify(payload, key=_challenge_key())
    return digest is not None and proofofwork.spend_once("signin", digest, ttl=CHALLENGE_TTL)

"""Fraud scoring of one vote from the signals around it: pure functions over dataclasses.

The domain gathers the facts (how many votes came from this address or subnet lately,
how many identities used this device, the intervals between recent votes from the
subnet, the voter's e-mail domain); this module turns them into reasons and a hold
decision. No single signal proves fraud, so a vote is only *held* for the organizer.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

#: Reason codes (stable: they appear in the ledger's invalidation records and the UI).
BURST_IP = "burst_ip"
BURST_SUBNET = "burst_subnet"
DISPOSABLE_EMAIL = "disposable_email"
SHARED_DEVICE = "shared_device"
ROBOTIC_TIMING = "robotic_timing"

#: A small built-in list; operators add more with CLIPCONTEST_VOTING_DISPOSABLE_DOMAINS.
DISPOSABLE_DOMAINS = frozenset(
    {
        "10minutemail.com",
        "guerrillamail.com",
        "mailinator.com",
        "temp-mail.org",
        "tempmail.com",
        "throwawaymail.com",
        "trashmail.com",
        "yopmail.com",
        "getnada.com",
        "sharklasers.com",
        "dispostable.com",
        "maildrop.cc",
    }
)


@dataclass(frozen=True)
class Thresholds:
    ip_votes: int = 20  # votes from one address within the window
    subnet_votes: int = 60  # votes from one /24 (IPv4) or /64 (IPv6) within the window
    device_identities: int = 3  # distinct voters seen with one device cookie
    timing_samples: int = 8  # intervals needed before judging regularity
    timing_spread: float = 0.15  # seconds: stdev below this looks scripted


@dataclass(frozen=True)
class Signals:
    """Facts about one vote and what came just before it (this vote included)."""

    ip_votes: int = 0
    subnet_votes: int = 0
    device_identities: int = 0
    email_domain: str = ""
    intervals: Sequence[float] = ()  # seconds between recent votes from the subnet
    extra_disposable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Verdict:
    reasons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def hold(self) -> bool:
        return bool(self.reasons)


def is_disposable(domain: str, extra: frozenset[str] = frozenset()) -> bool:
    domain = domain.lower().strip(".")
    known = DISPOSABLE_DOMAINS | extra
    return any(domain == d or domain.endswith("." + d) for d in known)


def regular(intervals: Sequence[float], thresholds: Thresholds) -> bool:
    """True when enough intervals are nearly identical (a script on a timer)."""
    if len(intervals) < thresholds.timing_samples:
        return False
    return statistics.pstdev(intervals) < thresholds.timing_spread


def score(signals: Signals, thresholds: Thresholds = Thresholds()) -> Verdict:
    """The reasons to hold this vote, in a fixed order (empty: count it at once)."""
    reasons = []
    if signals.ip_votes > thresholds.ip_votes:
        reasons.append(BURST_IP)
    if signals.subnet_votes > thresholds.subnet_votes:
        reasons.append(BURST_SUBNET)
    if signals.email_domain and is_disposable(signals.email_domain, signals.extra_disposable):
        reasons.append(DISPOSABLE_EMAIL)
    if signals.device_identities > thresholds.device_identities:
        reasons.append(SHARED_DEVICE)
    if regular(signals.intervals, thresholds):
        reasons.append(ROBOTIC_TIMING)
    return Verdict(tuple(reasons))


def subnet_of(ip: str | None) -> str:
    """The /24 of an IPv4 address or the /64 of an IPv6 one ("" when unknown)."""
    import ipaddress

    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))

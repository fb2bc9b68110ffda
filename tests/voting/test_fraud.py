from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from clipcontest.voting import fraud


def test_score_quiet_vote_is_not_held():
    assert (
        fraud.score(fraud.Signals(ip_votes=1, subnet_votes=1, email_domain="gmail.com")).reasons
        == ()
    )


def test_score_lists_every_reason_in_order():
    verdict = fraud.score(
        fraud.Signals(
            ip_votes=50,
            subnet_votes=100,
            device_identities=9,
            email_domain="x.yopmail.com",
            intervals=[2.0] * 8,
        )
    )
    assert verdict.reasons == (
        "burst_ip",
        "burst_subnet",
        "disposable_email",
        "shared_device",
        "robotic_timing",
    )
    assert verdict.hold


@given(st.lists(st.floats(min_value=0, max_value=3600), min_size=0, max_size=7))
def test_regular_needs_enough_samples(intervals):
    assert not fraud.regular(intervals, fraud.Thresholds())


@given(st.floats(min_value=0.5, max_value=100), st.integers(min_value=8, max_value=20))
def test_regular_flags_constant_intervals(step, n):
    assert fraud.regular([step] * n, fraud.Thresholds())


def test_subnet_of_ipv4_and_ipv6():
    assert fraud.subnet_of("203.0.113.77") == "203.0.113.0/24"
    assert fraud.subnet_of("2001:db8::1") == "2001:db8::/64"
    assert fraud.subnet_of(None) == ""
    assert fraud.subnet_of("nonsense") == ""

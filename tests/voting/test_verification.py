from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from clipcontest.core.ratelimit import RateLimited
from clipcontest.voting import domain
from clipcontest.voting.domain import CodeRefused
from clipcontest.voting.models import VerificationCode, Voter

from .helpers import last_code


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """request_code with its after-commit delivery run (the code lands in the outbox)."""

    def request(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return domain.request_code(**kwargs)

    return request


def test_email_code_verifies_once_and_stores_only_hashes(ask, voting):
    row = ask(contest=voting.contest, kind="email", raw=" Lan@Example.ORG ", ip="203.0.113.5")
    code = last_code()
    voter = domain.confirm_code(request_id=str(row.pk), code=code)
    assert voter.email_domain == "example.org"
    assert "lan@example.org" not in voter.identity_hash
    assert VerificationCode.objects.get(pk=row.pk).code_hash != code
    with pytest.raises(CodeRefused, match="already used"):
        domain.confirm_code(request_id=str(row.pk), code=code)


def test_same_identity_twice_is_one_voter(ask, voting):
    first = ask(contest=voting.contest, kind="email", raw="lan@example.org", ip=None)
    a = domain.confirm_code(request_id=str(first.pk), code=last_code())
    second = ask(contest=voting.contest, kind="email", raw="LAN@example.org", ip=None)
    b = domain.confirm_code(request_id=str(second.pk), code=last_code())
    assert a == b
    assert Voter.objects.count() == 1


def test_phone_code_goes_through_sms_outbox(ask, voting):
    row = ask(contest=voting.contest, kind="phone", raw="0905 123 456", ip=None)
    voter = domain.confirm_code(request_id=str(row.pk), code=last_code("sms"))
    assert voter.kind == "phone"


def test_code_expires_after_ten_minutes(ask, voting):
    row = ask(contest=voting.contest, kind="email", raw="a@example.org", ip=None)
    code = last_code()
    later = timezone.now() + dt.timedelta(minutes=10, seconds=1)
    with time_machine.travel(later), pytest.raises(CodeRefused, match="expired"):
        domain.confirm_code(request_id=str(row.pk), code=code)


def test_wrong_codes_count_and_lock_after_five_tries(ask, voting):
    row = ask(contest=voting.contest, kind="email", raw="a@example.org", ip=None)
    code = last_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        with pytest.raises(CodeRefused, match="not right"):
            domain.confirm_code(request_id=str(row.pk), code=wrong)
    with pytest.raises(CodeRefused, match="Too many wrong codes"):
        domain.confirm_code(request_id=str(row.pk), code=code)
    assert VerificationCode.objects.get(pk=row.pk).tries == 5


def test_code_is_bound_to_its_request(ask, voting):
    first = ask(contest=voting.contest, kind="email", raw="a@example.org", ip=None)
    code = last_code()
    second = ask(contest=voting.contest, kind="email", raw="b@example.org", ip=None)
    with pytest.raises(CodeRefused):
        domain.confirm_code(request_id=str(second.pk), code=code)
    assert domain.confirm_code(request_id=str(first.pk), code=code)


def test_unknown_request_is_refused(ask, voting):
    with pytest.raises(CodeRefused, match="unknown"):
        domain.confirm_code(request_id="not-a-uuid", code="123456")


def test_code_requests_are_rate_limited_per_identity(ask, voting, settings):
    settings.VOTING_CODES_PER_IDENTITY = 2
    for _ in range(2):
        ask(contest=voting.contest, kind="email", raw="a@example.org", ip=None)
    with pytest.raises(RateLimited):
        ask(contest=voting.contest, kind="email", raw="a@example.org", ip=None)


@pytest.mark.parametrize(
    "kind, raw", [("email", "not-an-address"), ("phone", "12ab"), ("fax", "123")]
)
def test_bad_identity_is_refused(ask, voting, kind, raw):
    with pytest.raises(domain.DomainError):
        ask(contest=voting.contest, kind=kind, raw=raw, ip=None)

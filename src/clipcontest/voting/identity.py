"""Normalising and hashing what identifies a voter: nothing here is stored in clear.

Every hash is an HMAC under the voting key (``conf.key``), so a leaked database does not
let anyone test guesses of e-mail addresses or phone numbers without the key as well.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from clipcontest.core.errors import DomainError

from . import conf
from .enums import IdentityKind

_PHONE_JUNK = re.compile(r"[\s.\-()]")


def keyed(purpose: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` for one ``purpose`` (hex)."""
    return hmac.new(conf.key(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def normalize(kind: str, raw: str) -> str:
    """The canonical form of an address or number; DomainError if it is not one."""
    value = raw.strip()
    if kind == IdentityKind.EMAIL:
        value = value.lower()
        try:
            validate_email(value)
        except ValidationError as exc:
            raise DomainError(_("Enter a valid e-mail address."), code="bad_identity") from exc
        return value
    if kind == IdentityKind.PHONE:
        digits = _PHONE_JUNK.sub("", value)
        if digits.startswith("+"):
            digits = digits[1:]
        elif digits.startswith("0"):
            digits = "84" + digits[1:]  # a Vietnamese national number
        if not digits.isdigit() or not 9 <= len(digits) <= 15:
            raise DomainError(_("Enter a valid phone number."), code="bad_identity")
        return "+" + digits
    raise DomainError(_("Choose an e-mail address or a phone number."), code="bad_identity")


def identity_hash(kind: str, value: str) -> str:
    return keyed(f"identity:{kind}", value)


def pseudonym(contest_id: int, voter_identity_hash: str) -> str:
    """The voter's name in one contest's public ledger (unlinkable across contests)."""
    return keyed(f"pseudonym:{contest_id}", voter_identity_hash)[:32]


def code_hash(request_id: str, code: str) -> str:
    """A code is only valid with the request it was sent for."""
    return keyed(f"code:{request_id}", code)


def device_hash(cookie: str) -> str:
    return keyed("device", cookie) if cookie else ""


def visitor_hash(ip: str | None, user_agent: str, day: str) -> str:
    return keyed(f"visitor:{day}", f"{ip or ''}|{user_agent[:300]}")

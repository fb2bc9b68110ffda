"""ALTCHA proof-of-work challenges for any form that must slow robots down (the public
vote, sign-in after failures): issued signed and expiring, verified server-side.

Single use is the caller's business: :func:`verify` returns the challenge's digest, which
the vote stores as a primary key and sign-in spends with :func:`spend_once` in the cache.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from typing import Any

from altcha import ChallengeOptionsV1, create_challenge_v1, verify_solution_v1
from django.core.cache import cache
from django.utils import timezone


def issue(*, key: bytes, max_number: int, ttl: int) -> dict[str, Any]:
    """A fresh challenge for the browser (ALTCHA v1 JSON: algorithm, challenge,
    maxnumber, salt, signature), valid ``ttl`` seconds."""
    challenge = create_challenge_v1(
        ChallengeOptionsV1(
            algorithm="SHA-256",
            max_number=max_number,
            hmac_key=key,
            expires=timezone.now() + dt.timedelta(seconds=ttl),
        )
    )
    data = challenge.to_dict()
    data["maxnumber"] = data.pop("maxNumber")  # the widget's spelling
    return data


def verify(payload: str, *, key: bytes) -> str | None:
    """The digest identifying a correctly solved, unexpired challenge, else None.

    The signature is an HMAC over the salted challenge: one per issued challenge,
    whatever number or padding a replay sends along with it.
    """
    if not payload:
        return None
    try:
        ok, _error = verify_solution_v1(payload, key, check_expires=True)
        signature = json.loads(base64.b64decode(payload))["signature"] if ok else None
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    if not ok:
        return None
    return hashlib.sha256(str(signature).encode()).hexdigest()


def spend_once(scope: str, digest: str, *, ttl: int) -> bool:
    """Mark a solved challenge used in the shared cache; False when it already was
    (``cache.add`` is atomic on Redis)."""
    return bool(cache.add(f"pow:{scope}:{digest}", 1, timeout=ttl + 60))

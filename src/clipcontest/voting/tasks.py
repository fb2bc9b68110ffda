"""Housekeeping: forget expired codes and spent challenges (idempotent)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import challenge
from .models import VerificationCode


@db_periodic_task(crontab(minute="*/15"))
def purge_expired() -> None:
    now = timezone.now()
    challenge.purge(now=now)
    VerificationCode.objects.filter(expires_at__lt=now - dt.timedelta(hours=1)).delete()

"""Production settings: base plus HTTPS hardening that cannot be forgotten.

Use behind a TLS-terminating proxy: DJANGO_SETTINGS_MODULE=clipcontest.settings.production.
`clipcontest check --deploy` is clean with these settings (tested).
"""

import os

os.environ.setdefault("CLIPCONTEST_HTTPS", "1")
os.environ.setdefault("CLIPCONTEST_HSTS_PRELOAD", "1")

from .base import *  # noqa: F403

if not HTTPS:  # noqa: F405
    raise RuntimeError("clipcontest.settings.production requires CLIPCONTEST_HTTPS=1")
DEBUG = False

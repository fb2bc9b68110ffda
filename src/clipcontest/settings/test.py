"""Settings for the test suite: base settings with a throwaway data folder."""

import os
import tempfile

os.environ.setdefault("CLIPCONTEST_DATA_DIR", tempfile.mkdtemp(prefix="clipcontest-test-"))

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Assertions are written against the English source strings; the Vietnamese default
# is tested explicitly (tests/web/test_pages.py) and browsers ask for vi-VN.
LANGUAGE_CODE = "en"
HUEY = {**HUEY, "immediate": True}  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

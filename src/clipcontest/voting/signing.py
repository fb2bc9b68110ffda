"""The installation's log key: Ed25519, generated on first start in the data folder
(like the secret key), used to sign tree heads as C2SP signed notes.

Signing uses ``cryptography``; verifying needs only voting/ledger.py (pure Python).
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings

from . import ledger

KEY_FILE = "vote_log_ed25519"


@dataclass(frozen=True)
class LogKey:
    name: str
    private: Ed25519PrivateKey

    @property
    def public(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def verifier(self) -> str:
        """The key as verifiers and witnesses write it (NAME+KEYID+BASE64)."""
        return ledger.verifier_key(self.name, self.public)

    def sign(self, text: str) -> str:
        """``text`` (a note text ending in a newline) as a signed note."""
        blob = ledger.key_id(self.name, self.public) + self.private.sign(text.encode())
        return ledger.format_note(text, self.name, blob)


def key_name() -> str:
    """The key's name: the site's host and ``/clipcontest-votes`` (no spaces or +)."""
    host = urlsplit(settings.SITE_URL).netloc or "localhost"
    return f"{host}/clipcontest-votes".replace("+", "-")


def origin(contest_slug: str) -> str:
    """The checkpoint origin line of one contest's log."""
    host = urlsplit(settings.SITE_URL).netloc or "localhost"
    return f"{host}/contests/{contest_slug}/votes"


def _read_or_create(path: Path) -> bytes:
    if not path.exists():
        seed = Ed25519PrivateKey.generate().private_bytes_raw()
        # O_EXCL: two processes starting together must not both write a key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(base64.b64encode(seed).decode())
    return base64.b64decode(path.read_text().strip())


@lru_cache(maxsize=4)
def _load(path: str, name: str) -> LogKey:
    return LogKey(
        name=name, private=Ed25519PrivateKey.from_private_bytes(_read_or_create(Path(path)))
    )


def log_key() -> LogKey:
    """The installation's key (CLIPCONTEST_VOTE_LOG_KEY_FILE, or DATA_DIR/vote_log_ed25519)."""
    path = os.environ.get("CLIPCONTEST_VOTE_LOG_KEY_FILE") or str(
        Path(settings.DATA_DIR) / KEY_FILE
    )
    return _load(path, key_name())

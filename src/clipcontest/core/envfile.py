"""An optional environment file (``CLIPCONTEST_ENV_FILE``) read again on every reload.

The format is systemd's ``EnvironmentFile`` subset: ``NAME=value`` lines, blank lines
and ``#`` comments ignored, one pair of surrounding quotes stripped. Values in the file
win over the inherited environment, so ``kill -HUP`` after editing the file applies the
new configuration to the web workers and the queue worker (see docs/operations.md).
"""

from __future__ import annotations

import os
from pathlib import Path

VARIABLE = "CLIPCONTEST_ENV_FILE"


def parse_env_file(text: str) -> dict[str, str]:
    """``NAME=value`` lines to a dict; raises ValueError naming the first bad line."""
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        name = name.strip()
        if not sep or not name.replace("_", "").isalnum():
            raise ValueError(f"line {number}: expected NAME=value, got {raw!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name] = value
    return values


def read_env_file(path: str | None = None) -> dict[str, str]:
    """The variables of ``path`` (default: ``$CLIPCONTEST_ENV_FILE``); {} when unset."""
    path = os.environ.get(VARIABLE, "") if path is None else path
    if not path:
        return {}
    return parse_env_file(Path(path).read_text(encoding="utf-8"))

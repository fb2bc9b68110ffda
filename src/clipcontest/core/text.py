"""The one rule for text that people send us (pure, standard library only).

Every text field, query parameter and path parameter, on the web and in the API, goes
through :func:`problem` (directly, through the form fields and pydantic types in
``core/textfields.py``, or through ``core/boundary.py`` for whole requests):

- no control characters (Unicode category Cc: NUL, ESC, DEL, C1 controls); a field
  that holds several lines may contain tab, line feed and carriage return;
- no lone surrogates (they cannot be encoded and PostgreSQL refuses them);
- no bidirectional overrides or isolates (U+202A–U+202E, U+2066–U+2069) in names,
  titles and file names, where they can make ``exe.mp4`` read as ``4pm.exe``;
- a length limit, counted in code points;
- a title or a name must contain at least one visible character.

Upload file names are not refused but cleaned with :func:`clean_filename`.
"""

from __future__ import annotations

import enum
import unicodedata

BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
LINE_BREAKS = frozenset("\t\n\r")

# Default limits, in code points.
MAX_QUERY_VALUE = 1_000  # one query-string or path parameter
MAX_FIELD_VALUE = 100_000  # one form or JSON value without a narrower limit of its own
MAX_PATH = 2_000  # the whole decoded path
MAX_FILENAME = 255

_VISIBLE_CATEGORIES = ("L", "N", "P", "S")


class Problem(enum.Enum):
    """What is wrong with a piece of text (the first rule it breaks)."""

    CONTROL = "control"
    SURROGATE = "surrogate"
    BIDI = "bidi"
    TOO_LONG = "too_long"
    INVISIBLE = "invisible"


def _is_surrogate(char: str) -> bool:
    return 0xD800 <= ord(char) <= 0xDFFF


def problem(
    value: str,
    *,
    max_length: int,
    multiline: bool = False,
    name: bool = False,
    visible: bool = False,
) -> Problem | None:
    """The first rule ``value`` breaks, or None when it is acceptable.

    ``multiline`` allows tab, LF and CR; ``name`` refuses bidi controls (titles, names,
    file names); ``visible`` requires at least one letter, digit, punctuation mark or
    symbol (whitespace and invisible format characters alone do not count).
    """
    for char in value:
        if _is_surrogate(char):
            return Problem.SURROGATE
        if unicodedata.category(char) == "Cc" and not (multiline and char in LINE_BREAKS):
            return Problem.CONTROL
        if name and char in BIDI_CONTROLS:
            return Problem.BIDI
    if len(value) > max_length:
        return Problem.TOO_LONG
    if visible and not has_visible(value):
        return Problem.INVISIBLE
    return None


def has_visible(value: str) -> bool:
    """True when ``value`` holds a letter, digit, punctuation mark or symbol."""
    return any(
        unicodedata.category(c).startswith(_VISIBLE_CATEGORIES)
        for c in value
        if not _is_surrogate(c)
    )


def clean_filename(value: str, *, max_length: int = MAX_FILENAME) -> str:
    """A file name safe to store, show and log: NFC, only its last path component,
    without controls, lone surrogates or bidi controls, trimmed, at most
    ``max_length`` code points (the extension is kept when it has to be shortened)."""
    kept = "".join(
        c
        for c in value
        if not _is_surrogate(c) and unicodedata.category(c) != "Cc" and c not in BIDI_CONTROLS
    )
    kept = unicodedata.normalize("NFC", kept)
    kept = kept.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if kept in {".", ".."}:
        return ""
    if len(kept) <= max_length:
        return kept
    stem, dot, ext = kept.rpartition(".")
    if dot and stem and len(ext) < 16:
        return stem[: max_length - len(ext) - 1] + "." + ext
    return kept[:max_length]

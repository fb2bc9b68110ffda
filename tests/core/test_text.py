"""The text rule (core/text.py): pure functions, checked against examples and hypothesis."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clipcontest.core import text
from clipcontest.core.text import Problem


@pytest.mark.parametrize(
    ("value", "options", "expected"),
    [
        ("Chuyển đổi số", {"name": True, "visible": True}, None),
        ("a\x00b", {}, Problem.CONTROL),
        ("a\x1bb", {}, Problem.CONTROL),
        ("a\x85b", {}, Problem.CONTROL),
        ("a\x7fb", {}, Problem.CONTROL),
        ("a\nb", {}, Problem.CONTROL),
        ("a\n\tb\r", {"multiline": True}, None),
        ("a\x00b", {"multiline": True}, Problem.CONTROL),
        ("a\ud800b", {}, Problem.SURROGATE),
        ("a\u202eb", {"name": True}, Problem.BIDI),
        ("a\u2067b", {"name": True}, Problem.BIDI),
        ("a\u202eb", {}, None),
        ("x" * 21, {}, Problem.TOO_LONG),
        (" \u200b\u3000", {"visible": True}, Problem.INVISIBLE),
        ("\u0301", {"visible": True}, Problem.INVISIBLE),
        ("!", {"visible": True}, None),
    ],
)
def test_problem_examples(value, options, expected):
    assert text.problem(value, max_length=20, **options) == expected


@given(st.text(max_size=50))
def test_clean_filename_output_passes_the_name_rule(value):
    cleaned = text.clean_filename(value)

    assert text.problem(cleaned, max_length=text.MAX_FILENAME, name=True) is None
    assert "/" not in cleaned
    assert cleaned == unicodedata.normalize("NFC", cleaned)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc"]), max_size=40))
def test_problem_accepts_text_without_controls_or_bidi(value):
    value = "".join(c for c in value if c not in text.BIDI_CONTROLS)

    assert text.problem(value, max_length=40, name=True) is None


@given(st.integers(min_value=256, max_value=2000), st.sampled_from(["mp4", "mov", ""]))
def test_clean_filename_keeps_extension_when_shortening(length, ext):
    name = "v" * length + (f".{ext}" if ext else "")

    cleaned = text.clean_filename(name)

    assert len(cleaned) == 255
    assert cleaned.endswith(f".{ext}" if ext else "v")

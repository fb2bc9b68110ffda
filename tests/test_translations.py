"""The Vietnamese catalogue is complete, compiled, and used by Django."""

from __future__ import annotations

import ast
import gettext as gnu_gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

import clipcontest

LC_MESSAGES = Path(clipcontest.__file__).parent / "locale" / "vi" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[srd]")


@dataclass
class Entry:
    msgid: str = ""
    msgstr: str = ""
    flags: set[str] = field(default_factory=set)


def _read_po(path: Path) -> list[Entry]:
    """Parse the few .po features makemessages writes: flags, msgid, msgstr, continuations."""
    entries: list[Entry] = []
    current = Entry()
    key = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if key:
                entries.append(current)
            current, key = Entry(), ""
        elif line.startswith("#,"):
            current.flags |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue  # comments, previous msgids (#|) and obsolete entries (#~)
        elif line.startswith(("msgid ", "msgstr ")):
            key, _sep, value = line.partition(" ")
            setattr(current, key, ast.literal_eval(value))
        elif line.startswith('"') and key:
            setattr(current, key, getattr(current, key) + ast.literal_eval(line))
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    found = _read_po(LC_MESSAGES / "django.po")
    assert found[0].msgid == ""  # the header
    return found[1:]


def test_catalogue_header_declares_vietnamese() -> None:
    header = _read_po(LC_MESSAGES / "django.po")[0]
    assert "Language: vi\n" in header.msgstr
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header.msgstr
    assert "charset=UTF-8" in header.msgstr
    assert "fuzzy" not in header.flags


def test_catalogue_has_no_untranslated_entries(entries: list[Entry]) -> None:
    assert len(entries) > 100
    assert [e.msgid for e in entries if not e.msgstr.strip()] == []


def test_catalogue_has_no_fuzzy_entries(entries: list[Entry]) -> None:
    assert [e.msgid for e in entries if "fuzzy" in e.flags] == []


def test_catalogue_keeps_every_placeholder(entries: list[Entry]) -> None:
    broken = [
        e.msgid
        for e in entries
        if sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(e.msgstr))
    ]
    assert broken == []


def test_compiled_catalogue_matches_the_po_file(entries: list[Entry]) -> None:
    with (LC_MESSAGES / "django.mo").open("rb") as mo:
        compiled = gnu_gettext.GNUTranslations(mo)
    stale = [e.msgid for e in entries if compiled.gettext(e.msgid) != e.msgstr]
    assert stale == []


@pytest.mark.parametrize(
    ("english", "vietnamese"),
    [
        ("Sign in", "Đăng nhập"),
        ("Sign out", "Đăng xuất"),
        ("Audit log", "Nhật ký thay đổi"),
        ("Timeline", "Lịch trình"),
    ],
)
def test_gettext_returns_vietnamese(english: str, vietnamese: str) -> None:
    with translation.override("vi"):
        assert translation.gettext(english) == vietnamese


def test_gettext_fills_placeholders_in_vietnamese() -> None:
    with translation.override("vi"):
        assert translation.gettext("Edition %(n)s") % {"n": 2} == "Lần thứ 2"

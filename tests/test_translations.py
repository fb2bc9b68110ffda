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
    msgid_plural: str | None = None  # plural entries keep their one form (nplurals=1) in msgstr
    msgctxt: str | None = None  # pgettext / {% translate ... context ... %}


def _read_po(path: Path) -> list[Entry]:
    """Parse the few .po features makemessages writes: flags, msgid, msgstr, continuations.

    A plural entry (``msgid_plural`` with ``msgstr[0]``; Vietnamese has one form) is read
    into ``msgid_plural`` and ``msgstr``.
    """
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
        elif line.startswith(("msgctxt ", "msgid ", "msgstr ", "msgid_plural ", "msgstr[0] ")):
            key, _sep, value = line.partition(" ")
            key = "msgstr" if key == "msgstr[0]" else key
            setattr(current, key, ast.literal_eval(value))
        elif line.startswith("msgstr["):
            raise AssertionError(f"Vietnamese has one plural form, not {line!r}")
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
        for source in (e.msgid, e.msgid_plural)
        if source is not None
        and sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(e.msgstr))
    ]
    assert broken == []


def test_catalogue_has_the_plural_entries(entries: list[Entry]) -> None:
    plurals = [e for e in entries if e.msgid_plural is not None]
    assert plurals != []
    assert [e.msgid for e in plurals if not e.msgstr.strip()] == []


def test_compiled_catalogue_matches_the_po_file(entries: list[Entry]) -> None:
    with (LC_MESSAGES / "django.mo").open("rb") as mo:
        compiled = gnu_gettext.GNUTranslations(mo)
    stale = [
        e.msgid
        for e in entries
        if (
            compiled.ngettext(e.msgid, e.msgid_plural, 2)
            if e.msgid_plural is not None
            else compiled.pgettext(e.msgctxt, e.msgid)
            if e.msgctxt is not None
            else compiled.gettext(e.msgid)
        )
        != e.msgstr
    ]
    assert stale == []


@pytest.mark.parametrize(
    ("english", "vietnamese"),
    [
        ("Sign in", "Đăng nhập"),
        ("Sign out", "Đăng xuất"),
        ("Audit log", "Nhật ký thay đổi"),
        ("Timeline", "Lịch trình"),
        ("Screening", "Xét chọn"),
        ("Forward", "Gửi lên"),
        ("Shortlist", "Đề cử"),
        ("Gallery", "Tác phẩm dự thi"),
        ("Winners' library", "Thư viện tác phẩm đoạt giải"),
        ("Vote", "Bình chọn"),
        ("Download the vote ledger", "Tải sổ cái phiếu bình chọn"),
        ("Votes held for review", "Phiếu cần xem xét"),
        ("Pseudonym", "Bí danh"),
        ("Jury", "Ban Giám khảo"),
        ("Rubric", "Thang điểm"),
        ("Criterion", "Tiêu chí"),
        ("My scorecards", "Phiếu chấm của tôi"),
        ("Recuse myself", "Rút khỏi chấm"),
        ("blind judging", "chấm ẩn danh"),
        ("finalist", "vào chung khảo"),
        ("distinction", "danh hiệu"),
        ("CERTIFICATE", "GIẤY CHỨNG NHẬN"),
        ("Upload", "Tải lên"),
    ],
)
def test_gettext_returns_vietnamese(english: str, vietnamese: str) -> None:
    with translation.override("vi"):
        assert translation.gettext(english) == vietnamese


def test_gettext_fills_placeholders_in_vietnamese() -> None:
    with translation.override("vi"):
        assert translation.gettext("Edition %(n)s") % {"n": 2} == "Lần thứ 2"


@pytest.mark.parametrize("n", [1, 3])
def test_ngettext_uses_the_one_vietnamese_form(n: int) -> None:
    with translation.override("vi"):
        text = translation.ngettext("%(n)s vote", "%(n)s votes", n) % {"n": n}
    assert text == f"{n} phiếu bình chọn"

"""Every role walks the demo in a Vietnamese browser at phone and desktop widths.

For each demo role the crawl follows the links it is shown (breadth first, a bounded
number of pages) and fails on: an answer of 400 or more, a console error, a page wider
than the screen at 360 px or 1,366 px, or a sentence of the English catalogue left
untranslated on screen.
"""

from __future__ import annotations

import gettext as gnu_gettext
import re
from collections import Counter, deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import Browser, Page

import clipcontest
from clipcontest.demo.loader import DEMO_PASSWORD, load_demo

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROLES = [
    None,
    "bantochuc",
    "dieuphoi.tunghia",
    "dieuphoi.nghiadien",
    "giamkhao1",
    "to.nghiadien",
    "to.tunghia",
    "admin",
]
MAX_PAGES = 22
PER_PATTERN = 2  # pages of one shape (an entry, a unit) visited per role
ID = re.compile(r"/(?:[0-9a-f]{8}-[0-9a-f-]{27}|\d+|[\w.-]*\d[\w.-]*)/")
WIDTHS = (360, 1366)
SKIP_PARTS = ("/logout", "/i18n/", "/api/", "/media/", "/static/", "/uploads/", "/s/")
SKIP_ENDINGS = (".csv", ".xlsx", ".zip", ".pdf", ".jsonl", ".json", ".mp4", ".m3u8", ".vtt")
SKIP_ENDINGS += (".xml", ".atom", ".py", ".txt", ".ico", ".png", ".svg", ".jpg")

CATALOGUE = Path(clipcontest.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "django.mo"


def _english_sentences() -> list[str]:
    """Catalogue sentences whose Vietnamese differs: seen on a vi page, they leaked."""
    with CATALOGUE.open("rb") as mo:
        catalog = gnu_gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    out = []
    for key, value in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if (
            isinstance(msgid, str)
            and len(msgid) >= 16
            and msgid.count(" ") >= 2
            and "%" not in msgid
            and "{" not in msgid
            and msgid != value
        ):
            out.append(msgid)
    return out


def _wanted(base: str, href: str) -> str | None:
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.netloc != urlsplit(base).netloc or not parts.path.startswith("/"):
        return None
    path = parts.path
    if any(p in path for p in SKIP_PARTS) or path.endswith(SKIP_ENDINGS):
        return None
    return path + (f"?{parts.query}" if parts.query and "page=" not in parts.query else "")


def _pattern(path: str) -> str:
    """The page's shape: ids and codes replaced, so one kind of page is not crawled 50 times."""
    return ID.sub("/<id>/", path.split("?")[0])


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_load_state()


def _crawl(browser: Browser, base: str, username: str | None, english: list[str]) -> list[str]:
    context = browser.new_context(locale="vi-VN", viewport={"width": WIDTHS[0], "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems: list[str] = []
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    who = username or "anonymous"
    if username:
        _sign_in(page, base, username)
    queue: deque[str] = deque(["/", "/me/"] if username else ["/"])
    seen: set[str] = set(queue)
    shapes: Counter[str] = Counter()
    visited = 0
    while queue and visited < MAX_PAGES:
        path = queue.popleft()
        visited += 1
        page.set_viewport_size({"width": WIDTHS[0], "height": 800})
        errors.clear()
        response = page.goto(base + path)
        status = response.status if response is not None else 0
        if status >= 400:
            problems.append(f"{who} {path}: HTTP {status}")
            continue
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            extra = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if extra > 1:
                problems.append(f"{who} {path}: {extra}px wider than the screen at {width}px")
        if errors:
            problems.append(f"{who} {path}: console errors {errors[:3]}")
        text = page.inner_text("body")
        leaked = [s for s in english if s in text]
        if leaked:
            problems.append(f"{who} {path}: untranslated {leaked[:3]}")
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            wanted = _wanted(base + path, href)
            if wanted and wanted not in seen and shapes[_pattern(wanted)] < PER_PATTERN:
                seen.add(wanted)
                shapes[_pattern(wanted)] += 1
                queue.append(wanted)
    context.close()
    return problems


@pytest.mark.django_db(transaction=True)
def test_every_role_crawls_the_demo_without_errors_overflow_or_english(live_server, browser):
    load_demo()
    english = _english_sentences()
    problems = []
    for username in ROLES:
        problems += _crawl(browser, live_server.url, username, english)
    assert problems == [], "\n".join(problems)

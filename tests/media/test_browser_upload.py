"""The browser uploader in Chromium: the connection is cut halfway and the upload resumes."""

from __future__ import annotations

import json

import pytest

from tests.media.fixtures import sha256
from tests.media.live import Site, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.browser]

STATE = """
import django, json
django.setup()
from clipcontest.media.models import Upload
print(json.dumps([[u.status, u.sha256, u.offset] for u in Upload.objects.order_by("created_at")]))
"""


@pytest.fixture
def site(tmp_path):
    site = Site(tmp_path / "site")
    site.folder.mkdir()
    seeded = site.seed()
    site.start_server()
    site.start_worker()
    yield site, seeded
    site.stop()


@pytest.fixture
def chromium_page(browser):
    """A page of the session's Chromium (tests/conftest.py), in English."""
    # These tests poll the page with JavaScript expressions, which the strict CSP would
    # refuse to eval; CSP itself is tested in tests/browser/test_csp.py.
    context = browser.new_context(locale="en-US", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def test_browser_upload_survives_cut_connection(site, chromium_page, make_clip):
    live, seeded = site
    page = chromium_page
    clip = make_clip(size="640x480", seconds=3)
    page.goto(f"{live.url}/login/")
    page.fill("input[name=username]", "member")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.get_by_test_id("login-submit").click()
    page.goto(f"{live.url}/entries/{seeded['entry']}/video/")
    page.evaluate("document.getElementById('uploader').dataset.chunkSize = '65536'")
    patches = {"ok": 0, "cut": 0}

    def cut_after_half(route):
        if route.request.method != "PATCH":
            route.continue_()
        elif patches["ok"] * 65536 >= clip.stat().st_size // 2:
            patches["cut"] += 1
            route.abort("connectionreset")
        else:
            patches["ok"] += 1
            route.continue_()

    page.route("**/uploads/tus/*", cut_after_half)
    page.set_input_files("[data-testid=video-file]", str(clip))
    page.get_by_test_id("upload-start").click()
    page.wait_for_function(
        "document.getElementById('upload-status').textContent"
        " === document.getElementById('uploader').dataset.msgRetry"
    )
    offset_when_cut = int(page.get_attribute("#uploader", "data-offset"))
    page.unroute("**/uploads/tus/*")
    page.wait_for_function(
        "['ready', 'uploaded'].includes(document.getElementById('uploader').dataset.state)"
    )

    uploads = wait_for(
        lambda: (
            (u := json.loads(live.python(STATE).strip().splitlines()[-1]))
            and u[-1][0] == "accepted"
            and u
        ),
        timeout=60,
        every=0.2,
    )
    assert patches["cut"] >= 1
    assert clip.stat().st_size // 2 <= offset_when_cut < clip.stat().st_size
    assert len(uploads) == 1
    assert uploads[0][1] == sha256(clip)

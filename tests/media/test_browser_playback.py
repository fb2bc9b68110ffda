"""The player in Chromium: adaptive HLS through the vendored hls.js, MP4 otherwise."""

from __future__ import annotations

import json

import pytest

from tests.media.live import Site

pytestmark = [pytest.mark.slow, pytest.mark.browser]

IMPORT = """
import django, json
django.setup()
from pathlib import Path
from clipcontest.accounts.models import User
from clipcontest.entries.models import Entry
from clipcontest.media.domain import import_video, transcode_video
entry = Entry.objects.get(public_id="{entry}")
video = import_video(entry=entry, path=Path("{clip}"), by=User.objects.get(username="member"))
video = transcode_video(video_id=video.pk)
print(json.dumps({{"video": str(video.pk), "status": video.status}}))
"""


@pytest.fixture(scope="module")
def site_with_clip(tmp_path_factory, make_clip):
    site = Site(tmp_path_factory.mktemp("playback") / "site")
    site.folder.mkdir()
    seeded = site.seed()
    clip = make_clip(size="640x360", seconds=8)
    imported = json.loads(
        site.python(IMPORT.format(entry=seeded["entry"], clip=clip)).strip().splitlines()[-1]
    )
    site.start_server()
    yield site, seeded["entry"], imported
    site.stop()


@pytest.fixture
def member_page(browser, site_with_clip):
    site, _entry, _video = site_with_clip
    # These tests poll the page with JavaScript expressions, which the strict CSP would
    # refuse to eval; CSP itself is tested in tests/browser/test_csp.py.
    context = browser.new_context(locale="en-US", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{site.url}/login/")
    page.fill("input[name=username]", "member")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    yield page
    context.close()


#: a browser without native HLS (Firefox, older Chrome): the player must bring hls.js
NO_NATIVE_HLS = """
const canPlay = HTMLMediaElement.prototype.canPlayType;
HTMLMediaElement.prototype.canPlayType = function (type) {
  return /mpegurl/i.test(type) ? "" : canPlay.call(this, type);
};
"""


@pytest.mark.parametrize("native", [True, False], ids=["native-hls", "hls.js"])
def test_player_streams_hls_segments_after_play(site_with_clip, member_page, native):
    site, entry, imported = site_with_clip
    page = member_page
    if not native:
        page.add_init_script(NO_NATIVE_HLS)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site.url}/entries/{entry}/")
    before_play = list(requested)

    page.get_by_test_id("player").click(position={"x": 5, "y": 5})
    page.evaluate("document.getElementById('entry-video').play()")
    page.wait_for_function("document.getElementById('entry-video').currentTime > 1.5")

    native_here = page.evaluate(
        "!!document.createElement('video').canPlayType('application/vnd.apple.mpegurl')"
    )
    stream = page.get_attribute("#entry-video", "data-stream")
    assert imported["status"] == "ready"
    assert stream == ("native" if native_here else "hls.js")
    assert native_here or not native  # this Chromium plays HLS itself
    assert not any("hls.light" in url for url in before_play)
    if stream == "hls.js":  # a native player may preload despite preload="none"
        assert not any(".m4s" in url for url in before_play)
    segments = [url for url in requested if url.endswith(".m4s")]
    assert segments
    assert all(f"/video/{imported['video']}/hls/" in url for url in segments)
    if stream == "hls.js":
        assert any("hls.light" in url for url in requested)
        assert not any(
            url.endswith(("240p.mp4", "360p.mp4")) for url in requested[len(before_play) :]
        )


def test_player_quality_menu_switches_to_chosen_rendition(site_with_clip, member_page):
    site, entry, _imported = site_with_clip
    page = member_page
    page.goto(f"{site.url}/entries/{entry}/")

    page.select_option("[data-testid=rendition-choice]", "240p")
    page.evaluate("document.getElementById('entry-video').play()")
    page.wait_for_function("document.getElementById('entry-video').currentTime > 0.5")

    assert page.get_attribute("#entry-video", "data-rendition") == "240p"

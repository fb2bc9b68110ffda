"""Hostile uploads: each is refused, FFmpeg never reaches the network or other files."""

from __future__ import annotations

import http.server
import threading

import pytest

from clipcontest.media.enums import UploadStatus
from clipcontest.media.ffmpeg import Limits, run, safe_input
from clipcontest.media.probe import ProbeRefused, probe
from tests.media.fixtures import upload_file
from tests.media.hostile import corpus

pytestmark = pytest.mark.slow


@pytest.fixture
def canary():
    """A loopback HTTP server that counts every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"#EXTM3U\n")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/canary.ts", hits
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def files(tmp_path, make_clip, canary):
    clip = make_clip(size="160x120")
    fast = make_clip(size="160x120", faststart=True)
    return corpus(tmp_path, clip, fast, canary[0])


EXPECTED = {
    "text.mp4": "This is a text file, not a video.",
    "polyglot.mp4": "The file contains web page markup; only plain videos are accepted.",
    "html-then-video.mp4": "The file contains web page markup; only plain videos are accepted.",
    "hls-passwd.mp4": "This is a playlist or a list of files, not a video.",
    "hls-canary.mp4": "This is a playlist or a list of files, not a video.",
    "ffconcat.mp4": "This is a playlist or a list of files, not a video.",
    "truncated.mp4": "The file is incomplete or damaged; please upload it again.",
    "truncated-moov-last.mp4": "This is not a video we can read, or the file is incomplete "
    "or damaged.",
    # FFmpeg (-max_pixels) drops sizes this absurd; the stream is left without one.
    "pixel-flood.mkv": "The picture size is missing or not a real video size.",
    "pixel-flood-16k.mkv": "The picture size is missing or not a real video size.",
    "empty.mp4": "The file is empty.",
    "random.mp4": "This is not a video we can read, or the file is incomplete or damaged.",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_refused_with_reason(files, canary, name):
    with pytest.raises(ProbeRefused) as refused:
        probe(files[name])

    assert refused.value.messages == [EXPECTED[name]]
    assert canary[1] == []


@pytest.mark.parametrize("name", ["hls-passwd.mp4", "hls-canary.mp4", "ffconcat.mp4"])
def test_ffmpeg_itself_refuses_playlists_without_sniffing(files, canary, name):
    """Defence in depth: even past the sniff, FFmpeg's whitelists stop the playlist."""
    done = run(
        [*safe_input(str(files[name])), "-f", "null", "-"], Limits(seconds=20, memory_mb=1024)
    )

    assert done.returncode != 0
    assert "root:" not in done.stderr
    assert canary[1] == []


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - {"empty.mp4"}))
def test_hostile_upload_refused_and_bytes_removed(world, draft, files, canary, name):
    from clipcontest.media import spool
    from clipcontest.media.domain import finish_upload
    from clipcontest.media.models import Upload, Video

    upload = upload_file(draft, world.member_a, files[name])

    finish_upload(upload_id=upload.pk)

    upload = Upload.objects.get(pk=upload.pk)
    assert upload.status == UploadStatus.REFUSED
    assert upload.refusal == EXPECTED[name]
    assert "root:" not in upload.refusal
    assert not spool.path_for(upload.pk).exists()
    assert Video.objects.count() == 0
    assert canary[1] == []


@pytest.mark.parametrize(
    ("width", "height", "message"),
    [
        (8200, 100, "The picture size 8200×100 is not a real video size."),
        (7000, 7000, "The picture size 7000×7000 is not a real video size."),
        (8, 8, "The picture is too small to be a video."),
    ],
)
def test_check_sanity_refuses_absurd_sizes(width, height, message):
    from clipcontest.media.probe import ProbeResult, check_sanity

    result = ProbeResult(
        container="matroska,webm",
        video_codec="h264",
        audio_codec="",
        width=width,
        height=height,
        fps=25,
        duration=2,
        bitrate_kbps=None,
    )

    with pytest.raises(ProbeRefused) as refused:
        check_sanity(result)

    assert refused.value.messages == [message]

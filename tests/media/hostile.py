"""Builders for the hostile-file corpus."""

from __future__ import annotations

import struct
from pathlib import Path


def _vint_size(n: int) -> bytes:
    return b"\x01" + n.to_bytes(7, "big")


def _el(element_id: int, payload: bytes) -> bytes:
    ident = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    return ident + _vint_size(len(payload)) + payload


def _uint(element_id: int, value: int) -> bytes:
    return _el(element_id, value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big"))


def matroska_with_size(width: int, height: int) -> bytes:
    """A minimal Matroska file whose one video track claims ``width``×``height``."""
    header = _el(
        0x1A45DFA3,
        _uint(0x4286, 1)
        + _uint(0x42F7, 1)
        + _uint(0x42F2, 4)
        + _uint(0x42F3, 8)
        + _el(0x4282, b"matroska")
        + _uint(0x4287, 4)
        + _uint(0x4285, 2),
    )
    info = _el(0x1549A966, _uint(0x2AD7B1, 1_000_000) + _el(0x4489, struct.pack(">d", 2000.0)))
    video = _el(0xE0, _uint(0xB0, width) + _uint(0xBA, height))
    track = _el(
        0xAE, _uint(0xD7, 1) + _uint(0x73C5, 1) + _uint(0x83, 1) + _el(0x86, b"V_MJPEG") + video
    )
    block = _el(0xA3, b"\x81\x00\x00\x80" + b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    cluster = _el(0x1F43B675, _uint(0xE7, 0) + block)
    return header + _el(0x18538067, info + _el(0x1654AE6B, track) + cluster)


def polyglot(clip: Path) -> bytes:
    """The clip with an HTML page in a ``free`` box right after ``ftyp``."""
    data = clip.read_bytes()
    ftyp = int.from_bytes(data[:4], "big")
    html = b"<html><body><script>alert(document.cookie)</script></body></html>"
    return data[:ftyp] + (8 + len(html)).to_bytes(4, "big") + b"free" + html + data[ftyp:]


def corpus(folder: Path, clip: Path, faststart_clip: Path, canary: str) -> dict[str, Path]:
    files = {
        "text.mp4": b"Hello, this is not a video at all.\n" * 20,
        "polyglot.mp4": polyglot(clip),
        "html-then-video.mp4": b"<!DOCTYPE html><html><body>hi</body></html>\n" + clip.read_bytes(),
        "hls-passwd.mp4": b"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n"
        b"file:///etc/passwd\n#EXT-X-ENDLIST\n",
        "hls-canary.mp4": b"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n"
        + canary.encode()
        + b"\n#EXT-X-ENDLIST\n",
        "ffconcat.mp4": b"ffconcat version 1.0\nfile /etc/passwd\nfile " + canary.encode() + b"\n",
        "truncated.mp4": faststart_clip.read_bytes()[: faststart_clip.stat().st_size * 6 // 10],
        "truncated-moov-last.mp4": clip.read_bytes()[: clip.stat().st_size // 2],
        "pixel-flood.mkv": matroska_with_size(100_000, 100_000),
        "pixel-flood-16k.mkv": matroska_with_size(16_000, 16_000),
        "empty.mp4": b"",
        "random.mp4": bytes((i * 7919 + 13) % 251 for i in range(50_000)),
    }
    paths = {}
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths[name] = path
    return paths

"""Settings of the video pipeline, read from Django settings or the environment.

Every name is documented in docs/video-pipeline.md.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from clipcontest.core.config import env_bool, env_int, env_str


def _get(name: str, default: object) -> object:
    return getattr(settings, name, default)


def spool_dir() -> Path:
    """Local folder for partial uploads (same file system as local media: moves are free)."""
    configured = _get("CLIPCONTEST_UPLOAD_SPOOL", None) or env_str("CLIPCONTEST_UPLOAD_SPOOL")
    path = Path(str(configured)) if configured else Path(settings.DATA_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def work_dir() -> Path:
    configured = _get("CLIPCONTEST_TRANSCODE_DIR", None) or env_str("CLIPCONTEST_TRANSCODE_DIR")
    path = Path(str(configured)) if configured else Path(settings.DATA_DIR) / "transcode"
    path.mkdir(parents=True, exist_ok=True)
    return path


def upload_expiry_hours() -> int:
    return int(
        _get("CLIPCONTEST_UPLOAD_EXPIRY_HOURS", env_int("CLIPCONTEST_UPLOAD_EXPIRY_HOURS", 24))
    )  # type: ignore[call-overload]


def tus_max_size() -> int:
    """Largest upload any contest may accept (bytes); each contest may set less."""
    mb = _get("CLIPCONTEST_TUS_MAX_MB", env_int("CLIPCONTEST_TUS_MAX_MB", 20480))
    return int(mb) * 1024 * 1024  # type: ignore[call-overload]


def probe_timeout() -> int:
    return int(_get("CLIPCONTEST_PROBE_TIMEOUT", env_int("CLIPCONTEST_PROBE_TIMEOUT", 30)))  # type: ignore[call-overload]


def transcode_timeout() -> int:
    return int(
        _get(
            "CLIPCONTEST_TRANSCODE_TIMEOUT",  # type: ignore[call-overload]
            env_int("CLIPCONTEST_TRANSCODE_TIMEOUT", 4 * 3600),
        )
    )


def ffmpeg_memory_mb() -> int:
    return int(
        _get(
            "CLIPCONTEST_FFMPEG_MEMORY_MB",  # type: ignore[call-overload]
            env_int("CLIPCONTEST_FFMPEG_MEMORY_MB", 3072),
        )
    )


def transcode_attempts() -> int:
    return int(
        _get(
            "CLIPCONTEST_TRANSCODE_ATTEMPTS",  # type: ignore[call-overload]
            env_int("CLIPCONTEST_TRANSCODE_ATTEMPTS", 3),
        )
    )


def preview_mode() -> str:
    """How a clip becomes playable before its ladder is done.

    ``remux`` (default): an H.264/AAC MP4 source is copied, without re-encoding, into a
    fast-start MP4 published at once (nearly free); ``encode``: the lowest rendition is
    encoded alone first (costs one more decode of the source); ``off``: nothing until
    the one-pass ladder is done.
    """
    value = str(_get("CLIPCONTEST_PREVIEW", env_str("CLIPCONTEST_PREVIEW", "remux")))
    return value if value in ("remux", "encode", "off") else "remux"


def preview_first() -> bool:
    return preview_mode() == "encode"


def x264_preset() -> str:
    return str(_get("CLIPCONTEST_X264_PRESET", env_str("CLIPCONTEST_X264_PRESET", "veryfast")))


def hls_enabled() -> bool:
    """Also write HLS (CMAF) variants from the same encode as the MP4s (default on)."""
    return bool(_get("CLIPCONTEST_HLS", env_bool("CLIPCONTEST_HLS", True)))

"""Files given as answers: PDF or image, recognised by their first bytes (the name and
the browser's content type are not trusted), stored through Django's storage API."""

from __future__ import annotations

import uuid

MAX_FILE_BYTES = 10 * 1024 * 1024
EXTENSIONS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "image/gif": "gif",
}


def sniff(head: bytes) -> str | None:
    """The content type of a file from its first bytes, or None when it is not a PDF
    or an image this platform accepts."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    return None


def storage_name(entry_public_id: object, content_type: str) -> str:
    """Where an answer's file goes: a random name, never the uploader's."""
    return f"answers/{entry_public_id}/{uuid.uuid4().hex}.{EXTENSIONS[content_type]}"

"""Upload file names are cleaned before they are stored or logged: no control
characters, no bidi overrides that make ``exe.mp4`` look like ``4pm.exe``."""

from __future__ import annotations

import base64

import pytest

from clipcontest.audit.models import AuditEvent
from clipcontest.media.models import Upload
from clipcontest.media.tus import upload_token


def _meta(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("clip\u202e4pm.exe", "clip4pm.exe"),
        ("cl\x00ip\x1b.mp4", "clip.mp4"),
        ("a\u2066b\u2069.mp4", "ab.mp4"),
        ("../../etc/\u202epasswd", "passwd"),
        ("x" * 300 + ".mp4", "x" * 251 + ".mp4"),
    ],
)
def test_tus_filename_cleaned_before_storing_and_logging(client, world, draft, sent, stored):
    token = upload_token(entry=draft, user=world.member_a)
    response = client.post(
        "/uploads/tus/",
        headers={
            "Tus-Resumable": "1.0.0",
            "Authorization": f"Bearer {token}",
            "Upload-Length": "10",
            "Upload-Metadata": _meta(entry=str(draft.public_id), filename=sent),
        },
    )

    assert response.status_code == 201
    assert Upload.objects.get().filename == stored
    event = AuditEvent.objects.get(action="upload.created")
    assert event.after["filename"] == stored

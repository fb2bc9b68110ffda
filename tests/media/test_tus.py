"""The tus 1.0.0 endpoint through Django's test client (no FFmpeg involved)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from clipcontest.media import spool
from clipcontest.media.enums import UploadStatus
from clipcontest.media.models import Upload
from clipcontest.media.tus import upload_token
from clipcontest.media.uploads import expire_uploads

TUS = {"Tus-Resumable": "1.0.0", "Accept-Language": "en"}
ENDPOINT = "/uploads/tus/"


def _meta(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


@pytest.fixture
def auth(world, draft):
    return {**TUS, "Authorization": f"Bearer {upload_token(entry=draft, user=world.member_a)}"}


def _create(client, draft, headers, length=10, **meta):
    return client.post(
        ENDPOINT,
        headers={
            **headers,
            "Upload-Length": str(length),
            "Upload-Metadata": _meta(entry=str(draft.public_id), filename="clip.mp4", **meta),
        },
    )


def _patch(client, url, body, offset, headers, **extra):
    return client.generic(
        "PATCH",
        url,
        data=body,
        content_type="application/offset+octet-stream",
        headers={**headers, "Upload-Offset": str(offset), **extra},
    )


def test_options_announces_extensions(client):
    response = client.options(ENDPOINT)

    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert response["Tus-Extension"] == "creation,checksum,termination,expiration"
    assert response["Tus-Checksum-Algorithm"] == "sha1,sha256"


def test_create_returns_location_and_empty_spool(client, draft, auth):
    response = _create(client, draft, auth, length=10)

    assert response.status_code == 201
    upload = Upload.objects.get()
    assert response["Location"] == f"http://testserver/uploads/tus/{upload.pk}"
    assert (upload.length, upload.offset, upload.filename) == (10, 0, "clip.mp4")
    assert spool.path_for(upload.pk).stat().st_size == 0


def test_create_refused_without_tus_version(client, draft, auth):
    response = _create(client, draft, {**auth, "Tus-Resumable": "0.2.2"})

    assert response.status_code == 412


def test_create_refused_over_contest_size(client, draft, auth):
    draft.contest.max_video_mb = 1
    draft.contest.save()

    response = _create(client, draft, auth, length=1024 * 1024 + 1)

    assert response.status_code == 413


def test_create_refused_without_credentials(client, draft):
    response = _create(client, draft, TUS)

    assert response.status_code == 403


def test_create_refused_for_session_from_another_origin(client, world, draft):
    client.force_login(world.member_a)

    response = _create(client, draft, {**TUS, "Origin": "http://evil.example"})

    assert response.status_code == 403


def test_create_with_session_and_same_origin(client, world, draft):
    client.force_login(world.member_a)

    response = _create(client, draft, {**TUS, "Origin": "http://testserver"})

    assert response.status_code == 201


@pytest.mark.parametrize("who", ["outsider", "coord_a", "juror"])
def test_create_refused_for_others(client, world, draft, who):
    client.force_login(world.user(who))

    response = _create(client, draft, {**TUS, "Origin": "http://testserver"})

    assert response.status_code == 404


def test_token_for_another_entry_refused(client, world, draft, open_contest):
    from clipcontest.entries.domain import AuthorInput, create_entry

    other = create_entry(
        contest=open_contest,
        team=world.team_a,
        by=world.member_a,
        title="Other",
        authors=[AuthorInput("A")],
    )
    token = upload_token(entry=other, user=world.member_a)

    response = _create(client, draft, {**TUS, "Authorization": f"Bearer {token}"})

    assert response.status_code == 404


def test_patch_appends_and_head_reports_offset(client, draft, auth):
    url = _create(client, draft, auth, length=10)["Location"]

    first = _patch(client, url, b"01234", 0, auth)
    head = client.head(url, headers=auth)

    assert (first.status_code, first["Upload-Offset"]) == (204, "5")
    assert (head.status_code, head["Upload-Offset"], head["Upload-Length"]) == (200, "5", "10")
    assert head["Cache-Control"] == "no-store"


def test_patch_with_wrong_offset_conflicts(client, draft, auth):
    url = _create(client, draft, auth, length=10)["Location"]
    _patch(client, url, b"01234", 0, auth)

    response = _patch(client, url, b"56789", 3, auth)

    assert response.status_code == 409
    assert Upload.objects.get().offset == 5


@pytest.mark.parametrize("algorithm", ["sha1", "sha256"])
def test_patch_with_good_checksum_is_stored(client, draft, auth, algorithm):
    url = _create(client, draft, auth, length=10)["Location"]
    digest = base64.b64encode(hashlib.new(algorithm, b"01234").digest()).decode()

    response = _patch(
        client, url, b"01234", 0, auth, **{"Upload-Checksum": f"{algorithm} {digest}"}
    )

    assert response.status_code == 204
    assert Upload.objects.get().offset == 5


@pytest.mark.parametrize("algorithm", ["sha1", "sha256"])
def test_patch_with_bad_checksum_is_refused_460_and_nothing_appended(
    client, draft, auth, algorithm
):
    url = _create(client, draft, auth, length=10)["Location"]
    _patch(client, url, b"01234", 0, auth)
    digest = base64.b64encode(hashlib.new(algorithm, b"56789").digest()).decode()

    response = _patch(
        client, url, b"5678X", 5, auth, **{"Upload-Checksum": f"{algorithm} {digest}"}
    )

    upload = Upload.objects.get()
    assert response.status_code == 460
    assert upload.offset == 5
    assert spool.path_for(upload.pk).read_bytes() == b"01234"


def test_patch_with_unknown_checksum_algorithm_is_400(client, draft, auth):
    url = _create(client, draft, auth, length=10)["Location"]

    response = _patch(client, url, b"01234", 0, auth, **{"Upload-Checksum": "md5 AAAA"})

    assert response.status_code == 400


def test_patch_with_wrong_content_type_is_415(client, draft, auth):
    url = _create(client, draft, auth, length=10)["Location"]

    response = client.generic(
        "PATCH",
        url,
        data=b"01234",
        content_type="text/plain",
        headers={**auth, "Upload-Offset": "0"},
    )

    assert response.status_code == 415


def test_patch_past_length_is_400(client, draft, auth):
    url = _create(client, draft, auth, length=4)["Location"]

    response = _patch(client, url, b"01234", 0, auth)

    assert response.status_code == 400
    assert Upload.objects.get().offset == 0


def test_patch_by_another_user_is_404(client, world, draft, auth):
    url = _create(client, draft, auth, length=10)["Location"]
    from tests.factories import add_member

    add_member(world.team_a, world.outsider)
    client.force_login(world.outsider)

    response = _patch(client, url, b"01234", 0, {**TUS, "Origin": "http://testserver"})

    assert response.status_code == 404


def test_last_patch_marks_upload_for_verification(
    client, draft, auth, django_capture_on_commit_callbacks
):
    url = _create(client, draft, auth, length=10)["Location"]
    _patch(client, url, b"01234", 0, auth)

    with django_capture_on_commit_callbacks(execute=True):
        response = _patch(client, url, b"56789", 5, auth)

    upload = Upload.objects.get()
    assert response.status_code == 204
    # Ten bytes of digits are no video: verified, then refused with the reason kept.
    assert upload.status == UploadStatus.REFUSED
    assert upload.refusal == "This is a text file, not a video."
    assert not spool.path_for(upload.pk).exists()


def test_delete_terminates_and_removes_bytes(
    client, draft, auth, django_capture_on_commit_callbacks
):
    url = _create(client, draft, auth, length=10)["Location"]
    _patch(client, url, b"01234", 0, auth)
    upload = Upload.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(url, headers=auth)

    assert response.status_code == 204
    assert Upload.objects.count() == 0
    assert not spool.path_for(upload.pk).exists()
    assert client.head(url, headers=auth).status_code == 404


def test_expired_upload_is_gone_and_swept(client, draft, auth):
    url = _create(client, draft, auth, length=10)["Location"]
    _patch(client, url, b"01234", 0, auth)
    upload = Upload.objects.get()
    Upload.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    refused = _patch(client, url, b"56789", 5, auth)
    head = client.head(url, headers=auth)
    removed = expire_uploads()

    assert (refused.status_code, head.status_code) == (410, 410)
    assert removed == 1
    assert Upload.objects.count() == 0
    assert not spool.path_for(upload.pk).exists()


def test_expire_uploads_keeps_live_uploads(client, draft, auth):
    _create(client, draft, auth, length=10)

    assert expire_uploads() == 0
    assert Upload.objects.count() == 1


def test_create_refused_for_submitted_entry_400(client, draft, auth):
    from clipcontest.entries.enums import EntryStatus

    draft.status = EntryStatus.SUBMITTED
    draft.save()

    response = _create(client, draft, auth)

    assert response.status_code == 400
    assert response.content.decode() == "Only a draft entry can receive a new video."


def test_last_patch_keeps_sha256_hashed_while_receiving(client, draft, auth):
    body = bytes(range(256)) * 5000
    url = _create(client, draft, auth, length=len(body))["Location"]
    _patch(client, url, body[:300_000], 0, auth)
    _patch(client, url, body[300_000:700_000], 300_000, auth)

    response = _patch(client, url, body[700_000:], 700_000, auth)

    upload = Upload.objects.get()
    assert response.status_code == 204
    assert upload.status == UploadStatus.VERIFYING
    assert upload.sha256 == hashlib.sha256(body).hexdigest()
    assert spool.path_for(upload.pk).read_bytes() == body


def test_bad_checksum_chunk_leaves_running_sha256_intact(client, draft, auth):
    body = b"abcdefghij" * 30_000
    url = _create(client, draft, auth, length=len(body))["Location"]
    _patch(client, url, body[:100_000], 0, auth)
    wrong = "sha256 " + base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    refused = _patch(client, url, body[100_000:], 100_000, auth, **{"Upload-Checksum": wrong})
    good = "sha256 " + base64.b64encode(hashlib.sha256(body[100_000:]).digest()).decode()

    response = _patch(client, url, body[100_000:], 100_000, auth, **{"Upload-Checksum": good})

    assert (refused.status_code, response.status_code) == (460, 204)
    assert Upload.objects.get().sha256 == hashlib.sha256(body).hexdigest()


def test_patch_resumed_in_another_process_leaves_hashing_to_verification(client, draft, auth):
    from clipcontest.media import uploads

    body = b"0123456789" * 40_000
    url = _create(client, draft, auth, length=len(body))["Location"]
    _patch(client, url, body[:150_000], 0, auth)
    uploads._running.drop(Upload.objects.get().pk)  # as if this process had restarted

    response = _patch(client, url, body[150_000:], 150_000, auth)

    upload = Upload.objects.get()
    assert (response.status_code, upload.status, upload.sha256) == (
        204,
        UploadStatus.VERIFYING,
        "",
    )

"""Entries through the JSON API: the same permissions, domain functions and messages as
the entry pages."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clipcontest.accounts.domain import create_api_token
from clipcontest.audit.models import AuditEvent
from clipcontest.contests.enums import PhaseKind
from clipcontest.contests.models import Phase
from clipcontest.entries.domain import AuthorInput, create_entry
from clipcontest.entries.enums import EntryStatus
from clipcontest.entries.models import Author, Entry
from clipcontest.media import uploads
from clipcontest.media.enums import VideoStatus
from clipcontest.media.models import Upload
from tests.factories import add_video

API = "/api/v1/entries"
JSON = "application/json"
ROLES = [
    "anonymous",
    "outsider",
    "member_a",
    "coord_a",
    "coord_commune_a",
    "coord_b",
    "organizer",
    "juror",
    "admin",
]
# An unpublished entry of team A: hidden from those who may not see it (404), refused to
# those who see it but may not change it (403), 401 for visitors on signed-in endpoints.
VIEW = {
    "anonymous": 404,
    "outsider": 404,
    "member_a": 200,
    "coord_a": 200,
    "coord_commune_a": 200,
    "coord_b": 404,
    "organizer": 200,
    "juror": 200,
    "admin": 200,
}
CHANGE = {
    "anonymous": 401,
    "outsider": 404,
    "member_a": 200,
    "coord_a": 403,
    "coord_commune_a": 403,
    "coord_b": 404,
    "organizer": 403,
    "juror": 403,
    "admin": 200,
}
# Listing a team's entries follows org.view_team (members, managers above, site admins).
LIST = {
    "anonymous": 401,
    "outsider": 403,
    "member_a": 200,
    "coord_a": 200,
    "coord_commune_a": 200,
    "coord_b": 403,
    "organizer": 200,
    "juror": 403,
    "admin": 200,
}
# entries.add_entry: members of the team, and site admins (see the report on the web page).
CREATE = {
    "anonymous": 401,
    "outsider": 403,
    "member_a": 201,
    "coord_a": 403,
    "coord_commune_a": 403,
    "coord_b": 403,
    "organizer": 403,
    "juror": 403,
    "admin": 201,
}
EN = {"Accept-Language": "en"}
VTT = b"WEBVTT\n\n00:00.000 --> 00:01.000\nXin chao\n"


def client_for(world, who: str, **kwargs) -> Client:
    client = Client(headers=EN, **kwargs)
    user = world.user(who)
    if user is not None:
        client.force_login(user)
    return client


def bearer(user) -> dict[str, str]:
    _token, raw = create_api_token(user=user, name="t")
    return {"Authorization": f"Bearer {raw}"}


def payload(world, where, **extra):
    return {
        "contest": where.slug,
        "team": world.team_a.pk,
        "title": "Làng nghề",
        "description": "Nghề gốm",
        "topic_tags": ["Văn hóa", " du lịch ", "văn hóa"],
        "licence": "cc-by-4.0",
        "consent_people_shown": True,
        "shows_minors": True,
        "guardian_consent": True,
        "authors": [{"name": "Phạm D", "role": "camera"}, {"name": "Lê E"}],
        **extra,
    }


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def written() -> tuple[int, int, int]:
    return Entry.objects.count(), Author.objects.count(), AuditEvent.objects.count()


def iso(value: dt.datetime | None) -> str | None:
    """A timestamp as the API writes it (DjangoJSONEncoder: milliseconds, "Z")."""
    if value is None:
        return None
    text = value.astimezone(dt.UTC).isoformat()
    if value.microsecond:
        text = text[:23] + text[26:]
    return text.removesuffix("+00:00") + "Z"


@pytest.fixture
def complete(draft):
    """A draft that may be submitted: author, consent and a processed video."""
    add_video(draft, VideoStatus.READY)
    return draft


@pytest.fixture
def closed(open_contest):
    """Submission ended an hour ago."""
    past = timezone.now() - dt.timedelta(hours=1)
    Phase.objects.filter(contest=open_contest, kind=PhaseKind.SUBMISSION).update(
        starts_at=past - dt.timedelta(days=10), ends_at=past
    )
    return open_contest


# --- role matrix ------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "expected"), LIST.items())
def test_list_team_entries_by_role(world, draft, who, expected):
    response = client_for(world, who).get(
        API, {"contest": draft.contest.slug, "team": world.team_a.pk}
    )

    assert response.status_code == expected
    if expected == 200:
        assert [e["id"] for e in response.json()["items"]] == [str(draft.public_id)]


@pytest.mark.parametrize(("who", "expected"), VIEW.items())
def test_detail_by_role(world, draft, who, expected):
    response = client_for(world, who).get(f"{API}/{draft.public_id}")

    assert response.status_code == expected


@pytest.mark.parametrize("who", ROLES)
def test_detail_of_published_entry_is_public(world, draft, who):
    Entry.objects.filter(pk=draft.pk).update(published_at=timezone.now())

    response = client_for(world, who).get(f"{API}/{draft.public_id}")

    assert response.status_code == 200
    assert response.json()["can_change"] is (CHANGE[who] == 200)


@pytest.mark.parametrize(("who", "expected"), CREATE.items())
def test_create_by_role(world, open_contest, who, expected):
    before = written()

    response = client_for(world, who).post(API, payload(world, open_contest), content_type=JSON)

    assert response.status_code == expected
    assert Entry.objects.count() == before[0] + (expected == 201)


@pytest.mark.parametrize(("who", "expected"), CHANGE.items())
def test_update_by_role(world, draft, who, expected):
    response = client_for(world, who).patch(
        f"{API}/{draft.public_id}", {"title": "Mới"}, content_type=JSON
    )

    draft.refresh_from_db()
    assert response.status_code == expected
    assert draft.title == ("Mới" if expected == 200 else "Chuyển đổi số")


@pytest.mark.parametrize(("who", "expected"), CHANGE.items())
def test_submit_by_role(world, complete, who, expected):
    response = client_for(world, who).post(f"{API}/{complete.public_id}/submit")

    complete.refresh_from_db()
    assert response.status_code == expected
    assert complete.status == (EntryStatus.SUBMITTED if expected == 200 else EntryStatus.DRAFT)


@pytest.mark.parametrize(("who", "expected"), CHANGE.items())
def test_withdraw_by_role(world, draft, who, expected):
    response = client_for(world, who).post(
        f"{API}/{draft.public_id}/withdraw", {"reason": "duplicate"}, content_type=JSON
    )

    draft.refresh_from_db()
    assert response.status_code == expected
    assert draft.status == (EntryStatus.WITHDRAWN if expected == 200 else EntryStatus.DRAFT)


@pytest.mark.parametrize(("who", "expected"), CHANGE.items())
def test_captions_by_role(world, draft, who, expected):
    response = client_for(world, who).put(
        f"{API}/{draft.public_id}/captions", VTT, content_type="text/vtt"
    )

    draft.refresh_from_db()
    assert response.status_code == expected
    assert bool(draft.captions) is (expected == 200)


@pytest.mark.parametrize(("who", "expected"), CHANGE.items())
def test_upload_token_by_role(world, draft, who, expected):
    response = client_for(world, who).post(f"{API}/{draft.public_id}/upload-token")

    assert response.status_code == expected


@pytest.mark.parametrize(("who", "expected"), VIEW.items())
def test_video_status_by_role(world, draft, who, expected):
    uploads.create_upload(entry=draft, by=world.member_a, length=10, filename="clip.mp4")

    response = client_for(world, who).get(f"{API}/{draft.public_id}/video")

    assert response.status_code == expected
    if expected == 200:
        # Like the web status: the upload check only for those who may change the entry.
        assert (response.json()["upload"] is not None) is (CHANGE[who] == 200)


def _outcome(status: int) -> str:
    return {200: "ok", 302: "sign in", 401: "sign in", 403: "forbidden", 404: "hidden"}[status]


@pytest.mark.parametrize("who", ROLES)
def test_api_and_web_agree_on_each_role(world, draft, who):
    client = client_for(world, who)
    pairs = [
        (f"/entries/{draft.public_id}/", ("get", f"{API}/{draft.public_id}")),
        (f"/entries/{draft.public_id}/edit/", ("patch", f"{API}/{draft.public_id}")),
        (f"/entries/{draft.public_id}/video/", ("post", f"{API}/{draft.public_id}/upload-token")),
        (
            f"/entries/{draft.public_id}/video/status.json",
            ("get", f"{API}/{draft.public_id}/video"),
        ),
    ]

    for page, (method, endpoint) in pairs:
        web = client.get(page).status_code
        api = getattr(client, method)(endpoint, {}, content_type=JSON).status_code
        assert (page, _outcome(api)) == (page, _outcome(web))


# --- create -----------------------------------------------------------------------------


def test_create_returns_the_draft_with_every_field(world, open_contest):
    client = client_for(world, "member_a")
    h = world.province.hierarchy.slug

    response = client.post(API, payload(world, open_contest), content_type=JSON)

    entry = Entry.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": str(entry.public_id),
        "url": f"http://testserver/entries/{entry.public_id}/",
        "contest": open_contest.slug,
        "team": {"id": world.team_a.pk, "name": "Tổ CNSCĐ xã Nghĩa Điền", "unit": f"{h}/21271"},
        "unit": f"{h}/21271",
        "unit_name": "Xã Nghĩa Điền",
        "title": "Làng nghề",
        "description": "Nghề gốm",
        "topic_tags": ["văn hóa", "du lịch"],
        "licence": "cc-by-4.0",
        "consent_people_shown": True,
        "shows_minors": True,
        "guardian_consent": True,
        "authors": [{"name": "Phạm D", "role": "camera"}, {"name": "Lê E", "role": "other"}],
        "status": "draft",
        "slot": 1,
        "video_status": None,
        "captions_url": None,
        "created_at": iso(entry.created_at),
        "updated_at": iso(entry.updated_at),
        "submitted_at": None,
        "published_at": None,
        "can_change": True,
        "problems": ["Upload the video first."],
    }
    assert AuditEvent.objects.filter(action="entry.created").count() == 1


def test_create_refused_over_entries_per_team_writes_nothing(world, open_contest, draft):
    open_contest.entries_per_team = 1
    open_contest.save()
    before = written()

    response = client_for(world, "member_a").post(
        API, payload(world, open_contest), content_type=JSON
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "limit",
        "messages": ["Your team has already entered 1 works in this contest."],
    }
    assert written() == before


def test_create_refused_when_submission_closed_writes_nothing(world, closed):
    before = written()

    response = client_for(world, "member_a").post(API, payload(world, closed), content_type=JSON)

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "messages": ["Submission for this contest is not open."],
    }
    assert written() == before


@pytest.mark.parametrize(
    ("extra", "messages"),
    [
        ({"title": "   "}, ["An entry needs a title."]),
        ({"licence": "all-rights"}, ["Choose a licence for reuse."]),
        ({"topic_tags": [f"t{i}" for i in range(11)]}, ["At most 10 topics."]),
        ({"authors": [{"name": "A", "role": "producer"}]}, ["Unknown author role."]),
    ],
)
def test_create_refuses_invalid_values_with_domain_messages(world, open_contest, extra, messages):
    before = written()

    response = client_for(world, "member_a").post(
        API, payload(world, open_contest, **extra), content_type=JSON
    )

    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "messages": messages}
    assert written() == before


@pytest.mark.parametrize(
    "extra",
    [
        {"title": "x" * 201},
        {"authors": [{"name": f"A{i}"} for i in range(7)]},
        {"authors": [{"name": "x" * 151}]},
    ],
)
def test_create_refuses_what_the_form_cannot_hold(world, open_contest, extra):
    before = written()

    response = client_for(world, "member_a").post(
        API, payload(world, open_contest, **extra), content_type=JSON
    )

    assert response.status_code == 422
    assert written() == before


def test_create_for_another_team_refused(world, open_contest):
    response = client_for(world, "member_a").post(
        API, payload(world, open_contest, team=world.team_b.pk), content_type=JSON
    )

    assert response.status_code == 403
    assert Entry.objects.count() == 0


def test_create_in_unknown_contest_is_not_found(world, open_contest):
    response = client_for(world, "member_a").post(
        API, payload(world, open_contest, contest="nope"), content_type=JSON
    )

    assert response.status_code == 404


def test_session_write_without_csrf_token_refused(world, open_contest):
    client = client_for(world, "member_a", enforce_csrf_checks=True)

    response = client.post(API, payload(world, open_contest), content_type=JSON)

    assert response.status_code == 403
    assert Entry.objects.count() == 0


# --- update -----------------------------------------------------------------------------


def test_update_changes_only_sent_fields_and_replaces_authors(world, draft):
    response = client_for(world, "member_a").patch(
        f"{API}/{draft.public_id}",
        {"title": "Mới", "shows_minors": True, "authors": [{"name": "X", "role": "editor"}]},
        content_type=JSON,
    )

    draft.refresh_from_db()
    assert response.status_code == 200
    assert (draft.title, draft.shows_minors, draft.consent_people_shown) == ("Mới", True, True)
    assert response.json()["authors"] == [{"name": "X", "role": "editor"}]
    assert response.json()["problems"] == [
        "Upload the video first.",
        "Confirm that a parent or guardian agreed for every minor shown.",
    ]


def test_update_refused_when_submission_closed_writes_nothing(world, draft, closed):
    before = written()

    response = client_for(world, "member_a").patch(
        f"{API}/{draft.public_id}", {"title": "Mới"}, content_type=JSON
    )

    draft.refresh_from_db()
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "messages": ["Submission for this contest is closed."],
    }
    assert (draft.title, written()) == ("Chuyển đổi số", before)


def test_update_refused_after_submission(world, complete):
    client = client_for(world, "member_a")
    client.post(f"{API}/{complete.public_id}/submit")

    response = client.patch(f"{API}/{complete.public_id}", {"title": "Mới"}, content_type=JSON)

    assert response.status_code == 400
    assert response.json()["messages"] == ["Only a draft entry can be changed."]


# --- submit and withdraw ----------------------------------------------------------------


def test_submit_complete_draft(world, complete):
    response = client_for(world, "member_a").post(f"{API}/{complete.public_id}/submit")

    complete.refresh_from_db()
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["submitted_at"]) == (
        "submitted",
        iso(complete.submitted_at),
    )
    assert response.json()["problems"] == []


def test_submit_without_consent_lists_problems_and_writes_nothing(world, complete):
    complete.consent_people_shown = False
    complete.shows_minors = True
    complete.save()
    before = written()

    response = client_for(world, "member_a").post(f"{API}/{complete.public_id}/submit")

    complete.refresh_from_db()
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "messages": [
            "Confirm that everyone shown agreed to appear.",
            "Confirm that a parent or guardian agreed for every minor shown.",
        ],
    }
    assert (complete.status, written()) == (EntryStatus.DRAFT, before)


def test_submit_without_video_refused(world, draft):
    response = client_for(world, "member_a").post(f"{API}/{draft.public_id}/submit")

    assert response.status_code == 400
    assert response.json()["messages"] == ["Upload the video first."]


def test_submit_refused_when_submission_closed(world, complete, closed):
    response = client_for(world, "member_a").post(f"{API}/{complete.public_id}/submit")

    assert response.status_code == 400
    assert response.json()["messages"] == ["Submission for this contest is closed."]


def test_withdraw_logs_reason_and_frees_the_slot(world, draft):
    client = client_for(world, "member_a")

    response = client.post(
        f"{API}/{draft.public_id}/withdraw", {"reason": "duplicate"}, content_type=JSON
    )
    again = client.post(f"{API}/{draft.public_id}/withdraw", {}, content_type=JSON)

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert AuditEvent.objects.get(action="entry.withdrawn").reason == "duplicate"
    assert again.status_code == 400
    assert again.json()["messages"] == ["This entry has already been withdrawn."]


# --- captions ---------------------------------------------------------------------------


def test_captions_upload_served_and_removed(world, draft):
    client = client_for(world, "member_a")

    stored = client.put(f"{API}/{draft.public_id}/captions", VTT, content_type="text/vtt")
    served = client.get(stored.json()["captions_url"])
    # Consuming the stream lets the test client close it; closing it again would fire
    # request_finished and close the PostgreSQL connection inside the test transaction.
    captions = b"".join(served.streaming_content)
    removed = client.delete(f"{API}/{draft.public_id}/captions")

    assert stored.status_code == 200
    assert stored.json()["captions_url"] == f"http://testserver/captions/{draft.public_id}.vtt"
    assert captions == VTT
    assert (removed.status_code, removed.json()["captions_url"]) == (200, None)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b"1\n00:00:00,000 --> 00:00:01,000\nSRT\n",
            "Captions must be a WebVTT file (starting with WEBVTT).",
        ),
        (b"WEBVTT\n" + b"x" * 512 * 1024, "The captions file is too large (at most 512 KB)."),
    ],
)
def test_captions_refused_with_domain_message(world, draft, body, message):
    response = client_for(world, "member_a").put(
        f"{API}/{draft.public_id}/captions", body, content_type="text/vtt"
    )

    draft.refresh_from_db()
    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "messages": [message]}
    assert not draft.captions


# --- video status and uploads -----------------------------------------------------------


def test_video_status_reports_progress_and_rendition_urls(world, draft):
    video = add_video(draft, VideoStatus.PLAYABLE)
    type(video).objects.filter(pk=video.pk).update(progress=0.5)

    response = client_for(world, "coord_a").get(f"{API}/{draft.public_id}/video")

    assert response.status_code == 200
    assert response.json() == {
        "upload": None,
        "video": {
            "status": "playable",
            "label": "playable (more sizes on the way)",
            "progress": 0.5,
            "failure": "",
            "renditions": [
                {
                    "label": "360p",
                    "width": 640,
                    "height": 360,
                    "kbps": 896,
                    "url": f"http://testserver/video/{video.pk}/360p.mp4",
                }
            ],
            "poster_url": f"http://testserver/video/{video.pk}/poster.jpg",
            "thumbnails_url": None,
        },
    }


def test_video_status_reports_failure_reason(world, draft):
    video = add_video(draft, VideoStatus.FAILED)
    type(video).objects.filter(pk=video.pk).update(failure="FFmpeg stopped.")

    data = client_for(world, "member_a").get(f"{API}/{draft.public_id}/video").json()

    assert (data["video"]["status"], data["video"]["failure"]) == ("failed", "FFmpeg stopped.")


def test_upload_token_starts_a_tus_upload(world, draft):
    client = client_for(world, "member_a")

    minted = client.post(f"{API}/{draft.public_id}/upload-token").json()
    created = Client().post(
        "/uploads/tus/",
        headers={
            "Tus-Resumable": minted["tus_version"],
            "Authorization": f"Bearer {minted['token']}",
            "Upload-Length": "10",
            "Upload-Metadata": f"entry {b64(str(draft.public_id))}",
        },
    )

    assert (minted["endpoint"], minted["entry"], minted["max_bytes"]) == (
        "http://testserver/uploads/tus/",
        str(draft.public_id),
        draft.contest.max_video_mb * 1024 * 1024,
    )
    assert created.status_code == 201
    assert Upload.objects.get().created_by == world.member_a


def test_api_token_is_not_an_upload_token(world, draft):
    response = Client().post(
        "/uploads/tus/",
        headers={
            "Tus-Resumable": "1.0.0",
            **bearer(world.member_a),
            "Upload-Length": "10",
            "Upload-Metadata": f"entry {b64(str(draft.public_id))}",
        },
    )

    assert response.status_code == 403
    assert Upload.objects.count() == 0


def test_bearer_token_client_creates_entry_then_reads_status(world, open_contest):
    client = Client(headers={**EN, **bearer(world.member_a)})

    created = client.post(API, payload(world, open_contest), content_type=JSON)
    public_id = created.json()["id"]
    empty = client.get(f"{API}/{public_id}/video")
    token = client.post(f"{API}/{public_id}/upload-token").json()["token"]
    Client().post(
        "/uploads/tus/",
        headers={
            "Tus-Resumable": "1.0.0",
            "Authorization": f"Bearer {token}",
            "Upload-Length": "1000",
            "Upload-Metadata": f"entry {b64(public_id)}",
        },
    )
    receiving = client.get(f"{API}/{public_id}/video")

    assert created.status_code == 201
    assert empty.json() == {"upload": None, "video": None}
    assert receiving.json() == {
        "upload": {
            "status": "receiving",
            "label": "receiving",
            "refusal": "",
            "offset": 0,
            "length": 1000,
        },
        "video": None,
    }


@pytest.mark.slow
def test_bearer_token_client_uploads_real_clip_until_ready(
    world, open_contest, make_clip, django_capture_on_commit_callbacks
):
    clip = make_clip(size="160x120")
    body = clip.read_bytes()
    client = Client(headers={**EN, **bearer(world.member_a)})
    public_id = client.post(API, payload(world, open_contest), content_type=JSON).json()["id"]
    token = client.post(f"{API}/{public_id}/upload-token").json()["token"]
    tus = Client(headers={"Tus-Resumable": "1.0.0", "Authorization": f"Bearer {token}"})
    sha = b64(hashlib.sha256(body).hexdigest())
    location = tus.post(
        "/uploads/tus/",
        headers={
            "Upload-Length": str(len(body)),
            "Upload-Metadata": f"entry {b64(public_id)},sha256 {sha}",
        },
    )["Location"]

    with django_capture_on_commit_callbacks(execute=True):
        patched = tus.generic(
            "PATCH",
            location,
            data=body,
            content_type="application/offset+octet-stream",
            headers={"Upload-Offset": "0"},
        )
    status = client.get(f"{API}/{public_id}/video").json()
    submitted = client.post(f"{API}/{public_id}/submit")

    assert patched.status_code == 204
    assert status["upload"]["status"] == "accepted"
    assert (status["video"]["status"], status["video"]["progress"]) == ("ready", 1.0)
    # The media views know sessions, not API tokens: a signed-in browser plays it.
    rendition = client_for(world, "member_a").get(status["video"]["renditions"][0]["url"])
    played = b"".join(rendition.streaming_content)
    rendition.close()
    assert (rendition.status_code, rendition["Content-Type"]) == (200, "video/mp4")
    assert len(played) == int(rendition["Content-Length"])
    assert submitted.json()["status"] == "submitted"


# --- lists and schema -------------------------------------------------------------------


def test_list_hides_withdrawn_unless_asked(world, open_contest, draft):
    client = client_for(world, "member_a")
    client.post(f"{API}/{draft.public_id}/withdraw", {}, content_type=JSON)
    query = {"contest": open_contest.slug, "team": world.team_a.pk}

    default = client.get(API, query).json()
    everything = client.get(API, {**query, "include_withdrawn": True}).json()

    assert default == {"items": [], "count": 0}
    assert [e["status"] for e in everything["items"]] == ["withdrawn"]


@pytest.mark.parametrize("count", [1, 3])
def test_list_queries_do_not_grow(world, open_contest, count):
    open_contest.entries_per_team = 5
    open_contest.save()
    for i in range(count):
        entry = create_entry(
            contest=open_contest,
            team=world.team_a,
            by=world.member_a,
            title=f"E{i}",
            authors=[AuthorInput("A"), AuthorInput("B")],
        )
        add_video(entry, VideoStatus.READY)
    client = client_for(world, "member_a")
    query = {"contest": open_contest.slug, "team": world.team_a.pk}
    client.get(API, query)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(API, query)

    assert response.json()["count"] == count
    assert [e["video_status"] for e in response.json()["items"]] == ["ready"] * count
    assert len(queries) == 10


def test_openapi_schema_lists_entry_endpoints(db):
    schema = Client().get("/api/v1/openapi.json").json()

    paths = {p: sorted(ops) for p, ops in schema["paths"].items() if p.startswith(API)}
    assert paths == {
        API: ["get", "post"],
        f"{API}/{{public_id}}": ["get", "patch"],
        f"{API}/{{public_id}}/submit": ["post"],
        f"{API}/{{public_id}}/withdraw": ["post"],
        f"{API}/{{public_id}}/captions": ["delete", "put"],
        f"{API}/{{public_id}}/video": ["get"],
        f"{API}/{{public_id}}/upload-token": ["post"],
    }
    how_to = schema["paths"][f"{API}/{{public_id}}/upload-token"]["post"]["description"]
    assert "/uploads/tus/" in how_to
    assert "Upload-Metadata: entry <base64 of the entry id>" in how_to

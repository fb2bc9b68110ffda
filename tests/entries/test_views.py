from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clipcontest.entries.domain import AuthorInput, create_entry
from clipcontest.entries.enums import EntryStatus
from clipcontest.entries.models import Entry

EN = {"Accept-Language": "en"}


def _form(**extra):
    data = {
        "title": "Làng nghề",
        "description": "",
        "topic_tags": "văn hóa, du lịch",
        "licence": "cc-by-4.0",
        "consent_people_shown": "on",
        "author_0_name": "Phạm D",
        "author_0_role": "camera",
    }
    return {**data, **extra}


def test_create_entry_page_saves_draft_and_goes_to_upload(client, world, open_contest):
    client.force_login(world.member_a)

    response = client.post(
        f"/contests/{open_contest.slug}/entries/new/", _form(team=world.team_a.pk), headers=EN
    )

    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/entries/{entry.public_id}/video/"
    assert (entry.team, entry.topic_tags, entry.licence) == (
        world.team_a,
        ["văn hóa", "du lịch"],
        "cc-by-4.0",
    )
    assert [(a.name, a.role) for a in entry.authors.all()] == [("Phạm D", "camera")]


def test_create_entry_page_refuses_people_without_team(client, world, open_contest):
    client.force_login(world.coord_a)

    response = client.get(f"/contests/{open_contest.slug}/entries/new/")

    assert response.status_code == 403


def test_create_entry_page_shows_domain_refusal(client, world, open_contest):
    open_contest.entries_per_team = 1
    open_contest.save()
    client.force_login(world.member_a)
    client.post(f"/contests/{open_contest.slug}/entries/new/", _form(team=world.team_a.pk))

    response = client.post(
        f"/contests/{open_contest.slug}/entries/new/", _form(team=world.team_a.pk), headers=EN
    )

    assert response.status_code == 200
    assert response.context["errors"] == ["Your team has already entered 1 works in this contest."]


def test_edit_page_refused_for_coordinator(client, world, draft):
    client.force_login(world.coord_a)

    assert client.get(f"/entries/{draft.public_id}/edit/").status_code == 403


def test_edit_page_updates_draft(client, world, draft):
    client.force_login(world.member_a)

    response = client.post(f"/entries/{draft.public_id}/edit/", _form(title="Mới"))

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.title == "Mới"


def test_submit_without_video_shows_problems(client, world, draft):
    client.force_login(world.member_a)

    response = client.post(f"/entries/{draft.public_id}/submit/", headers=EN, follow=True)

    draft.refresh_from_db()
    assert draft.status == EntryStatus.DRAFT
    assert [str(m) for m in response.context["messages"]] == ["Upload the video first."]


def test_withdraw_frees_entry(client, world, draft):
    client.force_login(world.member_a)

    client.post(f"/entries/{draft.public_id}/withdraw/", {"reason": "duplicate"})

    draft.refresh_from_db()
    assert draft.status == EntryStatus.WITHDRAWN


def test_upload_page_has_uploader_with_token(client, world, draft):
    client.force_login(world.member_a)

    response = client.get(f"/entries/{draft.public_id}/video/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-endpoint="/uploads/tus/"' in html
    assert f'data-entry="{draft.public_id}"' in html
    assert "/static/media/uploader.js" in html


def test_captions_upload_through_page(client, world, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.member_a)
    vtt = SimpleUploadedFile("c.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nA\n")

    response = client.post(f"/entries/{draft.public_id}/video/", {"captions": vtt})

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.captions.name.endswith(".vtt")


@pytest.mark.parametrize("count", [1, 3])
def test_my_entries_list_queries_do_not_grow(client, world, open_contest, count):
    open_contest.entries_per_team = 5
    open_contest.save()
    for i in range(count):
        create_entry(
            contest=open_contest,
            team=world.team_a,
            by=world.member_a,
            title=f"E{i}",
            authors=[AuthorInput("A")],
        )
    client.force_login(world.member_a)
    client.get(f"/contests/{open_contest.slug}/my-entries/")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/contests/{open_contest.slug}/my-entries/")

    assert response.status_code == 200
    assert len(response.context["entries"]) == count
    assert len(queries) == 7

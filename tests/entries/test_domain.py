from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from clipcontest.audit.models import AuditEvent
from clipcontest.contests.enums import PhaseKind
from clipcontest.core.errors import DomainError
from clipcontest.entries.domain import (
    AuthorInput,
    VideoFacts,
    create_entry,
    set_captions,
    submit_entry,
    submit_problems,
    update_entry,
    video_limit_errors,
    withdraw_entry,
)
from clipcontest.entries.enums import AuthorRole, EntryStatus
from tests.factories import add_phase


def _new(world, contest, title="Tác phẩm"):
    return create_entry(
        contest=contest,
        team=world.team_a,
        by=world.member_a,
        title=title,
        authors=[AuthorInput(name="Trần Thị B", role=AuthorRole.CAMERA)],
    )


def test_create_entry_fills_unit_slot_and_logs(world, open_contest):
    entry = create_entry(
        contest=open_contest,
        team=world.team_a,
        by=world.member_a,
        title="  Làng số  ",
        authors=[AuthorInput(name="Lê C", role=AuthorRole.DIRECTOR), AuthorInput(name=" ")],
        topic_tags=["Nông nghiệp", "nông nghiệp ", "Y tế"],
    )

    assert (entry.unit, entry.slot, entry.status) == (world.commune_a, 1, EntryStatus.DRAFT)
    assert entry.title == "Làng số"
    assert entry.topic_tags == ["nông nghiệp", "y tế"]
    assert [(a.name, a.role) for a in entry.authors.all()] == [("Lê C", "director")]
    assert AuditEvent.objects.filter(action="entry.created", target_id=str(entry.pk)).count() == 1


def test_create_entry_refused_when_team_used_all_slots(world, open_contest):
    open_contest.entries_per_team = 2
    open_contest.save()
    _new(world, open_contest, "1")
    _new(world, open_contest, "2")

    with pytest.raises(DomainError) as refused:
        _new(world, open_contest, "3")

    assert refused.value.messages == ["Your team has already entered 2 works in this contest."]


def test_create_entry_after_withdrawal_reuses_the_slot(world, open_contest):
    open_contest.entries_per_team = 1
    open_contest.save()
    first = _new(world, open_contest, "1")
    withdraw_entry(entry=first, by=world.member_a, reason="wrong file")

    second = _new(world, open_contest, "2")

    assert second.slot == 1


def test_create_entry_refused_when_submission_closed(world):
    add_phase(world.contest, PhaseKind.SUBMISSION, timezone.now() - dt.timedelta(days=10), days=3)

    with pytest.raises(DomainError) as refused:
        _new(world, world.contest)

    assert refused.value.messages == ["Submission for this contest is not open."]


def test_submit_entry_lists_what_is_missing(world, open_contest):
    entry = create_entry(
        contest=open_contest,
        team=world.team_a,
        by=world.member_a,
        title="T",
        authors=[],
        shows_minors=True,
    )

    with pytest.raises(DomainError) as refused:
        submit_entry(entry=entry, by=world.member_a)

    assert refused.value.messages == [
        "Upload the video first.",
        "Name at least one author.",
        "Confirm that everyone shown agreed to appear.",
        "Confirm that a parent or guardian agreed for every minor shown.",
    ]


def test_update_entry_refused_after_withdrawal(world, draft):
    withdraw_entry(entry=draft, by=world.member_a)

    with pytest.raises(DomainError) as refused:
        update_entry(entry=draft, by=world.member_a, title="New")

    assert refused.value.messages == ["Only a draft entry can be changed."]


def test_update_entry_changes_fields_and_authors(world, draft):
    update_entry(
        entry=draft,
        by=world.member_a,
        title="Mới",
        shows_minors=True,
        guardian_consent=True,
        authors=[AuthorInput("X", AuthorRole.EDITOR)],
    )

    draft.refresh_from_db()
    assert (draft.title, draft.shows_minors, draft.guardian_consent) == ("Mới", True, True)
    assert [a.name for a in draft.authors.all()] == ["X"]
    assert submit_problems(draft) == ["Upload the video first."]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (VideoFacts(size=10, duration=5, width=640, height=360), []),
        (
            VideoFacts(size=11 * 1024 * 1024, duration=5, width=640, height=360),
            ["The video is larger than 10 MB."],
        ),
        (
            VideoFacts(size=10, duration=0.5, width=640, height=360),
            ["The video lasts 0 s; it must last at least 1 s."],
        ),
        (
            VideoFacts(size=10, duration=61, width=640, height=360),
            ["The video lasts 61 s; it may last at most 60 s."],
        ),
        (
            VideoFacts(size=10, duration=5, width=1280, height=720),
            ["The video is 1280×720; this contest accepts at most 480p."],
        ),
        (VideoFacts(size=10, duration=5, width=480, height=854), []),
    ],
)
def test_video_limit_errors_per_limit(open_contest, facts, expected):
    open_contest.max_video_mb = 10
    open_contest.max_video_height = 480

    assert video_limit_errors(contest=open_contest, facts=facts) == expected


def test_set_captions_refuses_other_files(world, draft):
    with pytest.raises(DomainError) as refused:
        set_captions(entry=draft, by=world.member_a, content=b"1\n00:00:01,000 --> x\n")

    assert refused.value.messages == ["Captions must be a WebVTT file (starting with WEBVTT)."]


def test_set_captions_stores_webvtt(world, draft):
    set_captions(
        entry=draft,
        by=world.member_a,
        content=b"WEBVTT\n\n00:00.000 --> 00:01.000\nXin ch\xc3\xa0o\n",
    )

    draft.refresh_from_db()
    with draft.captions.open("rb") as handle:
        assert handle.read().decode() == "WEBVTT\n\n00:00.000 --> 00:01.000\nXin chào\n"


def test_withdraw_entry_twice_refused(world, draft):
    withdraw_entry(entry=draft, by=world.member_a)

    with pytest.raises(DomainError) as refused:
        withdraw_entry(entry=draft, by=world.member_a)

    assert refused.value.messages == ["This entry has already been withdrawn."]

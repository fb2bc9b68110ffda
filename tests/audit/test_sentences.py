"""The audit log reads as sentences with labelled changes, filtered by person, kind,
object and date; every action the code records has a sentence."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone, translation

import clipcontest
from clipcontest.audit import sentences
from clipcontest.audit.domain import record
from clipcontest.audit.models import AuditEvent
from clipcontest.contests.enums import PhaseState
from clipcontest.screening.enums import DecisionKind

pytestmark = pytest.mark.django_db

SRC = Path(clipcontest.__file__).parent
LITERAL_ACTION = re.compile(r'action="([a-z_]+\.[a-z_]+)"')


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _recorded_actions() -> set[str]:
    found = {
        match
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts
        for match in LITERAL_ACTION.findall(path.read_text(encoding="utf-8"))
    }
    found |= {f"screening.{kind}" for kind in DecisionKind.values}
    found |= {f"phase.{state}" for state in PhaseState.values}
    return found


def test_every_recorded_action_has_a_sentence():
    sentences.kinds()  # discovers every app's audit_sentences module
    missing = sorted(a for a in _recorded_actions() if a not in sentences._SENTENCES)
    assert missing == []


def test_sentence_names_the_actor_and_the_object(world):
    world.organizer.first_name, world.organizer.last_name = "Nguyễn Văn", "A"
    world.organizer.save()
    event = record(action="contest.updated", target=world.contest, actor=world.organizer)
    assert sentences.describe(event) == f"Nguyễn Văn A edited the contest {world.contest.title}"


def test_sentence_reads_in_vietnamese(world):
    event = record(action="contest.updated", target=world.contest, actor=world.organizer)
    with translation.override("vi"):
        text = sentences.describe(event)
    assert text == f"organizer đã sửa cuộc thi {world.contest.title}"


def test_sentence_without_actor_says_system(world):
    event = record(action="entry.published", target=world.contest)
    assert sentences.describe(event) == f"{world.contest.title} became public in the gallery"


def test_unknown_action_still_reads_as_a_sentence(world):
    event = record(action="made.up", target=world.contest, actor=world.organizer)
    assert sentences.describe(event) == f"organizer: made.up on {world.contest.title}"


def test_changes_list_only_fields_that_differ_with_labels(world):
    event = record(
        action="contest.updated",
        target=world.contest,
        before={"title": "Cũ", "entries_per_team": 2, "status": "draft"},
        after={"title": "Mới", "entries_per_team": 2, "status": "draft"},
    )
    assert sentences.changes(event) == [sentences.Change("title", "Cũ", "Mới")]


def test_changes_of_a_new_object_have_no_before(world):
    event = record(action="team.created", target=world.team_a, after={"name": "Tổ A"})
    assert sentences.changes(event) == [sentences.Change("name", "", "Tổ A")]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "—"),
        ([], "—"),
        (True, "yes"),
        (False, "no"),
        ("2023-09-07T17:00:00+00:00", "8/9/2023 00:00"),
        (["240p", "360p"], "240p, 360p"),
        ({"state": "open"}, "state: open"),
        ("x" * 500, "x" * 159 + "…"),
    ],
)
def test_values_are_shown_as_people_write_them(settings, value, shown):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    with timezone.override("Asia/Ho_Chi_Minh"):
        assert sentences.show(value) == shown


def test_audit_page_shows_sentences_not_codes_or_dicts(world):
    record(
        action="contest.status",
        target=world.contest,
        contest=world.contest,
        actor=world.organizer,
        before={"status": "draft"},
        after={"status": "published"},
    )
    html = _client(world.organizer).get(f"/manage/contests/{world.contest.slug}/audit/").content
    text = html.decode()
    assert f"organizer changed the status of {world.contest.title}" in text
    assert "<del>draft</del> → <ins>published</ins>" in text  # English labels of the states
    assert "{&#x27;status&#x27;" not in text


def _audit_ids(world, **query) -> list[int]:
    response = _client(world.organizer).get(f"/manage/contests/{world.contest.slug}/audit/", query)
    assert response.status_code == 200
    return [e.pk for e in response.context["page"]]


def test_audit_page_filters_by_person_kind_object_and_date(world):
    by_organizer = record(
        action="contest.updated", target=world.contest, contest=world.contest, actor=world.organizer
    )
    by_coordinator = record(
        action="screening.forwarded",
        target=world.team_a,
        contest=world.contest,
        actor=world.coord_a,
    )
    old = AuditEvent.objects.create(
        at=timezone.now() - dt.timedelta(days=40),
        action="entry.created",
        target_type="entries.entry",
        target_id="1",
        target_repr="Clip cũ",
        contest=world.contest,
    )
    assert _audit_ids(world, actor="coord_a") == [by_coordinator.pk]
    assert _audit_ids(world, kind="contest") == [by_organizer.pk]
    assert _audit_ids(world, object="Nghĩa Điền") == [by_coordinator.pk]
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert _audit_ids(world, since=since) == [by_coordinator.pk, by_organizer.pk]
    until = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert _audit_ids(world, until=until) == [old.pk]


@pytest.mark.parametrize("bad", ["2023-13-45", "'; DROP", "13/02/2023", "2023-02"])
def test_audit_page_ignores_unusable_dates(world, bad):
    event = record(action="contest.updated", target=world.contest, contest=world.contest)
    assert _audit_ids(world, since=bad, until=bad) == [event.pk]


@pytest.mark.parametrize("bad", ["'; DROP", "x" * 100, "contest.updated"])
def test_audit_page_with_unknown_filter_values_finds_nothing(world, bad):
    record(action="contest.updated", target=world.contest, contest=world.contest)
    assert _audit_ids(world, kind=bad, actor=bad, object=bad) == []


@pytest.mark.parametrize("bad", ["\x00", "x" * 10_000])
def test_audit_page_refuses_control_characters_and_huge_filters(world, bad):
    """The input boundary answers 400 before the page runs (core/boundary.py)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.organizer)
    url = f"/manage/contests/{world.contest.slug}/audit/"
    assert client.get(url, {"object": bad}).status_code == 400


def test_audit_csv_has_a_description_column(world):
    record(
        action="contest.updated", target=world.contest, contest=world.contest, actor=world.organizer
    )
    response = _client(world.organizer).get(f"/manage/contests/{world.contest.slug}/audit.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][-1] == "description"
    assert rows[1][-1] == f"organizer edited the contest {world.contest.title}"


def test_changes_show_the_label_of_an_enum_value(world):
    event = record(
        action="contest.status",
        target=world.contest,
        before={"status": "draft"},
        after={"status": "published"},
    )
    assert sentences.changes(event) == [sentences.Change("status", "draft", "published")]
    with translation.override("vi"):
        (change,) = sentences.changes(event)
    assert (change.before, change.after) == ("bản nháp", "đã công bố")

"""A published result is a commitment (issue 9, cases 2 and 6): its prize tiers are
read-only and the phases that led to it cannot move until it is withdrawn."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from clipcontest.audit.models import AuditEvent
from clipcontest.contests.enums import PhaseKind
from clipcontest.contests.models import PrizeTier
from clipcontest.entries.models import Entry
from clipcontest.judging.models import Score
from clipcontest.results import domain
from clipcontest.results.commitment import withdraw_publication
from clipcontest.results.models import Publication
from clipcontest.results.queries import current_publication
from tests.api.test_api import bearer
from tests.factories import add_phase
from tests.judging.factories import submit

from .test_domain import scored  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
READ_ONLY = (
    "Prizes were awarded in the published result (version 1): the prize tiers are read-only now."
)


@pytest.fixture
def published(scored):  # noqa: F811
    world, r, _a, b = scored
    submit(r, world.juror, b, 6)
    domain.publish_results(contest=world.contest, by=world.organizer)
    return world


def test_api_put_prizes_empty_after_publication_is_409_read_only(published):
    world = published
    client = Client(**bearer(world.organizer), **EN)

    response = client.put(
        f"/api/v1/contests/{world.contest.slug}/prizes", "[]", content_type="application/json"
    )

    assert response.status_code == 409
    assert response.json() == {"code": "conflict", "messages": [READ_ONLY]}
    assert list(PrizeTier.objects.values_list("name", flat=True)) == ["Giải Nhất toàn diện"]


def test_prizes_page_after_publication_is_read_only_and_resave_refused(published):
    world = published
    client = Client(**EN)
    client.force_login(world.organizer)
    url = f"/manage/contests/{world.contest.slug}/prizes/"
    form = {
        "prizes-TOTAL_FORMS": "1",
        "prizes-INITIAL_FORMS": "1",
        "prizes-0-name": "Giải Nhất toàn diện",
        "prizes-0-kind": "jury",
        "prizes-0-count": "1",
        "prizes-0-reward": "",
    }

    page = client.get(url)
    resaved = client.post(url, form)

    assert (page.status_code, page.context["locked"]) == (200, READ_ONLY)
    assert 'data-testid="prizes-locked"' in page.content.decode()
    assert (resaved.status_code, resaved.context["errors"]) == (200, [READ_ONLY])
    assert list(PrizeTier.objects.values_list("pk", "name")) == [
        (world.contest.prize_tiers.get().pk, "Giải Nhất toàn diện")
    ]


def test_api_put_timeline_unknown_phase_kind_is_422_on_the_field(world):
    client = Client(**bearer(world.organizer), **EN)
    start = dt.datetime(2030, 3, 1, tzinfo=dt.UTC)
    phases = [
        {
            "kind": "submission",
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(days=5)).isoformat(),
        },
        {
            "kind": "party",
            "starts_at": start.isoformat(),
            "ends_at": (start + dt.timedelta(days=1)).isoformat(),
        },
    ]

    response = client.put(
        f"/api/v1/contests/{world.contest.slug}/timeline",
        json.dumps(phases),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "field": "kind",
        "messages": [
            "Unknown kind of phase: party. Known kinds: submission, screening, voting, "
            "judging, results."
        ],
    }
    assert world.contest.phases.count() == 0


# --- published results are a commitment (issue 9, case 2) ---------------------------------

MOVED_BACK = (
    "Version 1 of the results is published: the phases that led to it cannot move. "
    "Withdraw the publication first, with a reason, if the contest must go back."
)


@pytest.fixture
def running(published):
    """The published contest with its phases (the finalists' screening ran 30 days ago):
    voting and judging over, results open."""
    world = published
    now = timezone.now().replace(microsecond=0)
    add_phase(world.contest, PhaseKind.SUBMISSION, now - dt.timedelta(days=60), days=10)
    add_phase(world.contest, PhaseKind.VOTING, now - dt.timedelta(days=24), days=9)
    add_phase(world.contest, PhaseKind.JUDGING, now - dt.timedelta(days=15), days=13)
    results = add_phase(world.contest, PhaseKind.RESULTS, now - dt.timedelta(days=2), days=30)
    return world, results, now


def _move(client, world, phase, starts_at, ends_at, reason="Mở lại bình chọn"):
    return client.post(
        f"/api/v1/contests/{world.contest.slug}/phases/{phase.pk}/move",
        json.dumps(
            {"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(), "reason": reason}
        ),
        content_type="application/json",
    )


def test_api_move_results_phase_back_over_publication_is_409(running):
    world, results, now = running
    client = Client(**bearer(world.organizer), **EN)

    response = _move(
        client, world, results, now + dt.timedelta(days=5), now + dt.timedelta(days=40)
    )

    assert response.status_code == 409
    assert response.json() == {"code": "conflict", "messages": [MOVED_BACK]}
    results.refresh_from_db()
    assert results.starts_at == now - dt.timedelta(days=2)
    assert AuditEvent.objects.filter(action="phase.moved").count() == 0


def test_phase_move_page_over_publication_shows_the_refusal(running):
    world, results, now = running
    client = Client(**EN)
    client.force_login(world.organizer)

    response = client.post(
        f"/manage/contests/{world.contest.slug}/phases/{results.pk}/move/",
        {
            "starts_at": (now + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + dt.timedelta(days=40)).strftime("%Y-%m-%dT%H:%M"),
            "reason": "Mở lại",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [MOVED_BACK]
    results.refresh_from_db()
    assert results.starts_at == now - dt.timedelta(days=2)


def test_api_move_results_end_while_published_is_allowed(running):
    world, results, now = running
    client = Client(**bearer(world.organizer), **EN)

    response = _move(client, world, results, results.starts_at, now + dt.timedelta(days=60))

    assert response.status_code == 200


def test_api_withdraw_then_phases_may_move_back(running):
    world, results, now = running
    client = Client(**bearer(world.organizer), **EN)

    withdrawn = client.post(
        f"/api/v1/contests/{world.contest.slug}/results/withdraw",
        json.dumps({"reason": "Phát hiện phiếu bầu gian lận, cần kiểm lại"}),
        content_type="application/json",
    )
    moved = _move(client, world, results, now + dt.timedelta(days=5), now + dt.timedelta(days=40))

    assert withdrawn.status_code == 200
    assert (withdrawn.json()["version"], withdrawn.json()["state"]) == (1, "withdrawn")
    assert moved.status_code == 200
    event = AuditEvent.objects.get(action="results.withdrawn")
    assert (event.actor, event.reason, event.after["version"]) == (
        world.organizer,
        "Phát hiện phiếu bầu gian lận, cần kiểm lại",
        1,
    )
    assert current_publication(world.contest) is None


def test_api_withdraw_without_reason_is_422_and_changes_nothing(published):
    world = published
    client = Client(**bearer(world.organizer), **EN)

    response = client.post(
        f"/api/v1/contests/{world.contest.slug}/results/withdraw",
        json.dumps({"reason": "  "}),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid",
        "field": "reason",
        "messages": ["Say why the published result is withdrawn; the reason is shown publicly."],
    }
    assert current_publication(world.contest).version == 1


def test_api_withdraw_refused_to_a_coordinator(published):
    world = published
    client = Client(**bearer(world.coord_a), **EN)

    response = client.post(
        f"/api/v1/contests/{world.contest.slug}/results/withdraw",
        json.dumps({"reason": "x"}),
        content_type="application/json",
    )

    assert response.status_code == 403
    assert current_publication(world.contest).version == 1


def test_withdraw_page_needs_confirmation_then_withdraws(published):
    world = published
    client = Client(**EN)
    client.force_login(world.organizer)
    url = f"/manage/contests/{world.contest.slug}/results/withdraw/"

    manage = client.get(f"/manage/contests/{world.contest.slug}/results/")
    unconfirmed = client.post(url, {"reason": "Sai sót trong bảng điểm"})
    confirmed = client.post(url, {"reason": "Sai sót trong bảng điểm", "confirm": "on"})

    assert 'data-testid="withdraw-link"' in manage.content.decode()
    assert (unconfirmed.status_code, list(unconfirmed.context["form"].errors)) == (200, ["confirm"])
    assert (confirmed.status_code, confirmed["Location"]) == (
        302,
        f"/manage/contests/{world.contest.slug}/results/",
    )
    assert Publication.objects.get().withdrawal_reason == "Sai sót trong bảng điểm"


def test_public_results_after_withdrawal_say_so_and_keep_the_document(published):
    world = published
    pub = Publication.objects.get()
    withdraw_publication(contest=world.contest, by=world.organizer, reason="Kiểm lại phiếu")
    client = Client(**EN)

    page = client.get(f"/contests/{world.contest.slug}/results/")
    document = client.get(f"/contests/{world.contest.slug}/results/v1.json")
    verify = client.get(f"/api/v1/contests/{world.contest.slug}/results/verify?version=1")

    text = page.content.decode()
    assert page.status_code == 200
    assert "The published result (version 1) was withdrawn" in text
    assert "Kiểm lại phiếu" in text
    assert 'data-testid="winners"' not in text
    assert hashlib.sha256(document.content).hexdigest() == pub.sha256
    assert (verify.json()["state"], verify.json()["document_intact"], verify.json()["matches"]) == (
        "withdrawn",
        True,
        True,
    )


def test_api_versions_list_current_superseded_and_withdrawn(published):
    world = published
    withdraw_publication(contest=world.contest, by=world.organizer, reason="Kiểm lại")
    domain.publish_results(contest=world.contest, by=world.organizer)
    domain.publish_results(contest=world.contest, by=world.organizer)

    response = Client(**EN).get(f"/api/v1/contests/{world.contest.slug}/results/versions")

    assert [(v["version"], v["state"], v["superseded_by"]) for v in response.json()] == [
        (3, "current", None),
        (2, "superseded", 3),
        (1, "withdrawn", 2),
    ]


def test_results_command_reports_current_and_verifies_each_version(published):
    world = published
    withdraw_publication(contest=world.contest, by=world.organizer, reason="Kiểm lại phiếu")
    b = Entry.objects.get(title='=HYPERLINK("x")')
    Score.objects.filter(scorecard__entry=b).update(value=2)  # the corrected scores
    domain.publish_results(contest=world.contest, by=world.organizer)
    out = StringIO()

    call_command("results", "--contest", world.contest.slug, stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[1] == "current:    version 2"
    assert [line for line in lines if line.startswith("version ")] == [
        next(line for line in lines if line.startswith("version 1: WITHDRAWN")),
        "version 2: CURRENT",
    ]
    assert lines[-1] == "MATCH: the stored data reproduce the published result."
    assert (
        "differs from today's data in: standings (expected: this version is no longer current)"
        in lines
    )


def test_results_command_with_withdrawn_latest_says_none_is_current(published):
    world = published
    withdraw_publication(contest=world.contest, by=world.organizer, reason="Kiểm lại")
    out = StringIO()

    call_command("results", "--contest", world.contest.slug, stdout=out)

    assert out.getvalue().splitlines()[1] == "current:    none (version 1 was withdrawn)"


def test_public_results_withdrawal_notice_in_vietnamese(published):
    world = published
    withdraw_publication(contest=world.contest, by=world.organizer, reason="Kiểm lại phiếu")

    page = Client(HTTP_ACCEPT_LANGUAGE="vi").get(f"/contests/{world.contest.slug}/results/")

    text = page.content.decode()
    assert "Kết quả đã công bố (phiên bản 1) đã bị thu hồi" in text
    assert "Các phiên bản đã công bố" in text

"""Publishing, verifying, committee decisions, certificates, exports and the library."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from clipcontest.audit.models import AuditEvent
from clipcontest.contests.models import PrizeTier
from clipcontest.core.errors import DomainError
from clipcontest.judging.models import Score
from clipcontest.results import certificates, domain, exports
from clipcontest.results.models import Award, LibraryItem, Publication
from tests.judging.factories import make_finalist, open_round, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(world):
    a = make_finalist(world.contest, world.team_a, "Xã Nghĩa Điền — chi trả không dùng tiền mặt")
    b = make_finalist(world.contest, world.team_b, '=HYPERLINK("x")')
    PrizeTier.objects.create(contest=world.contest, position=1, name="Giải Nhất toàn diện")
    r = open_round(world.contest, world.organizer)
    submit(r, world.juror, a, 9)
    return world, r, a, b


def test_publish_refuses_incomplete_scorecards_unless_a_reason_is_logged(scored):
    world, _r, _a, _b = scored
    with pytest.raises(DomainError, match="1 scorecards are not submitted"):
        domain.publish_results(contest=world.contest, by=world.organizer)
    assert Publication.objects.count() == 0
    pub = domain.publish_results(
        contest=world.contest,
        by=world.organizer,
        incomplete_reason="Giám khảo ốm, Ban Tổ chức quyết định",
    )
    assert pub.incomplete_override == "Giám khảo ốm, Ban Tổ chức quyết định"
    event = AuditEvent.objects.get(action="results.published")
    assert (event.reason, event.after["sha256"]) == (pub.incomplete_override, pub.sha256)


def test_publication_awards_prizes_and_fills_the_library(scored):
    world, r, a, b = scored
    submit(r, world.juror, b, 6)
    pub = domain.publish_results(contest=world.contest, by=world.organizer)
    assert list(Award.objects.filter(publication=pub).values_list("entry", flat=True)) == [a.pk]
    assert list(LibraryItem.objects.values_list("entry", "is_winner")) == [(a.pk, True)]


def test_verify_matches_then_detects_a_change_in_stored_scores(scored):
    world, r, _a, b = scored
    submit(r, world.juror, b, 6)
    domain.publish_results(contest=world.contest, by=world.organizer)
    assert domain.verify_publication(contest=world.contest).matches
    Score.objects.filter(scorecard__entry=b).update(value=2)  # tampering behind the app's back
    check = domain.verify_publication(contest=world.contest)
    assert (check.matches, "standings" in check.differences) == (False, True)
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("results", "--contest", world.contest.slug, stdout=out)
    assert exit_info.value.code == 1
    assert "MISMATCH" in out.getvalue()


def test_full_tie_on_a_prize_boundary_needs_a_committee_decision(scored):
    world, r, _a, b = scored
    submit(r, world.juror, b, 9)
    with pytest.raises(DomainError, match="committee decision"):
        domain.publish_results(contest=world.contest, by=world.organizer)
    domain.record_decision(
        contest=world.contest,
        entry=b,
        kind="tie",
        value=1,
        reason="Thông điệp rõ hơn",
        by=world.organizer,
    )
    pub = domain.publish_results(contest=world.contest, by=world.organizer)
    assert Award.objects.get(publication=pub).entry == b
    assert '"reason":"Thông điệp rõ hơn"' in pub.computation


def test_committee_decision_needs_a_reason_and_a_finalist(scored):
    world, _r, a, _b = scored
    with pytest.raises(DomainError, match="reason"):
        domain.record_decision(
            contest=world.contest, entry=a, kind="place", value=1, reason=" ", by=world.organizer
        )


@pytest.mark.parametrize(
    "values",
    [
        {"jury_percent": 80},
        {"tie_break": ["jury", "criterion:9"]},
        {"aggregation": "mode"},
        {"tie_break": ["jury", "jury"]},
    ],
)
def test_bad_methods_are_refused(world, values):
    from clipcontest.judging.domain import ensure_rubric

    ensure_rubric(contest=world.contest, by=world.organizer)
    with pytest.raises(DomainError):
        domain.set_method(contest=world.contest, by=world.organizer, **values)


def test_exports_in_csv_and_xlsx_defuse_formulas(scored):
    world, r, _a, b = scored
    submit(r, world.juror, b, 6)
    result = domain.compute_results(contest=world.contest)
    text = exports.to_csv(exports.table(result, "ranking")).decode("utf-8-sig")
    assert text.splitlines()[1].startswith("1,1,Xã Nghĩa Điền")
    assert "'=HYPERLINK" in text
    book = load_workbook(io.BytesIO(exports.to_xlsx(exports.table(result, "scores"))))
    rows = list(book.active.values)
    assert rows[0][:4] == ("Juror", "Pseudonym", "Entry", "Team")
    assert len(rows) == 3


def test_certificates_render_vietnamese_and_zip_one_pdf_per_team(scored, tmp_path):
    world, r, _a, b = scored
    submit(r, world.juror, b, 6)
    pub = domain.publish_results(contest=world.contest, by=world.organizer)
    found = certificates.certificates_for(pub)
    assert [c.team for c in found] == ["Tổ CNSCĐ xã Nghĩa Điền"]
    pdf = certificates.render(found[0], language="en")
    assert pdf.startswith(b"%PDF")
    with zipfile.ZipFile(io.BytesIO(certificates.zip_all(found, language="en"))) as archive:
        assert archive.namelist() == [found[0].filename]
    if shutil.which("pdftotext"):
        path = tmp_path / "c.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
        ).stdout
        assert "Tổ CNSCĐ xã Nghĩa Điền" in text
        assert "Giải Nhất toàn diện" in text


def test_winners_library_lists_winners_after_publication_and_guards_the_original(scored):
    world, r, a, b = scored
    submit(r, world.juror, b, 6)
    client = Client()
    assert client.get("/api/v1/library").json() == []
    domain.publish_results(contest=world.contest, by=world.organizer)
    items = client.get("/api/v1/library", {"contest": world.contest.slug}).json()
    assert [(i["title"], i["prizes"], i["original"]) for i in items] == [
        (a.title, ["Giải Nhất toàn diện"], None)
    ]
    assert "iframe" in items[0]["embed"]
    assert client.get("/api/v1/library", {"topic": "nothing"}).json() == []
    page = client.get("/library/").content.decode()
    assert a.title in page and b.title not in page
    assert client.get(f"/library/{a.public_id}/original").status_code == 404
    assert client.get(f"/library/{b.public_id}/").status_code == 404
    embed = client.get(f"/library/{a.public_id}/embed/")
    assert embed.status_code == 200 and "X-Frame-Options" not in embed

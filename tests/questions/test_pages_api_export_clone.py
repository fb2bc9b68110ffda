"""Organizer pages (no JavaScript needed), the team's answers page, the API with its
OpenAPI schema, the CSV/XLSX export and cloning with the edition."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from clipcontest.contests.domain import clone_contest
from clipcontest.questions import domain
from clipcontest.questions.enums import QuestionKind, Visibility
from clipcontest.questions.models import Answer, Question
from tests.questions.factories import add_question

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_organizer_adds_a_question_with_a_plain_form_post(world, open_contest):
    url = f"/manage/contests/{open_contest.slug}/questions/"
    response = logged_in(world.organizer).post(
        url,
        {
            "label": "Tổ có bao nhiêu thành viên?",
            "kind": "single",
            "choices": "Dưới 5\nTừ 5 đến 10\nTrên 10",
            "required": "on",
            "visibility": "jury",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.label, question.choices, question.required, question.visibility) == (
        "Tổ có bao nhiêu thành viên?",
        ["Dưới 5", "Từ 5 đến 10", "Trên 10"],
        True,
        Visibility.JURY,
    )
    assert "Tổ có bao nhiêu thành viên?" in logged_in(world.organizer).get(url).content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("organizer", 200), ("admin", 200), ("coord_a", 403), ("juror", 403), ("member_a", 403)],
)
def test_question_pages_are_for_organizers_only(world, role, status):
    response = logged_in(world.user(role)).get(f"/manage/contests/{world.contest.slug}/questions/")
    assert response.status_code == status


def test_locked_question_page_says_so_and_refuses_changes(world, open_contest, draft):
    question = add_question(open_contest, world.organizer)
    domain.save_answers(entry=draft, by=world.member_a, values={question.pk: "x"})
    url = f"/manage/contests/{open_contest.slug}/questions/{question.pk}/"
    client = logged_in(world.organizer)
    assert 'data-testid="locked"' in client.get(url).content.decode()
    client.post(url, {"label": "Khác", "kind": "short_text", "visibility": "organizer"})
    question.refresh_from_db()
    assert question.label == "Số điện thoại tổ trưởng"


def test_team_answers_on_the_answers_page(world, open_contest, draft):
    text = add_question(open_contest, world.organizer, label="Điện thoại", required=True)
    yes_no = add_question(open_contest, world.organizer, label="Có kịch bản?", kind="yes_no")
    client = logged_in(world.member_a)
    url = f"/entries/{draft.public_id}/answers/"
    assert "Điện thoại *" in client.get(url).content.decode()
    response = client.post(url, {f"q{text.pk}": "0905123456", f"q{yes_no.pk}": "no"})
    assert response.status_code == 302
    assert {a.question_id: a.value for a in Answer.objects.all()} == {
        text.pk: "0905123456",
        yes_no.pk: False,
    }
    assert logged_in(world.member_a).get(url).status_code == 200
    assert logged_in(world.organizer).get(url).status_code == 403


def test_api_manages_questions_and_answers(world, open_contest, draft):
    organizer = logged_in(world.organizer)
    base = f"/api/v1/contests/{open_contest.slug}/questions"
    created = organizer.post(
        base,
        {"label": "Số tháng hoạt động", "kind": "number", "required": True},
        content_type="application/json",
    )
    assert created.status_code == 201
    qid = created.json()["id"]
    team = logged_in(world.member_a)
    put = team.put(
        f"/api/v1/answers/{draft.public_id}",
        {"values": {str(qid): "14"}},
        content_type="application/json",
    )
    assert put.status_code == 200
    assert put.json() == [
        {
            "question": qid,
            "label": "Số tháng hoạt động",
            "kind": "number",
            "value": "14",
            "file_url": "",
        }
    ]
    bad = team.put(
        f"/api/v1/answers/{draft.public_id}",
        {"values": {str(qid): "nhiều"}},
        content_type="application/json",
    )
    assert (bad.status_code, bad.json()["messages"]) == (
        400,
        ["Số tháng hoạt động: Enter a number."],
    )
    locked = organizer.put(
        f"{base}/{qid}", {"label": "Khác", "kind": "number"}, content_type="application/json"
    )
    assert (locked.status_code, locked.json()["code"]) == (409, "conflict")
    assert Client().get(base).json()[0]["locked"] is True
    denied = team.post(base, {"label": "X", "kind": "short_text"}, content_type="application/json")
    assert denied.status_code == 403


def test_api_file_answer_is_sniffed(world, open_contest, draft):
    question = add_question(open_contest, world.organizer, label="Kịch bản", kind=QuestionKind.FILE)
    team = logged_in(world.member_a)
    url = f"/api/v1/answers/{draft.public_id}/{question.pk}/file?filename=k.pdf"
    refused = team.put(url, b"GIF8not really", content_type="application/octet-stream")
    assert refused.status_code == 400
    stored = team.put(url, b"%PDF-1.7\n%%EOF\n", content_type="application/octet-stream")
    assert stored.status_code == 200
    assert stored.json()[0]["value"] == {"name": "k.pdf", "size": 15, "type": "application/pdf"}


def test_openapi_schema_lists_the_question_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/contests/{slug}/questions" in paths
    assert "/api/v1/contests/{slug}/questions/{question_id}" in paths
    assert "/api/v1/answers/{public_id}" in paths
    assert "/api/v1/answers/{public_id}/{question_id}/file" in paths


def test_export_has_one_column_per_question_and_defuses_formulas(world, open_contest, draft):
    phone = add_question(open_contest, world.organizer, label="Điện thoại")
    topics = add_question(
        open_contest, world.organizer, label="Chủ đề", kind="multiple", choices=["Chợ", "Y tế"]
    )
    domain.save_answers(
        entry=draft,
        by=world.member_a,
        values={phone.pk: '=HYPERLINK("http://evil")', topics.pk: ["Y tế", "Chợ"]},
    )
    client = logged_in(world.organizer)
    body = client.get(f"/manage/contests/{open_contest.slug}/answers.csv").content.decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["Entry", "Title", "Team", "Unit", "Status", "Điện thoại", "Chủ đề"]
    assert rows[1][1:] == [
        "Chuyển đổi số",
        "Tổ CNSCĐ xã Nghĩa Điền",
        "Xã Nghĩa Điền",
        "draft",
        '\'=HYPERLINK("http://evil")',
        "Chợ, Y tế",
    ]
    xlsx = client.get(f"/manage/contests/{open_contest.slug}/answers.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]][5:] == ['\'=HYPERLINK("http://evil")', "Chợ, Y tế"]
    assert (
        logged_in(world.coord_a)
        .get(f"/manage/contests/{open_contest.slug}/answers.csv")
        .status_code
        == 403
    )


def test_clone_copies_active_questions_with_their_conditions(world):
    source = world.contest
    parent = add_question(source, world.organizer, label="Có kịch bản?", kind="yes_no")
    add_question(
        source,
        world.organizer,
        label="Kịch bản (PDF)",
        kind="file",
        required=True,
        condition_on=parent,
        condition_value="yes",
        visibility=Visibility.JURY,
    )
    old = add_question(source, world.organizer, label="Câu cũ")
    domain.retire_question(question=old, by=world.organizer)
    new = clone_contest(
        source=source,
        by=world.organizer,
        slug="lan-2",
        title="Lần 2",
        edition=2,
        submission_starts_at=dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
    )
    copied = list(Question.objects.filter(contest=new).order_by("position"))
    assert [(q.label, q.kind, q.required, q.visibility) for q in copied] == [
        ("Có kịch bản?", "yes_no", False, Visibility.ORGANIZER),
        ("Kịch bản (PDF)", "file", True, Visibility.JURY),
    ]
    assert (copied[1].condition_on_id, copied[1].condition_value) == (copied[0].pk, "yes")

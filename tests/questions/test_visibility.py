"""Who reads which answer: per role on the entry page and in the API, on the jury card
(blind rounds hide team facts), in the screening queue and in the gallery."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from clipcontest.questions.enums import QuestionKind, Visibility
from clipcontest.screening import domain as screening_domain
from tests.factories import add_video
from tests.judging.factories import make_finalist, open_round
from tests.questions.factories import add_answer, add_question

from ..screening.factories import submitted_entry
from ..screening.test_pages import count_queries, logged_in, queue_url

pytestmark = pytest.mark.django_db

ANSWERS = {
    "organizer": "0905 111 222",
    "coordinators": "Đã hoạt động 14 tháng",
    "jury_team_fact": "Tổ trưởng: Nguyễn Văn Bí Mật",
    "jury_blind_safe": "Quay bằng điện thoại",
    "public": "Chuyển đổi số ở chợ",
}
ROLES = ["anonymous", "outsider", "coord_b", "member_a", "coord_a", "juror", "organizer", "admin"]
SEES = {
    "anonymous": {"public"},
    "outsider": {"public"},
    "coord_b": {"public"},
    "member_a": set(ANSWERS),
    "coord_a": {"coordinators", "jury_team_fact", "jury_blind_safe", "public"},
    # the juror's round is blind: only answers marked safe for blind judging
    "juror": {"jury_blind_safe"},
    "organizer": set(ANSWERS),
    "admin": set(ANSWERS),
}


def client_for(world, role: str) -> Client:
    client = Client()
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def answered(world):
    entry = make_finalist(world.contest, world.team_a, "Chợ 4.0")
    by = world.organizer
    questions = {
        "organizer": add_question(world.contest, by, label="Số điện thoại tổ trưởng"),
        "coordinators": add_question(
            world.contest, by, label="Hoạt động", visibility=Visibility.COORDINATORS
        ),
        "jury_team_fact": add_question(
            world.contest, by, label="Tổ trưởng", visibility=Visibility.JURY
        ),
        "jury_blind_safe": add_question(
            world.contest, by, label="Thiết bị", visibility=Visibility.JURY, blind_safe=True
        ),
        "public": add_question(world.contest, by, label="Chủ đề", visibility=Visibility.PUBLIC),
    }
    for key, question in questions.items():
        add_answer(entry, question, ANSWERS[key])
    open_round(world.contest, world.organizer)  # blind by default
    return entry


def _seen(text: str) -> set[str]:
    return {k for k, v in ANSWERS.items() if v in text or json.dumps(v)[1:-1] in text}


@pytest.mark.parametrize("role", ROLES)
def test_entry_page_shows_answers_by_visibility(world, answered, role):
    html = client_for(world, role).get(f"/entries/{answered.public_id}/").content.decode()
    assert _seen(html) == SEES[role]


@pytest.mark.parametrize("role", ROLES)
def test_api_answers_by_visibility(world, answered, role):
    response = client_for(world, role).get(f"/api/v1/answers/{answered.public_id}")
    assert response.status_code == 200
    assert {a["value"] for a in response.json()} == {ANSWERS[k] for k in SEES[role]}


def test_jury_card_in_blind_round_hides_team_facts_and_organizer_answers(world, answered):
    html = client_for(world, "juror").get(f"/jury/{world.contest.slug}/1/{answered.public_id}/")
    assert _seen(html.content.decode()) == {"jury_blind_safe"}


def test_jury_card_in_open_round_shows_every_jury_answer(world):
    entry = make_finalist(world.contest, world.team_a, "Công khai")
    fact = add_question(
        world.contest, world.organizer, label="Tổ trưởng", visibility=Visibility.JURY
    )
    secret = add_question(world.contest, world.organizer, label="Điện thoại")
    add_answer(entry, fact, "Nguyễn Văn Bí Mật")
    add_answer(entry, secret, "0905 111 222")
    open_round(world.contest, world.organizer, blind=False)
    html = client_for(world, "juror").get(f"/jury/{world.contest.slug}/1/{entry.public_id}/")
    text = html.content.decode()
    assert "Nguyễn Văn Bí Mật" in text
    assert "0905 111 222" not in text


def test_gallery_entry_page_shows_public_answers_only(world, answered):
    add_video(answered)
    html = Client().get(f"/contests/{world.contest.slug}/gallery/{answered.public_id}/")
    text = html.content.decode()
    assert html.status_code == 200
    assert _seen(text) == {"public"}


def test_file_download_follows_visibility(world, open_contest, draft):
    from clipcontest.questions import domain
    from clipcontest.questions.models import Answer

    from .test_domain import PDF, NamedBytes

    question = add_question(open_contest, world.organizer, label="Kịch bản", kind=QuestionKind.FILE)
    domain.save_answers(
        entry=draft, by=world.member_a, values={}, uploads={question.pk: NamedBytes(PDF, "k.pdf")}
    )
    url = f"/answers/{Answer.objects.get().pk}/file/"
    for role, status in [
        ("member_a", 200),
        ("organizer", 200),
        ("juror", 404),
        ("coord_a", 404),
        ("anonymous", 404),
    ]:
        response = client_for(world, role).get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        assert (role, response.status_code) == (role, status)
    response = client_for(world, "organizer").get(url)
    body = b"".join(response.streaming_content)
    assert body == PDF


def test_screening_queue_shows_coordinator_answers_in_constant_queries(
    world, screening, at_commune
):
    question = add_question(
        world.contest, world.organizer, label="Hoạt động", visibility=Visibility.COORDINATORS
    )
    hidden = add_question(world.contest, world.organizer, label="Điện thoại")
    add_answer(screening.entry_a, question, "Đã hoạt động 14 tháng")
    add_answer(screening.entry_a, hidden, "0905 111 222")
    client = logged_in(world.coord_commune_a)
    url = queue_url(world, world.commune_a)
    html = client.get(url).content.decode()
    assert "Đã hoạt động 14 tháng" in html
    assert "0905 111 222" not in html
    one = count_queries(client, url)
    for slot in (2, 3):
        entry = submitted_entry(world.contest, world.team_a, slot=slot, title=f"Thêm {slot}")
        add_answer(entry, question, f"Câu trả lời {slot}")
    from tests.screening.factories import during

    screening_domain.enter_screening(contest=world.contest, now=during(screening.commune))
    assert count_queries(client, url) == one

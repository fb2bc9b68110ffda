"""Questions: defining, locking, retiring, answering (files sniffed) and submitting."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage

from clipcontest.audit.models import AuditEvent
from clipcontest.core.errors import Conflict, DomainError
from clipcontest.entries.domain import submit_entry
from clipcontest.entries.enums import EntryStatus
from clipcontest.questions import domain
from clipcontest.questions.enums import QuestionKind, Visibility
from clipcontest.questions.files import MAX_FILE_BYTES
from clipcontest.questions.models import Answer, Question
from tests.factories import add_video
from tests.questions.factories import add_question

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class NamedBytes(io.BytesIO):
    def __init__(self, content: bytes, name: str):
        super().__init__(content)
        self.name = name


def test_add_question_appends_in_order_and_logs(world, open_contest):
    first = add_question(open_contest, world.organizer)
    second = add_question(
        open_contest,
        world.organizer,
        label="Tổ đã hoạt động bao nhiêu tháng?",
        kind=QuestionKind.NUMBER,
    )
    assert [first.position, second.position] == [1, 2]
    assert AuditEvent.objects.filter(action="question.added").count() == 2


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"label": " ", "kind": QuestionKind.SHORT_TEXT}, "A question needs its text."),
        ({"label": "Q", "kind": "colour"}, "Choose the kind of question."),
        (
            {"label": "Q", "kind": QuestionKind.SINGLE_CHOICE, "choices": ["Một"]},
            "A choice question needs at least two options.",
        ),
        (
            {"label": "Q", "kind": QuestionKind.SHORT_TEXT, "visibility": "friends"},
            "Choose who sees the answers.",
        ),
    ],
)
def test_add_question_refuses_bad_definitions(world, open_contest, values, message):
    with pytest.raises(DomainError) as caught:
        domain.add_question(contest=open_contest, by=world.organizer, **values)
    assert caught.value.messages == [message]
    assert Question.objects.count() == 0


def test_condition_must_be_on_a_choice_question_and_one_of_its_options(world, open_contest):
    text = add_question(open_contest, world.organizer)
    choice = add_question(
        open_contest,
        world.organizer,
        label="Có kịch bản?",
        kind=QuestionKind.SINGLE_CHOICE,
        choices=["Có", "Không"],
    )
    with pytest.raises(DomainError) as on_text:
        add_question(
            open_contest, world.organizer, label="X", condition_on=text, condition_value="a"
        )
    with pytest.raises(DomainError) as wrong_value:
        add_question(
            open_contest, world.organizer, label="X", condition_on=choice, condition_value="Có lẽ"
        )
    assert on_text.value.messages == ["A condition can only depend on a choice or yes/no question."]
    assert wrong_value.value.messages == [
        "The condition must be one of the options of the question it depends on."
    ]
    child = add_question(
        open_contest, world.organizer, label="X", condition_on=choice, condition_value="Có"
    )
    assert (child.condition_on_id, child.condition_value) == (choice.pk, "Có")


def test_answered_question_is_locked_and_can_be_retired(world, open_contest, draft):
    question = add_question(open_contest, world.organizer)
    domain.save_answers(entry=draft, by=world.member_a, values={question.pk: "0905123456"})
    with pytest.raises(Conflict):
        domain.update_question(question=question, by=world.organizer, label="Khác")
    with pytest.raises(Conflict):
        domain.delete_question(question=question, by=world.organizer)
    domain.retire_question(question=question, by=world.organizer)
    question.refresh_from_db()
    assert question.label == "Số điện thoại tổ trưởng"
    assert question.retired_at is not None
    assert domain.active_questions(open_contest) == []
    assert Answer.objects.get(question=question).value == "0905123456"


def test_unanswered_question_can_change_and_be_deleted(world, open_contest):
    question = add_question(open_contest, world.organizer)
    domain.update_question(
        question=question, by=world.organizer, label="Email tổ trưởng", required=True
    )
    question.refresh_from_db()
    assert (question.label, question.required) == ("Email tổ trưởng", True)
    domain.delete_question(question=question, by=world.organizer)
    assert Question.objects.count() == 0


def test_move_question_swaps_but_keeps_dependents_after_their_parent(world, open_contest):
    parent = add_question(open_contest, world.organizer, label="P", kind=QuestionKind.YES_NO)
    child = add_question(
        open_contest, world.organizer, label="C", condition_on=parent, condition_value="yes"
    )
    other = add_question(open_contest, world.organizer, label="O")
    with pytest.raises(DomainError):
        domain.move_question(question=child, by=world.organizer, up=True)
    domain.move_question(question=other, by=world.organizer, up=True)
    order = list(Question.objects.filter(contest=open_contest).values_list("label", flat=True))
    assert order == ["P", "O", "C"]


def test_save_answers_stores_each_kind_and_logs(world, open_contest, draft):
    qs = {
        kind: add_question(
            open_contest,
            world.organizer,
            label=str(kind),
            kind=kind,
            choices=["A", "B"] if kind in QuestionKind.with_choices() else (),
        )
        for kind in QuestionKind.values
        if kind != QuestionKind.FILE
    }
    raw = {
        "short_text": "Tổ 3",
        "long_text": "Kịch bản",
        "number": "14",
        "date": "2026-01-31",
        "single": "B",
        "multiple": ["B", "A"],
        "yes_no": "yes",
        "url": "https://example.org/",
    }
    domain.save_answers(
        entry=draft, by=world.member_a, values={qs[k].pk: v for k, v in raw.items()}
    )
    stored = {a.question.kind: a.value for a in Answer.objects.select_related("question")}
    assert stored == {**raw, "multiple": ["A", "B"], "yes_no": True}
    assert AuditEvent.objects.filter(action="entry.answers_saved").count() == 1


def test_save_answers_is_all_or_nothing(world, open_contest, draft):
    good = add_question(open_contest, world.organizer, label="Tên")
    bad = add_question(open_contest, world.organizer, label="Số tháng", kind=QuestionKind.NUMBER)
    with pytest.raises(DomainError) as caught:
        domain.save_answers(entry=draft, by=world.member_a, values={good.pk: "x", bad.pk: "nhiều"})
    assert caught.value.messages == ["Số tháng: Enter a number."]
    assert Answer.objects.count() == 0


def test_file_answer_is_stored_through_storage_and_sniffed(world, open_contest, draft):
    question = add_question(
        open_contest, world.organizer, label="Kịch bản (PDF)", kind=QuestionKind.FILE
    )
    domain.save_answers(
        entry=draft,
        by=world.member_a,
        values={},
        uploads={question.pk: NamedBytes(PDF, "kich-ban.pdf")},
    )
    answer = Answer.objects.get()
    assert answer.value == {"name": "kich-ban.pdf", "size": len(PDF), "type": "application/pdf"}
    with default_storage.open(answer.file.name, "rb") as handle:
        assert handle.read() == PDF
    assert answer.file.name.endswith(".pdf")
    # saving other answers keeps the file
    domain.save_answers(entry=draft, by=world.member_a, values={})
    assert Answer.objects.get().file.name == answer.file.name


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            b"MZ\x90\x00 not a pdf",
            "kich-ban.pdf",
            "The file must be a PDF or an image (PNG, JPEG, WebP or GIF).",
        ),
        (
            b"<svg onload=alert(1)>",
            "anh.png",
            "The file must be a PDF or an image (PNG, JPEG, WebP or GIF).",
        ),
        (PNG + b"\x00" * MAX_FILE_BYTES, "anh.png", "The file is larger than 10 MB."),
    ],
)
def test_file_answer_refuses_by_content_not_name(
    world, open_contest, draft, content, name, message
):
    question = add_question(open_contest, world.organizer, label="Tệp", kind=QuestionKind.FILE)
    with pytest.raises(DomainError) as caught:
        domain.save_answers(
            entry=draft,
            by=world.member_a,
            values={},
            uploads={question.pk: NamedBytes(content, name)},
        )
    assert caught.value.messages == [f"Tệp: {message}"]
    assert Answer.objects.count() == 0


def test_submit_is_refused_until_required_question_is_answered(world, open_contest, draft):
    add_video(draft)
    question = add_question(
        open_contest, world.organizer, label="Số điện thoại tổ trưởng", required=True
    )
    with pytest.raises(DomainError) as caught:
        submit_entry(entry=draft, by=world.member_a)
    assert caught.value.messages == ["Answer the question “Số điện thoại tổ trưởng”."]
    domain.save_answers(entry=draft, by=world.member_a, values={question.pk: "0905123456"})
    assert submit_entry(entry=draft, by=world.member_a).status == EntryStatus.SUBMITTED


def test_conditional_required_question_only_counts_when_its_condition_holds(
    world, open_contest, draft
):
    add_video(draft)
    script = add_question(
        open_contest, world.organizer, label="Có kịch bản?", kind=QuestionKind.YES_NO, required=True
    )
    add_question(
        open_contest,
        world.organizer,
        label="Kịch bản (PDF)",
        kind=QuestionKind.FILE,
        required=True,
        condition_on=script,
        condition_value="yes",
    )
    domain.save_answers(entry=draft, by=world.member_a, values={script.pk: "yes"})
    with pytest.raises(DomainError) as caught:
        submit_entry(entry=draft, by=world.member_a)
    assert caught.value.messages == ["Answer the question “Kịch bản (PDF)”."]
    domain.save_answers(entry=draft, by=world.member_a, values={script.pk: "no"})
    assert submit_entry(entry=draft, by=world.member_a).status == EntryStatus.SUBMITTED


def test_answers_cannot_change_after_submission(world, open_contest, draft):
    add_video(draft)
    question = add_question(open_contest, world.organizer)
    submit_entry(entry=draft, by=world.member_a)
    with pytest.raises(DomainError) as caught:
        domain.save_answers(entry=draft, by=world.member_a, values={question.pk: "x"})
    assert caught.value.messages == ["Only a draft entry can be changed."]


def test_visibility_default_is_organizer_only(world, open_contest):
    assert add_question(open_contest, world.organizer).visibility == Visibility.ORGANIZER

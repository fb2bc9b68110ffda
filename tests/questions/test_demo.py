"""The demo's open edition asks three questions and has a sent announcement in the outbox."""

from __future__ import annotations

import email
from email.policy import default

import pytest
from django.conf import settings

from clipcontest.announcements.demo import load_demo_announcement
from clipcontest.announcements.enums import DeliveryState
from clipcontest.announcements.models import Recipient
from clipcontest.questions.demo import load_demo_questions
from clipcontest.questions.models import Question

pytestmark = pytest.mark.django_db


def test_demo_questions_and_announcement_are_idempotent_and_in_the_outbox(world, open_contest):
    world.member_a.email = "to.nghiadien@demo.clipcontest.local"
    world.member_a.save()
    load_demo_questions(contest=open_contest, by=world.organizer)
    load_demo_announcement(contest=open_contest, by=world.organizer)
    assert load_demo_questions(contest=open_contest, by=world.organizer) == []
    assert load_demo_announcement(contest=open_contest, by=world.organizer) is None
    assert list(Question.objects.filter(contest=open_contest).values_list("label", "kind")) == [
        ("Số điện thoại tổ trưởng", "short_text"),
        ("Tổ đã hoạt động bao nhiêu tháng?", "number"),
        ("Kịch bản (PDF)", "file"),
    ]
    recipients = Recipient.objects.all()
    assert {r.state for r in recipients} == {DeliveryState.SENT}
    files = sorted((settings.OUTBOX_DIR / "email").glob("*.eml"))
    assert len(files) == recipients.count()
    message = email.message_from_bytes(files[0].read_bytes(), policy=default)
    assert str(message["Subject"]).strip().startswith("Nhắc hạn: ")

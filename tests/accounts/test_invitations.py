from __future__ import annotations

import datetime as dt
from email import message_from_bytes

import pytest
import time_machine
from django.conf import settings

from clipcontest.accounts import domain
from clipcontest.accounts.enums import Role
from clipcontest.accounts.models import RoleGrant, User
from clipcontest.audit.models import AuditEvent
from clipcontest.core.errors import DomainError

pytestmark = pytest.mark.django_db


def outbox_messages():
    folder = settings.OUTBOX_DIR / "email"
    return [message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]


def test_invitation_is_mailed_to_outbox_with_link(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _inv, token = domain.invite(
            by=world.coord_a, email="Can.Bo@Example.vn", role=Role.COORDINATOR, unit=world.commune_a
        )
    [message] = outbox_messages()
    assert message["To"] == "can.bo@example.vn"
    body = message.get_payload(decode=True).decode()
    assert f"/invite/{token}/" in body


def test_accepting_invitation_creates_user_and_grant(world):
    invitation, token = domain.invite(
        by=world.coord_a, email="new@example.vn", role=Role.COORDINATOR, unit=world.commune_a
    )
    user = domain.accept_invitation(
        token=token, password="Mật-khẩu-dài-2023", display_name="Nguyễn Văn B"
    )
    assert user.check_password("Mật-khẩu-dài-2023")
    assert user.display_name == "Nguyễn Văn B"
    assert (
        RoleGrant.objects.filter(user=user, role=Role.COORDINATOR, unit=world.commune_a).count()
        == 1
    )
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert AuditEvent.objects.filter(action="invitation.accepted").count() == 1
    with pytest.raises(DomainError, match="invalid, used or expired"):
        domain.accept_invitation(token=token, password="Mật-khẩu-dài-2023")


def test_expired_invitation_is_refused(world):
    _inv, token = domain.invite(
        by=world.organizer, email="late@example.vn", role=Role.JUROR, contest=world.contest
    )
    with (
        time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=15)),
        pytest.raises(DomainError),
    ):
        domain.accept_invitation(token=token, password="Mật-khẩu-dài-2023")
    assert not User.objects.filter(email="late@example.vn").exists()


def test_weak_password_is_refused_and_nothing_saved(world):
    _inv, token = domain.invite(
        by=world.organizer, email="weak@example.vn", role=Role.JUROR, contest=world.contest
    )
    with pytest.raises(DomainError):
        domain.accept_invitation(token=token, password="123")
    assert not User.objects.filter(email="weak@example.vn").exists()
    assert domain.find_invitation(token) is not None


def test_team_member_invitation_adds_membership(world):
    _inv, token = domain.invite(
        by=world.member_a, email="m@example.vn", role=Role.TEAM_MEMBER, team=world.team_a
    )
    user = domain.accept_invitation(token=token, password="Mật-khẩu-dài-2023")
    assert list(world.team_a.members.all().order_by("username")) == [user, world.member_a]


def test_invitation_needs_a_target():
    with pytest.raises(DomainError, match="unit"):
        domain.invite(by=None, email="x@example.vn", role=Role.COORDINATOR)


def test_api_token_resolves_user_and_is_stored_hashed(world):
    token, raw = domain.create_api_token(user=world.organizer, name="script")
    assert raw not in token.key_hash
    assert domain.user_for_token(raw) == world.organizer
    assert domain.user_for_token(raw + "x") is None
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_grant_role_is_idempotent(world):
    first = domain.grant_role(
        user=world.outsider, role=Role.COORDINATOR, unit=world.commune_b, by=world.admin
    )
    second = domain.grant_role(
        user=world.outsider, role=Role.COORDINATOR, unit=world.commune_b, by=world.admin
    )
    assert first.pk == second.pk
    assert AuditEvent.objects.filter(action="role.granted").count() == 1


def test_password_reset_mails_a_working_link(world, client):
    world.organizer.email = "bantochuc@example.vn"
    world.organizer.save()
    response = client.post("/password-reset/", {"email": "bantochuc@example.vn"})
    assert response.status_code == 302
    [message] = outbox_messages()
    body = message.get_payload(decode=True).decode()
    link = next(line for line in body.splitlines() if "/password-reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get(f"/{path}", follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Mật-khẩu-mới-2024", "new_password2": "Mật-khẩu-mới-2024"},
    )
    assert response.status_code == 302
    world.organizer.refresh_from_db()
    assert world.organizer.check_password("Mật-khẩu-mới-2024")

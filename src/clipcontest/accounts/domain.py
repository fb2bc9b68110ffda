"""Roles, invitations and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clipcontest.audit.domain import record
from clipcontest.core.errors import DomainError
from clipcontest.org.domain import add_team_member

from .enums import Role
from .models import ApiToken, Invitation, RoleGrant, User
from .tasks import send_invitation_email


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def grant_role(
    *, user: User, role: str, by: Any, unit: Any = None, contest: Any = None
) -> RoleGrant:
    """Give a role (idempotent: an existing grant is returned unchanged); logged."""
    if role in Role.unit_roles() and (unit is None or contest is not None):
        raise DomainError(_("An organizer or coordinator is attached to one unit."))
    if role == Role.JUROR and contest is None:
        raise DomainError(_("A juror is attached to a contest."))
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(
                user=user, role=role, unit=unit, contest=contest, granted_by=by
            )
    except IntegrityError:
        return RoleGrant.objects.get(user=user, role=role, unit=unit, contest=contest)
    record(
        action="role.granted",
        target=user,
        actor=by,
        contest=contest,
        after={"role": role, "unit": getattr(unit, "code", None)},
    )
    return grant


@transaction.atomic
def revoke_role(*, grant: RoleGrant, by: Any) -> None:
    """Take a role away; logged."""
    record(
        action="role.revoked",
        target=grant.user,
        actor=by,
        contest=grant.contest,
        before={"role": grant.role, "unit": getattr(grant.unit, "code", None)},
    )
    grant.delete()


def _validate_invitation_target(role: str, unit: Any, contest: Any, team: Any) -> None:
    if role in Role.unit_roles() and unit is None:
        raise DomainError(_("Choose the unit this person will coordinate or organize."))
    if role == Role.JUROR and contest is None:
        raise DomainError(_("Choose the contest this juror will judge."))
    if role == Role.TEAM_MEMBER and team is None:
        raise DomainError(_("Choose the team this person joins."))


def invite(
    *,
    by: Any,
    email: str,
    role: str,
    unit: Any = None,
    contest: Any = None,
    team: Any = None,
    display_name: str = "",
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link after commit; logged.

    Returns the invitation and the raw token (shown nowhere else; only its hash is kept).
    """
    email = email.strip().lower()
    if "@" not in email:
        raise DomainError(_("Enter a valid e-mail address."))
    _validate_invitation_target(role, unit, contest, team)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            display_name=display_name,
            role=role,
            unit=unit,
            contest=contest,
            team=team,
            token_hash=_hash(token),
            created_by=by,
            expires_at=timezone.now() + dt.timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
        )
        record(
            action="invitation.created",
            target=invitation,
            actor=by,
            contest=contest,
            after={"email": email, "role": role},
        )
        language = translation.get_language() or settings.LANGUAGE_CODE
        transaction.on_commit(lambda: send_invitation_email(invitation.pk, token, language))
    return invitation, token


def mail_invitation(*, invitation_id: int, token: str, language: str) -> None:
    """Send the invitation e-mail (called by the queue); skips used or deleted ones."""
    invitation = (
        Invitation.objects.select_related("unit", "contest", "team")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is None:
        return
    with translation.override(language):
        context = {
            "invitation": invitation,
            "url": f"{settings.SITE_URL}/invite/{token}/",
            "days": settings.INVITATION_MAX_AGE_DAYS,
        }
        subject = _("You are invited to clipcontest as %(role)s") % {
            "role": invitation.get_role_display()
        }
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


def find_invitation(token: str) -> Invitation | None:
    """The open invitation for a raw token, or None (unknown, used or expired)."""
    invitation = Invitation.objects.filter(token_hash=_hash(token)).first()
    if invitation is None or not invitation.is_open:
        return None
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, password: str, display_name: str = "") -> User:
    """Take up an invitation: create the account (or reuse the one with that e-mail),
    set its password, give the role and mark the invitation used; logged."""
    invitation = Invitation.objects.select_for_update().filter(token_hash=_hash(token)).first()
    if invitation is None or not invitation.is_open:
        raise DomainError(_("This invitation link is invalid, used or expired."))
    user = User.objects.filter(email__iexact=invitation.email).first()
    candidate = user or User(username=invitation.email, email=invitation.email)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise DomainError(*exc.messages) from exc
    if user is None:
        user = User(username=invitation.email, email=invitation.email)
    user.display_name = display_name.strip() or invitation.display_name or user.display_name
    user.set_password(password)
    user.save()
    if invitation.role == Role.TEAM_MEMBER:
        assert invitation.team is not None  # guaranteed by invite()
        add_team_member(team=invitation.team, user=user, by=user)
    else:
        grant_role(
            user=user,
            role=invitation.role,
            unit=invitation.unit,
            contest=invitation.contest,
            by=invitation.created_by,
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(
        action="invitation.accepted",
        target=invitation,
        actor=user,
        contest=invitation.contest,
        after={"user": user.pk},
    )
    return user


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Issue a bearer token; the raw value is returned once and never stored."""
    raw = f"cc_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name or "API", prefix=raw[3:11], key_hash=_hash(raw)
    )
    record(action="api_token.created", target=user, actor=user, after={"name": token.name})
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: Any) -> None:
    """Stop a token from working (kept for the record); logged."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        record(action="api_token.revoked", target=token.user, actor=by, after={"name": token.name})


def user_for_token(raw: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user

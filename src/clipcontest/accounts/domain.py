"""Roles, invitations and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
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
from clipcontest.org.models import TeamMembership

from .enums import Role, TokenScope
from .models import ApiToken, Invitation, RoleGrant, User, password_fingerprint
from .tasks import send_invitation_email

MAX_TOKEN_DAYS = 366
LAST_USE_RESOLUTION = dt.timedelta(minutes=1)


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
    """Take a role away; logged. The person's API tokens are revoked (logged) when it
    was their last role."""
    record(
        action="role.revoked",
        target=grant.user,
        actor=by,
        contest=grant.contest,
        before={"role": grant.role, "unit": getattr(grant.unit, "code", None)},
    )
    grant.delete()
    if not has_any_role(grant.user):
        revoke_all_api_tokens(user=grant.user, by=by, reason="last role ended")


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
def create_api_token(
    *, user: User, name: str, scope: str = TokenScope.WRITE, days: int | None = None
) -> tuple[ApiToken, str]:
    """Issue a bearer token for ``days`` (default ``API_TOKEN_MAX_AGE_DAYS``) with a read
    or read-write scope, bound to the current password; logged. The raw value is
    returned once and never stored."""
    days = settings.API_TOKEN_MAX_AGE_DAYS if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise DomainError(
            _("A token lasts from 1 to %(n)s days.") % {"n": MAX_TOKEN_DAYS}, code="invalid"
        )
    if scope not in TokenScope.values:
        raise DomainError(_("Choose read-only or read-write."))
    raw = f"cc_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name or "API",
        prefix=raw[3:11],
        key_hash=_hash(raw),
        scope=scope,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
        password_fingerprint=password_fingerprint(user.password),
    )
    record(
        action="api_token.created",
        target=user,
        actor=user,
        after={"name": token.name, "scope": scope, "days": days},
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: Any) -> None:
    """Stop a token from working (kept for the record); logged."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        record(action="api_token.revoked", target=token.user, actor=by, after={"name": token.name})


def revoke_all_api_tokens(*, user: User, by: Any, reason: str) -> int:
    """Stop every working token of ``user``; logged when there was one. Returns how many."""
    updated = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        record(
            action="api_token.revoked",
            target=user,
            actor=by,
            after={"count": updated, "reason": reason},
        )
    return updated


def has_any_role(user: User) -> bool:
    """A site administrator, or someone with a role grant or a team."""
    return bool(
        user.is_superuser
        or RoleGrant.objects.filter(user=user).exists()
        or TeamMembership.objects.filter(user=user).exists()
    )


def active_tokens(user: User) -> Any:
    """The tokens that still work: not revoked, not expired, issued for this password."""
    now = timezone.now()
    return user.api_tokens.filter(
        revoked_at__isnull=True,
        expires_at__gt=now,
        password_fingerprint=password_fingerprint(user.password),
    ).order_by("-created_at")


def token_for(raw: str) -> ApiToken | None:
    """The working token a raw bearer value designates, with its user, or None.

    Records its last use at most once a minute (one UPDATE)."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if not hmac.compare_digest(
        token.password_fingerprint, password_fingerprint(token.user.password)
    ):
        return None
    if not has_any_role(token.user):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def user_for_token(raw: str) -> User | None:
    """The active user a working bearer token belongs to, or None."""
    token = token_for(raw)
    return token.user if token else None

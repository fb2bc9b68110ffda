"""People, their roles on units and contests, invitations and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .enums import Role, TokenScope


class User(AbstractUser):
    display_name = models.CharField(_("full name"), max_length=150, blank=True)

    class Meta(AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=~Q(email=""), name="user_email_unique"
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class RoleGrant(models.Model):
    """A role held by a user: organizer or coordinator of a unit, juror of a contest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="role_grants"
    )
    contest = models.ForeignKey(
        "contests.Contest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        role__in=["organizer", "coordinator"],
                        unit__isnull=False,
                        contest__isnull=True,
                    )
                    | Q(role="juror", contest__isnull=False)
                ),
                name="rolegrant_shape",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=Q(contest__isnull=True),
                name="rolegrant_unit_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "contest"],
                condition=Q(contest__isnull=False),
                name="rolegrant_contest_unique",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit or self.contest
        return f"{self.user}: {self.get_role_display()} ({where})"


class Invitation(models.Model):
    """An e-mailed link that lets a person set a password and take up a role."""

    email = models.EmailField(_("e-mail"))
    display_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.CASCADE)
    contest = models.ForeignKey("contests.Contest", null=True, blank=True, on_delete=models.CASCADE)
    team = models.ForeignKey("org.Team", null=True, blank=True, on_delete=models.CASCADE)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.get_role_display()}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    scope = models.CharField(
        _("scope"), max_length=8, choices=TokenScope.choices, default=TokenScope.WRITE
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    # An HMAC of the owner's password hash when the token was issued: a changed or
    # reset password no longer matches, and the token stops working.
    password_fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


def password_fingerprint(password_hash: str) -> str:
    """What ``ApiToken.password_fingerprint`` holds for a user's stored password hash."""
    return salted_hmac(
        "clipcontest.accounts.ApiToken.password_fingerprint", password_hash, algorithm="sha256"
    ).hexdigest()

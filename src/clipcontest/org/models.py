"""Administrative hierarchies as data: any depth, levels per hierarchy, teams in units."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import TeamRole

unit_code_validator = RegexValidator(
    r"^[A-Za-z0-9_.-]{1,32}$",
    _("A unit code may only contain letters, digits, '.', '_' and '-' (at most 32)."),
)


class Hierarchy(models.Model):
    """One tree of administrative units, e.g. "Quảng Ngãi 2023" or "Việt Nam 2025"."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hierarchy")
        verbose_name_plural = _("hierarchies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Level(models.Model):
    """A tier of a hierarchy (tỉnh, huyện, xã, thôn); rank 0 is the top."""

    hierarchy = models.ForeignKey(Hierarchy, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(_("name"), max_length=60)
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["hierarchy", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["hierarchy", "name"], name="level_name_unique"),
            models.UniqueConstraint(fields=["hierarchy", "rank"], name="level_rank_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class UnitQuerySet(models.QuerySet["Unit"]):
    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        """The unit and everything below it (one indexed prefix match)."""
        return self.filter(hierarchy_id=unit.hierarchy_id, path__startswith=unit.path)


class Unit(models.Model):
    """An administrative unit. ``path`` is the chain of codes from the root, e.g. /51/492/."""

    hierarchy = models.ForeignKey(Hierarchy, on_delete=models.CASCADE, related_name="units")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField(_("code"), max_length=32, validators=[unit_code_validator])
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    path = models.CharField(max_length=600, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["hierarchy", "code"], name="unit_code_unique"),
            models.UniqueConstraint(fields=["hierarchy", "path"], name="unit_path_unique"),
        ]
        indexes = [models.Index(fields=["hierarchy", "path"], name="unit_path_idx")]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def make_path(parent_path: str | None, code: str) -> str:
        return f"{parent_path or '/'}{code}/"

    def is_within(self, other: Unit) -> bool:
        """True if self is ``other`` or lies below it."""
        return self.hierarchy_id == other.hierarchy_id and self.path.startswith(other.path)

    @property
    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.split("/") if c]


class Team(models.Model):
    """A Community Digital Technology Team (Tổ công nghệ số cộng đồng) of one unit."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TeamMembership", related_name="teams"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="team_name_unique_in_unit")
        ]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="team_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.team}"

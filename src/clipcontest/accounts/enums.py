from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ORGANIZER = "organizer", _("organizer")
    COORDINATOR = "coordinator", _("unit coordinator")
    JUROR = "juror", _("juror")
    TEAM_MEMBER = "team_member", _("team member")

    @classmethod
    def unit_roles(cls) -> tuple["Role", ...]:
        """Roles attached to an administrative unit."""
        return (cls.ORGANIZER, cls.COORDINATOR)


class TokenScope(models.TextChoices):
    READ = "read", _("read only")
    WRITE = "write", _("read and write")

from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamRole(models.TextChoices):
    LEADER = "leader", _("team leader")
    MEMBER = "member", _("member")

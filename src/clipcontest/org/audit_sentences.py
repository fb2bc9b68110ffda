"""How the hierarchy and team actions read in the audit log."""

from django.utils.translation import gettext_lazy as _

from clipcontest.audit.sentences import register

register(
    kind="units",
    kind_label=_("Administrative units"),
    sentences={"units.imported": _("%(actor)s imported the units of %(object)s")},
    labels={"source": _("source"), "units": _("units")},
)
register(
    kind="team",
    kind_label=_("Teams"),
    sentences={
        "team.created": _("%(actor)s created the team %(object)s"),
        "team.member_added": _("%(actor)s added a member to %(object)s"),
    },
    labels={"name": _("name"), "user": _("user")},
)

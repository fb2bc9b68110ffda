"""How the announcement actions read in the audit log."""

from django.utils.translation import gettext_lazy as _

from clipcontest.audit.sentences import register

register(
    kind="announcement",
    kind_label=_("Announcements"),
    sentences={"announcement.sent": _("%(actor)s sent the announcement %(object)s")},
)

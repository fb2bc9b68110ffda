"""How the people and roles actions read in the audit log."""

from django.utils.translation import gettext_lazy as _

from clipcontest.audit.sentences import register

register(
    kind="role",
    kind_label=_("Roles"),
    sentences={
        "role.granted": _("%(actor)s gave %(object)s a role"),
        "role.revoked": _("%(actor)s ended a role of %(object)s"),
    },
    labels={"role": _("role"), "unit": _("unit"), "contest": _("contest")},
)
register(
    kind="invitation",
    kind_label=_("Invitations"),
    sentences={
        "invitation.created": _("%(actor)s invited %(object)s"),
        "invitation.accepted": _("%(actor)s accepted the invitation %(object)s"),
    },
)
register(
    kind="api_token",
    kind_label=_("API tokens"),
    sentences={
        "api_token.created": _("%(actor)s created the API token %(object)s"),
        "api_token.revoked": _("%(actor)s revoked the API token %(object)s"),
    },
)

"""How the voting actions read in the audit log."""

from django.utils.translation import gettext_lazy as _

from clipcontest.audit.sentences import register

register(
    kind="vote",
    kind_label=_("Votes"),
    sentences={
        "vote.invalidate": _("%(actor)s invalidated a vote for %(object)s"),
        "vote.confirm": _("%(actor)s counted a held vote for %(object)s"),
    },
)
register(
    kind="voting",
    kind_label=_("Voting settings"),
    sentences={
        "voting.settings": _("%(actor)s changed the voting settings of %(object)s"),
        "voting.sealing_behind": _("Sealing of the vote log of %(object)s fell behind"),
        "voting.view_totals": _("%(actor)s looked at the vote totals of %(object)s"),
        "voting.view_held": _("%(actor)s looked at the held votes of %(object)s"),
    },
)

"""How the screening actions read in the audit log."""

from django.utils.translation import gettext_lazy as _

from clipcontest.audit.sentences import register

from .enums import ScreeningState

register(
    kind="screening",
    kind_label=_("Screening"),
    sentences={
        "screening.entered": _("Entries of %(object)s entered screening"),
        "screening.entry_unplaced": _("%(object)s could not be placed in screening"),
        "screening.arrived": _("%(object)s arrived for screening"),
        "screening.cleared": _("%(actor)s cleared the decision on %(object)s"),
        "screening.shortlisted": _("%(actor)s shortlisted %(object)s"),
        "screening.rejected": _("%(actor)s rejected %(object)s"),
        "screening.forwarded": _("%(actor)s forwarded %(object)s to the next level"),
        "screening.unforwarded": _("%(actor)s withdrew the forward of %(object)s"),
        "screening.stopped": _("%(object)s stopped at this level"),
        "screening.signed_off": _("%(actor)s signed off the choice of %(object)s"),
        "screening.locked": _("Screening of %(object)s closed at its deadline"),
        "screening.reopened": _("%(actor)s reopened screening for %(object)s"),
        "screening.reminded": _("%(actor)s reminded the coordinators of %(object)s"),
        "screening.level_configured": _("%(actor)s changed the screening level %(object)s"),
    },
    labels={
        "state": _("state"),
        "note": _("internal note"),
        "forwarded": _("forwarded"),
        "total": _("total"),
        "deadline": _("deadline"),
        "stopped": _("stopped"),
        "entries": _("entries"),
    },
    values={"state": dict(ScreeningState.choices)},
)

"""How the results actions read in the audit log."""

from django.utils.translation import gettext_lazy as _

from clipcontest.audit.sentences import register

register(
    kind="results",
    kind_label=_("Results and awards"),
    sentences={
        "results.method_set": _("%(actor)s set how %(object)s is ranked"),
        "results.tier_rule": _("%(actor)s changed the prize rule %(object)s"),
        "results.decision_recorded": _("%(actor)s recorded a committee decision on %(object)s"),
        "results.decision_withdrawn": _("%(actor)s withdrew a committee decision on %(object)s"),
        "results.published": _("%(actor)s published the results of %(object)s"),
        "results.withdrawn": _("%(actor)s withdrew the published results %(object)s"),
        "results.library_added": _("%(actor)s added %(object)s to the winners' library"),
        "results.library_removed": _("%(actor)s removed %(object)s from the winners' library"),
    },
    labels={
        "aggregation": _("aggregation"),
        "jury_percent": _("jury share (%)"),
        "public_percent": _("public share (%)"),
        "tie_break": _("tie-breaks"),
        "awards": _("awards"),
        "version": _("version"),
        "distinction": _("distinction"),
    },
)

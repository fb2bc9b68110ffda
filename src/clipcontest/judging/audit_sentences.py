"""How the jury actions read in the audit log."""

from django.utils.translation import gettext_lazy as _

from clipcontest.audit.sentences import register

from .enums import RoundState, ScorecardState

register(
    kind="judging",
    kind_label=_("Jury"),
    sentences={
        "judging.rubric_set": _("%(actor)s set the rubric of %(object)s"),
        "judging.round_created": _("%(actor)s created a jury round for %(object)s"),
        "judging.round_state": _("%(actor)s changed the state of the jury round %(object)s"),
        "judging.assigned": _("%(actor)s assigned entries to jurors in %(object)s"),
        "judging.conflicts_detected": _("Conflicts of interest were found in %(object)s"),
        "judging.recused": _("%(actor)s recused from %(object)s"),
        "judging.reminded": _("%(actor)s reminded the jurors of %(object)s"),
        "judging.scorecard_submitted": _("%(actor)s submitted the scorecard %(object)s"),
        "judging.scorecard_unlocked": _("%(actor)s unlocked the scorecard %(object)s"),
    },
    labels={
        "scale": _("scale"),
        "criteria": _("criteria"),
        "weight": _("weight"),
        "scores": _("scores"),
        "blind": _("blind judging"),
        "mode": _("assignment"),
        "assignments": _("assignments"),
        "incomplete": _("incomplete scorecards"),
    },
    values={"state": {**dict(RoundState.choices), **dict(ScorecardState.choices)}},
)

"""How the contest and timeline actions read in the audit log."""

from django.utils.translation import gettext_lazy as _

from clipcontest.audit.sentences import register

from .enums import ContestStatus, PhaseKind, PhaseState

register(
    kind="contest",
    kind_label=_("Contests"),
    sentences={
        "contest.created": _("%(actor)s created the contest %(object)s"),
        "contest.updated": _("%(actor)s edited the contest %(object)s"),
        "contest.cloned": _("%(actor)s created %(object)s as a copy of an earlier edition"),
        "contest.status": _("%(actor)s changed the status of %(object)s"),
        "contest.timeline_set": _("%(actor)s set the timeline of %(object)s"),
        "contest.prizes_set": _("%(actor)s set the prizes of %(object)s"),
    },
    labels={
        "slug": _("address"),
        "title": _("title"),
        "series": _("series"),
        "edition": _("edition"),
        "organizer_unit": _("organizer's unit"),
        "organizer_name": _("organizer"),
        "summary": _("summary"),
        "rules_text": _("rules"),
        "entries_per_team": _("entries per team"),
        "max_video_mb": _("largest video (MB)"),
        "min_duration_seconds": _("shortest clip (s)"),
        "max_duration_seconds": _("longest clip (s)"),
        "max_video_height": _("largest resolution"),
        "status": _("status"),
        "phases": _("phases"),
        "tiers": _("prize tiers"),
        "from": _("copied from"),
        "kind": _("kind"),
        "level": _("level"),
        "quota": _("quota"),
        "starts_at": _("starts"),
        "ends_at": _("ends"),
        "count": _("number"),
    },
    values={"status": dict(ContestStatus.choices), "kind": dict(PhaseKind.choices)},
)
register(
    kind="phase",
    kind_label=_("Phases"),
    sentences={
        "phase.moved": _("%(actor)s moved the phase %(object)s"),
        "phase.open": _("%(actor)s opened the phase %(object)s"),
        "phase.closed": _("%(actor)s closed the phase %(object)s"),
        "phase.scheduled": _("%(actor)s put the phase %(object)s back on schedule"),
    },
    labels={"state": _("state")},
    values={"state": dict(PhaseState.choices)},
)

"""What needs the organizer now, as sentences with a link to the page that fixes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clipcontest.contests.models import Contest
from clipcontest.judging.enums import RoundState

from .pictures import pictures_for
from .queries import Cockpit, cockpit_for


@dataclass(frozen=True)
class Attention:
    text: str
    url: str = ""


def attention_for(contest: Contest, c: Cockpit) -> list[Attention]:
    out = []
    held = c.votes.get("held", 0)
    if held:
        out.append(
            Attention(
                ngettext("%(n)s vote awaits review", "%(n)s votes await review", held)
                % {"n": held},
                reverse("voting:queue", args=[contest.slug]),
            )
        )
    for name, due in c.units_behind:
        out.append(
            Attention(
                _("%(unit)s has not acted; its deadline is %(due)s")
                % {
                    "unit": name,
                    "due": formats.date_format(timezone.localtime(due), "j/n/Y H:i"),
                },
                reverse("screening:overview", args=[contest.slug]),
            )
        )
    if c.round is not None and c.round.state == RoundState.OPEN:
        for p in c.jurors_behind:
            out.append(
                Attention(
                    _("%(juror)s has submitted %(done)s of %(total)s scorecards")
                    % {"juror": p.label, "done": p.submitted, "total": p.assigned},
                    reverse("judging:desk", args=[contest.slug]),
                )
            )
    if c.failed_videos:
        out.append(
            Attention(
                ngettext(
                    "%(n)s video could not be processed",
                    "%(n)s videos could not be processed",
                    c.failed_videos,
                )
                % {"n": c.failed_videos},
                reverse("web:contest_audit", args=[contest.slug]) + "?kind=video",
            )
        )
    return out


def context_for(contest: Contest) -> dict[str, Any]:
    """Everything the cockpit include needs."""
    c = cockpit_for(contest)
    return {"c": c, "attention": attention_for(contest, c), "pictures": pictures_for(c)}

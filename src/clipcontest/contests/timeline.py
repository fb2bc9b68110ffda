"""Pure rules for a contest's timeline: plain data in, error messages out."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .enums import PHASE_ORDER, PhaseKind, PhaseState


@dataclass(frozen=True)
class PhaseSpec:
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    level_rank: int | None = None
    level_name: str = ""
    quota: int | None = None

    @property
    def label(self) -> str:
        name = str(PhaseKind(self.kind).label)
        return f"{name} ({self.level_name})" if self.level_name else name

    def sort_key(self) -> tuple[int, int]:
        # Screening runs bottom-up: the lowest level (highest rank) first.
        return (PHASE_ORDER[PhaseKind(self.kind)], -(self.level_rank or 0))


def state_at(starts_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime) -> PhaseState:
    if now < starts_at:
        return PhaseState.SCHEDULED
    if now < ends_at:
        return PhaseState.OPEN
    return PhaseState.CLOSED


def validate_timeline(
    phases: list[PhaseSpec], *, level_names: dict[int, str], organizer_rank: int
) -> list[str]:
    """Return every problem with a timeline; an empty list means it is valid.

    ``level_names`` maps each rank of the organizer's hierarchy to its level name.
    """
    errors: list[str] = []
    counts = Counter(p.kind for p in phases)
    for kind in (PhaseKind.SUBMISSION, PhaseKind.RESULTS):
        if counts[kind] != 1:
            errors.append(
                _("The timeline needs exactly one %(phase)s phase.") % {"phase": kind.label}
            )
    for kind in (PhaseKind.VOTING, PhaseKind.JUDGING):
        if counts[kind] > 1:
            errors.append(
                _("The timeline can have only one %(phase)s phase.") % {"phase": kind.label}
            )
    for phase in phases:
        if phase.ends_at <= phase.starts_at:
            errors.append(_("%(phase)s must end after it starts.") % {"phase": phase.label})
        if phase.kind == PhaseKind.SCREENING and (phase.quota is None or phase.quota < 1):
            errors.append(_("%(phase)s needs a quota of at least 1.") % {"phase": phase.label})
    errors += _screening_chain_errors(phases, level_names, organizer_rank)
    ordered = sorted(phases, key=PhaseSpec.sort_key)
    for before, after in itertools.pairwise(ordered):
        if after.starts_at < before.ends_at:
            errors.append(
                _("%(later)s starts before %(earlier)s ends; phases may not overlap.")
                % {"later": after.label, "earlier": before.label}
            )
    return errors


def _screening_chain_errors(
    phases: list[PhaseSpec], level_names: dict[int, str], organizer_rank: int
) -> list[str]:
    ranks = [p.level_rank for p in phases if p.kind == PhaseKind.SCREENING]
    if not ranks:
        return []
    if any(r is None or r not in level_names for r in ranks):
        return [_("Every screening phase needs a level of the organizer's hierarchy.")]
    known = [r for r in ranks if r is not None]
    errors: list[str] = []
    if len(set(known)) != len(known):
        errors.append(_("Each level can screen only once."))
    if min(known) < organizer_rank:
        errors.append(_("A screening level cannot be above the organizer's level."))
        return errors
    if min(known) != organizer_rank:
        errors.append(
            _("The screening chain must end at the organizer's level (%(level)s).")
            % {"level": level_names[organizer_rank]}
        )
    for rank in range(organizer_rank + 1, max(known)):
        if rank not in known:
            errors.append(
                _("The screening chain skips the level %(level)s.") % {"level": level_names[rank]}
            )
    return errors

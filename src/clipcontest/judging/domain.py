"""Judging rules: rubric, rounds, assignment, recusal, scorecards and reminders.

Every function here that changes state runs in one transaction and writes an audit
event in it; e-mails leave through the queue after commit.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from clipcontest.accounts.queries import is_juror_of
from clipcontest.audit.domain import record
from clipcontest.contests.models import Contest
from clipcontest.core.errors import Conflict, DomainError
from clipcontest.entries.models import Entry

from . import assign as planner
from .enums import AssignmentMode, RecusalKind, RoundState, ScorecardState
from .models import (
    Assignment,
    Criterion,
    JuryRound,
    Panel,
    PanelMember,
    Recusal,
    Reminder,
    Rubric,
    Score,
    Scorecard,
)
from .queries import detect_conflicts_for, finalist_entries, jurors_of, recused_pairs

#: The default rubric (English source strings; translated when the rubric is created).
DEFAULT_CRITERIA = (
    (
        gettext_noop("Content and message"),
        gettext_noop(
            "Is the message about digital transformation clear, correct and useful to residents?"
        ),
    ),
    (gettext_noop("Creativity"), gettext_noop("Is the idea, story or form original?")),
    (gettext_noop("Technical quality"), gettext_noop("Picture, sound, editing and captions.")),
    (
        gettext_noop("Communication effect"),
        gettext_noop("Will people watch it to the end, remember it and share it?"),
    ),
)
MAX_SCALE = 1000


@dataclass(frozen=True)
class CriterionInput:
    name: str
    weight: Decimal = Decimal(1)
    description: str = ""


def _lock_contest(contest: Contest) -> Contest:
    """The one place judging serialises changes to a contest's rubric and rounds."""
    return Contest.objects.select_for_update().get(pk=contest.pk)


def _lock_round(round: JuryRound) -> JuryRound:
    return JuryRound.objects.select_for_update().select_related("contest").get(pk=round.pk)


# --- rubric ---------------------------------------------------------------------------


def _check_rubric(scale_min: int, scale_max: int, criteria: Sequence[CriterionInput]) -> None:
    errors = []
    if not 0 <= scale_min < scale_max <= MAX_SCALE:
        errors.append(
            _("The scale must run from a lower to a higher whole number between 0 and %(max)s.")
            % {"max": MAX_SCALE}
        )
    if not criteria:
        errors.append(_("A rubric needs at least one criterion."))
    names = [c.name.strip() for c in criteria]
    if any(not n for n in names):
        errors.append(_("Every criterion needs a name."))
    if len(set(names)) != len(names):
        errors.append(_("Two criteria have the same name."))
    if any(c.weight <= 0 or c.weight != c.weight.quantize(Decimal("0.001")) for c in criteria):
        errors.append(_("Weights must be positive, with at most three decimals."))
    if errors:
        raise DomainError(*errors)


def _criteria_record(rubric: Rubric) -> list[dict[str, Any]]:
    return [
        {"name": c.name, "weight": str(c.weight), "description": c.description}
        for c in rubric.criteria.order_by("position")
    ]


def _write_criteria(rubric: Rubric, criteria: Sequence[CriterionInput]) -> None:
    rubric.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(
            rubric=rubric,
            position=i,
            name=c.name.strip(),
            description=c.description,
            weight=c.weight,
        )
        for i, c in enumerate(criteria, start=1)
    )


@transaction.atomic
def set_rubric(
    *,
    contest: Contest,
    by: Any,
    criteria: Sequence[CriterionInput],
    scale_min: int = 0,
    scale_max: int = 10,
) -> Rubric:
    """Replace the contest's rubric. Refused once any scorecard exists (changing the
    rules mid-judging would make cards incomparable). Writes an audit event."""
    _check_rubric(scale_min, scale_max, criteria)
    contest = _lock_contest(contest)
    if Scorecard.objects.filter(round__contest=contest).exists():
        raise Conflict(_("Scoring has started: the rubric can no longer change."))
    rubric, _created = Rubric.objects.get_or_create(contest=contest)
    before = {"scale": [rubric.scale_min, rubric.scale_max], "criteria": _criteria_record(rubric)}
    rubric.scale_min, rubric.scale_max = scale_min, scale_max
    rubric.updated_at = timezone.now()
    rubric.save()
    _write_criteria(rubric, criteria)
    record(
        action="judging.rubric_set",
        target=rubric,
        contest=contest,
        actor=by,
        before=before,
        after={"scale": [scale_min, scale_max], "criteria": _criteria_record(rubric)},
    )
    return rubric


def default_criteria() -> list[CriterionInput]:
    return [CriterionInput(name=_(n), description=_(d)) for n, d in DEFAULT_CRITERIA]


@transaction.atomic
def ensure_rubric(*, contest: Contest, by: Any) -> Rubric:
    """The contest's rubric, created with the four default criteria (0–10) if missing."""
    existing = Rubric.objects.filter(contest=contest).first()
    if existing is not None:
        return existing
    return set_rubric(contest=contest, by=by, criteria=default_criteria())


@transaction.atomic
def clone_rubric(*, source: Contest, target: Contest, by: Any) -> Rubric | None:
    """Copy the source edition's rubric to the target edition (called by
    contests.domain.clone_contest). Does nothing when the source has none or the target
    already has one. Writes an audit event on the target."""
    rubric = Rubric.objects.filter(contest=source).first()
    if rubric is None or Rubric.objects.filter(contest=target).exists():
        return None
    criteria = [
        CriterionInput(name=c.name, weight=c.weight, description=c.description)
        for c in rubric.criteria.order_by("position")
    ]
    return set_rubric(
        contest=target,
        by=by,
        criteria=criteria,
        scale_min=rubric.scale_min,
        scale_max=rubric.scale_max,
    )


# --- rounds and assignment -------------------------------------------------------------

ROUND_FIELDS = ("number", "name", "state", "mode", "jurors_per_entry", "blind", "closes_at")


def _round_record(r: JuryRound) -> dict[str, Any]:
    return {
        "number": r.number,
        "name": r.name,
        "state": r.state,
        "mode": r.mode,
        "jurors_per_entry": r.jurors_per_entry,
        "blind": r.blind,
        "closes_at": r.closes_at,
        "seed": r.seed,
    }


@transaction.atomic
def create_round(
    *,
    contest: Contest,
    by: Any,
    name: str,
    mode: str = AssignmentMode.ALL,
    jurors_per_entry: int | None = None,
    blind: bool = True,
    closes_at: dt.datetime | None = None,
) -> JuryRound:
    """Add a jury round in set-up (numbered after the last). Writes an audit event."""
    if mode not in AssignmentMode.values:
        raise DomainError(_("Unknown assignment mode."))
    if mode == AssignmentMode.PANELS and not jurors_per_entry:
        raise DomainError(_("Panels need the number of jurors per entry."))
    if not name.strip():
        raise DomainError(_("A round needs a name."))
    contest = _lock_contest(contest)
    last = JuryRound.objects.filter(contest=contest).order_by("-number").first()
    jury_round = JuryRound.objects.create(
        contest=contest,
        number=(last.number + 1) if last else 1,
        name=name.strip(),
        mode=mode,
        jurors_per_entry=jurors_per_entry if mode == AssignmentMode.PANELS else None,
        blind=blind,
        closes_at=closes_at,
        created_by=by,
    )
    record(
        action="judging.round_created",
        target=jury_round,
        contest=contest,
        actor=by,
        after=_round_record(jury_round),
    )
    return jury_round


def _refresh_conflicts(contest: Contest, entry_ids: list[int]) -> tuple[int, int]:
    """Bring automatic recusals in line with the roles held now; declared ones stay.
    Returns (added, removed)."""
    found = {(c.juror, c.entry): c for c in detect_conflicts_for(contest, entry_ids)}
    stale = Recusal.objects.filter(contest=contest, kind__in=RecusalKind.detected()).exclude(
        pk__in=[
            r.pk
            for r in Recusal.objects.filter(contest=contest, kind__in=RecusalKind.detected())
            if (r.juror_id, r.entry_id) in found
        ]
    )
    removed, _by_model = stale.delete()
    existing = recused_pairs(contest)
    added = Recusal.objects.bulk_create(
        [
            Recusal(contest=contest, juror_id=j, entry_id=e, kind=c.kind, reason=c.reason)
            for (j, e), c in found.items()
            if (j, e) not in existing
        ],
        ignore_conflicts=True,
    )
    return len(added), removed


@transaction.atomic
def detect_conflicts(*, contest: Contest, by: Any) -> int:
    """Recompute automatic recusals for every juror × finalist, drop assignments that
    now conflict (with any draft), log. Returns the number of automatic recusals."""
    contest = _lock_contest(contest)
    entry_ids = list(finalist_entries(contest).values_list("pk", flat=True))
    added, removed = _refresh_conflicts(contest, entry_ids)
    dropped = _drop_recused_assignments(contest)
    total = Recusal.objects.filter(contest=contest, kind__in=RecusalKind.detected()).count()
    record(
        action="judging.conflicts_detected",
        target=contest,
        contest=contest,
        actor=by,
        after={"added": added, "removed": removed, "dropped_assignments": dropped, "total": total},
    )
    return total


def _drop_recused_assignments(contest: Contest) -> int:
    pairs = recused_pairs(contest)
    doomed = [
        a.pk
        for a in Assignment.objects.filter(round__contest=contest).exclude(
            round__state=RoundState.CLOSED
        )
        if (a.juror_id, a.entry_id) in pairs
    ]
    Assignment.objects.filter(pk__in=doomed).delete()
    return len(doomed)


@transaction.atomic
def assign_round(*, round: JuryRound, by: Any, seed: str | None = None) -> planner.Plan:
    """(Re)make the round's panels and assignments from its mode.

    Refreshes automatic recusals first; recused pairs are never assigned. In panel mode
    the seed (given, or drawn and recorded) makes the draw reproducible. Only in set-up.
    Writes panels, members and assignments, and an audit event with the seed.
    """
    jury_round = _lock_round(round)
    contest = _lock_contest(jury_round.contest)
    if jury_round.state not in RoundState.assignable():
        raise Conflict(_("Assignments can only change while the round is being set up."))
    if not Rubric.objects.filter(contest=contest).exists():
        raise DomainError(_("Set the rubric before assigning entries."))
    entry_ids = list(finalist_entries(contest).values_list("pk", flat=True))
    juror_ids = list(jurors_of(contest).values_list("pk", flat=True))
    if not entry_ids:
        raise DomainError(_("The contest has no finalists yet."))
    if not juror_ids:
        raise DomainError(_("Invite jurors before assigning entries."))
    _refresh_conflicts(contest, entry_ids)
    recused = recused_pairs(contest)
    if jury_round.mode == AssignmentMode.PANELS:
        k = jury_round.jurors_per_entry or 1
        jury_round.seed = seed or jury_round.seed or secrets.token_hex(8)
        plan = planner.plan_panels(
            jurors=juror_ids, entries=entry_ids, recused=recused, k=k, seed=jury_round.seed
        )
    else:
        plan = planner.plan_all(jurors=juror_ids, entries=entry_ids, recused=recused)
    covered = {a.entry for a in plan.assignments}
    unjudged = sorted(set(entry_ids) - covered)
    short = sorted(set(plan.short) | set(unjudged))
    if short:
        titles = (
            Entry.objects.filter(pk__in=short).order_by("title").values_list("title", flat=True)
        )
        raise DomainError(
            _("Too few jurors without a conflict of interest for: %(titles)s.")
            % {"titles": "; ".join(titles)}
        )
    _write_plan(jury_round, plan)
    jury_round.save(update_fields=["seed"])
    record(
        action="judging.assigned",
        target=jury_round,
        contest=contest,
        actor=by,
        after={
            "mode": jury_round.mode,
            "k": jury_round.jurors_per_entry,
            "seed": jury_round.seed,
            "panels": [list(p) for p in plan.panels],
            "assignments": len(plan.assignments),
            "substitutes": sum(1 for a in plan.assignments if a.substitute),
            "recused_pairs": len(recused),
        },
    )
    return plan


def _write_plan(jury_round: JuryRound, plan: planner.Plan) -> None:
    Assignment.objects.filter(round=jury_round).delete()
    Panel.objects.filter(round=jury_round).delete()
    panels = Panel.objects.bulk_create(
        Panel(round=jury_round, position=i, name=_("Panel %(n)s") % {"n": i})
        for i in range(1, len(plan.panels) + 1)
    )
    PanelMember.objects.bulk_create(
        PanelMember(panel=panels[i], round=jury_round, juror_id=j)
        for i, members in enumerate(plan.panels)
        for j in members
    )
    Assignment.objects.bulk_create(
        Assignment(
            round=jury_round,
            juror_id=a.juror,
            entry_id=a.entry,
            panel=panels[a.panel] if a.panel is not None else None,
        )
        for a in plan.assignments
    )


@transaction.atomic
def open_round(*, round: JuryRound, by: Any) -> JuryRound:
    """Set-up → open: jurors may score. Needs assignments. Logged."""
    jury_round = _lock_round(round)
    if jury_round.state != RoundState.SETUP:
        raise Conflict(_("Only a round being set up can be opened."))
    if not jury_round.assignments.exists():
        raise DomainError(_("Assign entries to jurors before opening the round."))
    return _move(jury_round, RoundState.OPEN, by, opened_at=timezone.now())


@transaction.atomic
def close_round(*, round: JuryRound, by: Any) -> JuryRound:
    """Open → closed: no more scoring or unlocking. Logged."""
    jury_round = _lock_round(round)
    if jury_round.state != RoundState.OPEN:
        raise Conflict(_("Only an open round can be closed."))
    return _move(jury_round, RoundState.CLOSED, by, closed_at=timezone.now())


def _move(jury_round: JuryRound, state: str, by: Any, **stamps: Any) -> JuryRound:
    before = jury_round.state
    jury_round.state = state
    for name, value in stamps.items():
        setattr(jury_round, name, value)
    jury_round.save(update_fields=["state", *stamps])
    record(
        action="judging.round_state",
        target=jury_round,
        contest=jury_round.contest,
        actor=by,
        before={"state": before},
        after={"state": state},
    )
    return jury_round


# --- recusal ------------------------------------------------------------------------------


@transaction.atomic
def declare_recusal(*, juror: Any, entry: Entry, reason: str, by: Any) -> Recusal:
    """A juror declares a conflict of interest with an entry. Removes the juror's
    assignments for it in rounds not yet closed (with any scorecard), logged."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why you cannot judge this entry."))
    if not is_juror_of(juror, entry.contest):
        raise DomainError(_("Only a juror of this contest can recuse."))
    try:
        with transaction.atomic():
            recusal = Recusal.objects.create(
                contest=entry.contest,
                juror=juror,
                entry=entry,
                kind=RecusalKind.DECLARED,
                reason=reason,
            )
    except IntegrityError as exc:
        raise Conflict(_("You are already recused from this entry.")) from exc
    dropped = Assignment.objects.filter(
        round__contest=entry.contest, juror=juror, entry=entry
    ).exclude(round__state=RoundState.CLOSED)
    count, _by_model = dropped.delete()
    record(
        action="judging.recused",
        target=recusal,
        contest=entry.contest,
        actor=by,
        after={"juror": juror.pk, "entry": entry.pk, "dropped": count},
        reason=reason,
    )
    return recusal


# --- scoring -------------------------------------------------------------------------------


def _parse_scores(
    rubric: Rubric, values: Mapping[int, Any], *, complete: bool
) -> dict[int, Decimal]:
    """Check scores against the rubric: every value a number on the scale with at most
    two decimals; with ``complete``, every criterion present. Keys are criterion ids."""
    criteria = {c.pk: c for c in rubric.criteria.all()}
    errors: list[str] = []
    parsed: dict[int, Decimal] = {}
    invalid: set[int] = set()
    for key, raw in values.items():
        criterion = criteria.get(int(key)) if str(key).isdigit() else None
        if criterion is None:
            errors.append(_("Unknown criterion %(key)s.") % {"key": key})
            continue
        if raw in (None, ""):
            continue
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            value = Decimal("NaN")
        if (
            not value.is_finite()
            or not rubric.scale_min <= value <= rubric.scale_max
            or value != value.quantize(Decimal("0.01"))
        ):
            errors.append(
                _("%(criterion)s: give a score from %(min)s to %(max)s (at most two decimals).")
                % {"criterion": criterion.name, "min": rubric.scale_min, "max": rubric.scale_max}
            )
            invalid.add(criterion.pk)
            continue
        parsed[criterion.pk] = value
    if complete:
        errors += [
            _("%(criterion)s: a score is missing.") % {"criterion": c.name}
            for pk, c in sorted(criteria.items(), key=lambda kv: kv[1].position)
            if pk not in parsed and pk not in invalid
        ]
    if errors:
        raise DomainError(*errors)
    return parsed


def _scorable_assignment(
    jury_round: JuryRound, juror: Any, entry: Entry, now: dt.datetime
) -> Assignment:
    if not jury_round.accepts_scores(now):
        raise Conflict(_("This round is closed for scoring."))
    if Recusal.objects.filter(contest=jury_round.contest, juror=juror, entry=entry).exists():
        raise DomainError(_("You are recused from this entry and cannot score it."))
    assignment = Assignment.objects.filter(round=jury_round, juror=juror, entry=entry).first()
    if assignment is None:
        raise DomainError(_("This entry is not assigned to you in this round."))
    return assignment


@transaction.atomic
def save_scorecard(
    *,
    round: JuryRound,
    juror: Any,
    entry: Entry,
    scores: Mapping[int, Any],
    comment: str = "",
    submit: bool = False,
    now: dt.datetime | None = None,
) -> Scorecard:
    """Save a juror's scores for an entry as a draft, or submit them (which locks the
    card). A draft may leave criteria empty; a submission needs every criterion. Refused
    for unassigned or recused entries, closed rounds and locked cards; nothing is saved
    when anything is refused. Writes scores and an audit event."""
    now = now or timezone.now()
    jury_round = JuryRound.objects.select_related("contest").get(pk=round.pk)
    assignment = _scorable_assignment(jury_round, juror, entry, now)
    rubric = Rubric.objects.get(contest=jury_round.contest)
    parsed = _parse_scores(rubric, scores, complete=submit)
    card, _created = Scorecard.objects.get_or_create(
        assignment=assignment,
        defaults={"round": jury_round, "juror_id": assignment.juror_id, "entry": entry},
    )
    card = Scorecard.objects.select_for_update().get(pk=card.pk)
    if card.state == ScorecardState.SUBMITTED:
        raise Conflict(_("This scorecard is submitted and locked."))
    card.scores.all().delete()
    Score.objects.bulk_create(
        Score(scorecard=card, criterion_id=pk, value=value) for pk, value in parsed.items()
    )
    card.comment = comment.strip()
    card.updated_at = now
    if submit:
        card.state = ScorecardState.SUBMITTED
        card.submitted_at = now
    card.save()
    record(
        action="judging.scorecard_submitted" if submit else "judging.scorecard_saved",
        target=card,
        contest=jury_round.contest,
        actor=juror,
        after={"scores": {str(k): str(v) for k, v in sorted(parsed.items())}, "state": card.state},
    )
    return card


@transaction.atomic
def unlock_scorecard(*, scorecard: Scorecard, by: Any, reason: str) -> Scorecard:
    """Return a submitted card to draft so its juror can correct it (round still open).
    The reason is logged."""
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for unlocking this scorecard."))
    card = (
        Scorecard.objects.select_for_update().select_related("round__contest").get(pk=scorecard.pk)
    )
    if card.state != ScorecardState.SUBMITTED:
        raise Conflict(_("Only a submitted scorecard can be unlocked."))
    if card.round.state != RoundState.OPEN:
        raise Conflict(_("This round is closed for scoring."))
    card.state = ScorecardState.DRAFT
    card.submitted_at = None
    card.save(update_fields=["state", "submitted_at"])
    record(
        action="judging.scorecard_unlocked",
        target=card,
        contest=card.round.contest,
        actor=by,
        before={"state": ScorecardState.SUBMITTED},
        after={"state": ScorecardState.DRAFT},
        reason=reason,
    )
    return card


# --- reminders -------------------------------------------------------------------------------


@transaction.atomic
def remind_late_jurors(*, round: JuryRound, by: Any) -> list[Reminder]:
    """Queue one reminder e-mail per juror who has not submitted every card of an open
    round; the e-mails leave after commit. Logged."""
    from .queries import progress_by_juror
    from .tasks import send_juror_reminder

    jury_round = _lock_round(round)
    if jury_round.state != RoundState.OPEN:
        raise Conflict(_("Reminders are for open rounds."))
    late = [p for p in progress_by_juror(jury_round) if p.missing]
    reminders = [
        Reminder.objects.create(round=jury_round, juror_id=p.key, missing=p.missing, created_by=by)
        for p in late
    ]
    record(
        action="judging.reminded",
        target=jury_round,
        contest=jury_round.contest,
        actor=by,
        after={"jurors": [p.key for p in late]},
    )
    language = translation.get_language() or settings.LANGUAGE_CODE
    for reminder in reminders:
        transaction.on_commit(
            lambda pk=reminder.pk: send_juror_reminder(pk, language)  # type: ignore[misc]
        )
    return reminders


@transaction.atomic
def send_reminder(*, reminder_id: int, language: str) -> bool:
    """Mail one reminder (called by the queue); does nothing if it is gone or already
    sent. Stamps ``sent_at``. Returns whether a mail left."""
    reminder = (
        Reminder.objects.select_for_update()
        .select_related("round__contest", "juror")
        .filter(pk=reminder_id, sent_at__isnull=True)
        .first()
    )
    if reminder is None or not reminder.juror.email:
        return False
    with translation.override(language):
        context = {
            "reminder": reminder,
            "round": reminder.round,
            "contest": reminder.round.contest,
            "url": f"{settings.SITE_URL}/jury/{reminder.round.contest.slug}/",
        }
        subject = _("%(contest)s: %(n)s scorecards are waiting for you") % {
            "contest": reminder.round.contest.title,
            "n": reminder.missing,
        }
        body = render_to_string("judging/email/reminder.txt", context)
    send_mail(subject, body, None, [reminder.juror.email])
    reminder.sent_at = timezone.now()
    reminder.save(update_fields=["sent_at"])
    return True

"""Judging through the API (/api/v1/contests/{slug}/jury/…): the same domain functions
and permissions as the pages. Criteria are addressed by their position in the rubric."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from clipcontest.api.auth import ANYONE, SIGNED_IN
from clipcontest.api.lookups import visible_contest
from clipcontest.contests.models import Contest
from clipcontest.core.errors import DomainError
from clipcontest.core.textfields import Name
from clipcontest.entries.models import Entry

from . import domain
from .enums import AssignmentMode
from .models import JuryRound, Rubric, Scorecard
from .queries import (
    assignment_for,
    juror_assignments,
    juror_entry,
    progress_by_entry,
    progress_by_juror,
    rubric_of,
)

router = Router(tags=["judging"])


class CriterionIO(Schema):
    position: int | None = None
    name: str
    weight: Decimal = Decimal(1)
    description: str = ""


class RubricIO(Schema):
    scale_min: int = 0
    scale_max: int = 10
    criteria: list[CriterionIO]


class RoundIn(Schema):
    name: Name
    mode: str = AssignmentMode.ALL
    jurors_per_entry: int | None = Field(None, ge=1, le=1000)
    blind: bool = True
    closes_at: dt.datetime | None = None


class RoundOut(Schema):
    number: int
    name: str
    state: str
    mode: str
    jurors_per_entry: int | None
    seed: str
    blind: bool
    closes_at: dt.datetime | None


class AssignIn(Schema):
    seed: str | None = None


class JuryProgressOut(Schema):
    label: str
    assigned: int
    submitted: int
    drafts: int


class RoundProgressOut(Schema):
    jurors: list[JuryProgressOut]
    entries: list[JuryProgressOut]


class JurorEntryOut(Schema):
    """What a juror sees. In blind rounds team, unit, authors and description are
    empty: the values never leave the server."""

    public_id: str
    title: str
    blind: bool
    team: str
    unit: str
    authors: list[str]
    description: str
    scorecard_state: str | None
    scores: dict[int, Decimal]
    comment: str


class ScorecardIn(Schema):
    scores: dict[int, Decimal | None]
    comment: str = ""
    submit: bool = False


class RecusalIn(Schema):
    entry: uuid.UUID
    reason: str


class UnlockIn(Schema):
    reason: str


def _managed(request: HttpRequest, slug: str) -> Contest:
    contest = visible_contest(request, slug)
    if not request.user.has_perm("judging.manage_judging", contest):
        raise PermissionDenied
    return contest


def _juror_contest(request: HttpRequest, slug: str) -> Contest:
    contest = visible_contest(request, slug)
    if not request.user.has_perm("judging.score", contest):
        raise PermissionDenied
    return contest


def _round(contest: Contest, number: int) -> JuryRound:
    return get_object_or_404(
        JuryRound.objects.select_related("contest"), contest=contest, number=number
    )


def _rubric_out(rubric: Rubric) -> RubricIO:
    return RubricIO(
        scale_min=rubric.scale_min,
        scale_max=rubric.scale_max,
        criteria=[
            CriterionIO(
                position=c.position, name=c.name, weight=c.weight, description=c.description
            )
            for c in rubric.criteria.all()
        ],
    )


def _round_out(r: JuryRound) -> RoundOut:
    return RoundOut(
        number=r.number,
        name=r.name,
        state=r.state,
        mode=r.mode,
        jurors_per_entry=r.jurors_per_entry,
        seed=r.seed,
        blind=r.blind,
        closes_at=r.closes_at,
    )


@router.get("/{slug}/rubric", response=RubricIO, auth=ANYONE)
def rubric_get(request: HttpRequest, slug: str) -> RubricIO:
    """The rubric is public once it exists: everyone may know how works are judged."""
    rubric = rubric_of(visible_contest(request, slug))
    if rubric is None:
        raise Http404
    return _rubric_out(rubric)


@router.put("/{slug}/rubric", response=RubricIO, auth=SIGNED_IN)
def rubric_put(request: HttpRequest, slug: str, payload: RubricIO) -> RubricIO:
    contest = _managed(request, slug)
    rubric = domain.set_rubric(
        contest=contest,
        by=request.user,
        scale_min=payload.scale_min,
        scale_max=payload.scale_max,
        criteria=[
            domain.CriterionInput(name=c.name, weight=c.weight, description=c.description)
            for c in payload.criteria
        ],
    )
    return _rubric_out(rubric)


@router.get("/{slug}/jury/rounds", response=list[RoundOut], auth=SIGNED_IN)
def rounds(request: HttpRequest, slug: str) -> list[RoundOut]:
    contest = visible_contest(request, slug)
    if not (
        request.user.has_perm("judging.manage_judging", contest)
        or request.user.has_perm("judging.score", contest)
    ):
        raise PermissionDenied
    return [_round_out(r) for r in JuryRound.objects.filter(contest=contest)]


@router.post("/{slug}/jury/rounds", response={201: RoundOut}, auth=SIGNED_IN)
def round_create(request: HttpRequest, slug: str, payload: RoundIn) -> Status:
    contest = _managed(request, slug)
    jury_round = domain.create_round(contest=contest, by=request.user, **payload.dict())
    return Status(201, _round_out(jury_round))


@router.post("/{slug}/jury/rounds/{number}/assign", response=RoundOut, auth=SIGNED_IN)
def round_assign(request: HttpRequest, slug: str, number: int, payload: AssignIn) -> RoundOut:
    jury_round = _round(_managed(request, slug), number)
    domain.assign_round(round=jury_round, by=request.user, seed=payload.seed)
    return _round_out(JuryRound.objects.get(pk=jury_round.pk))


def _move(request: HttpRequest, slug: str, number: int, action: str) -> RoundOut:
    jury_round = _round(_managed(request, slug), number)
    if action == "open":
        jury_round = domain.open_round(round=jury_round, by=request.user)
    elif action == "close":
        jury_round = domain.close_round(round=jury_round, by=request.user)
    else:
        domain.remind_late_jurors(round=jury_round, by=request.user)
    return _round_out(jury_round)


@router.post("/{slug}/jury/rounds/{number}/open", response=RoundOut, auth=SIGNED_IN)
def round_open(request: HttpRequest, slug: str, number: int) -> RoundOut:
    return _move(request, slug, number, "open")


@router.post("/{slug}/jury/rounds/{number}/close", response=RoundOut, auth=SIGNED_IN)
def round_close(request: HttpRequest, slug: str, number: int) -> RoundOut:
    return _move(request, slug, number, "close")


@router.post("/{slug}/jury/rounds/{number}/remind", response=RoundOut, auth=SIGNED_IN)
def round_remind(request: HttpRequest, slug: str, number: int) -> RoundOut:
    """E-mail every juror who has not submitted all their cards (after commit)."""
    return _move(request, slug, number, "remind")


@router.get("/{slug}/jury/rounds/{number}/progress", response=RoundProgressOut, auth=SIGNED_IN)
def round_progress(request: HttpRequest, slug: str, number: int) -> RoundProgressOut:
    jury_round = _round(_managed(request, slug), number)

    def out(p: object) -> JuryProgressOut:
        return JuryProgressOut.model_validate(p, from_attributes=True)

    return RoundProgressOut(
        jurors=[out(p) for p in progress_by_juror(jury_round)],
        entries=[out(p) for p in progress_by_entry(jury_round)],
    )


def _card_out(card: Scorecard | None) -> tuple[str | None, dict[int, Decimal], str]:
    if card is None:
        return None, {}, ""
    scores = {s.criterion.position: s.value for s in card.scores.select_related("criterion")}
    return card.state, scores, card.comment


@router.get(
    "/{slug}/jury/rounds/{number}/assignments", response=list[JurorEntryOut], auth=SIGNED_IN
)
def my_assignments(request: HttpRequest, slug: str, number: int) -> list[JurorEntryOut]:
    """The caller's own assignments and scorecards (never anyone else's)."""
    jury_round = _round(_juror_contest(request, slug), number)
    out = []
    for a in juror_assignments(jury_round, request.user):
        view = juror_entry(a.entry, blind=jury_round.blind)
        state, scores, comment = _card_out(getattr(a, "scorecard", None))
        out.append(
            JurorEntryOut(
                public_id=view.public_id,
                title=view.title,
                blind=view.blind,
                team=view.team,
                unit=view.unit,
                authors=view.authors,
                description=view.description,
                scorecard_state=state,
                scores=scores,
                comment=comment,
            )
        )
    return out


@router.put(
    "/{slug}/jury/rounds/{number}/scorecards/{public_id}", response=JurorEntryOut, auth=SIGNED_IN
)
def scorecard_put(
    request: HttpRequest, slug: str, number: int, public_id: uuid.UUID, payload: ScorecardIn
) -> JurorEntryOut:
    contest = _juror_contest(request, slug)
    jury_round = _round(contest, number)
    entry = get_object_or_404(Entry, contest=contest, public_id=public_id)
    rubric = get_object_or_404(Rubric, contest=contest)
    ids = dict(rubric.criteria.values_list("position", "pk"))
    unknown = sorted(set(payload.scores) - set(ids))
    if unknown:
        raise DomainError(*[f"Unknown criterion {p}." for p in unknown])
    card = domain.save_scorecard(
        round=jury_round,
        juror=request.user,
        entry=entry,
        scores={ids[p]: v for p, v in payload.scores.items()},
        comment=payload.comment,
        submit=payload.submit,
    )
    assignment = assignment_for(jury_round, request.user, public_id)
    assert assignment is not None
    view = juror_entry(assignment.entry, blind=jury_round.blind)
    state, scores, comment = _card_out(card)
    return JurorEntryOut(
        public_id=view.public_id,
        title=view.title,
        blind=view.blind,
        team=view.team,
        unit=view.unit,
        authors=view.authors,
        description=view.description,
        scorecard_state=state,
        scores=scores,
        comment=comment,
    )


@router.post("/{slug}/jury/recusals", response={201: dict}, auth=SIGNED_IN)
def recusal_create(request: HttpRequest, slug: str, payload: RecusalIn) -> Status:
    contest = _juror_contest(request, slug)
    entry = get_object_or_404(
        Entry.objects.select_related("contest"), contest=contest, public_id=payload.entry
    )
    domain.declare_recusal(juror=request.user, entry=entry, reason=payload.reason, by=request.user)
    return Status(201, {"entry": str(entry.public_id), "recused": True})


@router.post("/{slug}/jury/scorecards/{card_id}/unlock", response=dict, auth=SIGNED_IN)
def scorecard_unlock(request: HttpRequest, slug: str, card_id: int, payload: UnlockIn) -> dict:
    contest = _managed(request, slug)
    card = get_object_or_404(Scorecard, pk=card_id, round__contest=contest)
    card = domain.unlock_scorecard(scorecard=card, by=request.user, reason=payload.reason)
    return {"id": card.pk, "state": card.state}

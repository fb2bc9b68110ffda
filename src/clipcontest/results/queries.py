"""Reading what a computation needs, in a fixed number of queries, as plain data.

This module is the only bridge between the database and the pure cores
(results.compute, results.allocate).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.db.models import QuerySet

from clipcontest.contests.models import Contest, PrizeTier
from clipcontest.judging.enums import ScorecardState
from clipcontest.judging.models import Assignment, Criterion, JuryRound, Rubric, Score, Scorecard
from clipcontest.judging.queries import finalist_entries

from . import compute
from .allocate import Rules, Tier
from .compute import SCORE_UNIT
from .enums import PublicationState
from .models import CommitteeDecision, LibraryItem, Publication, ResultMethod, TierRule


def valid_votes_by_entry(contest: Contest) -> Mapping[int, int]:
    """Counted public votes per entry id: the voting app's tally (valid votes, plus held
    ones until the organizer strikes them out, exactly as its public ledger recounts).
    Without the voting app every entry has 0 votes."""
    if not apps.is_installed("clipcontest.voting"):
        return {}
    from clipcontest.voting.queries import require_counts_visible, tally

    require_counts_visible(contest)  # sealed while hidden: even a preview must wait
    return tally(contest)


def vote_exclusions(contest: Contest) -> dict[int, dict[str, int]]:
    """Invalidated votes per entry id by reason code (empty without the voting app)."""
    if not apps.is_installed("clipcontest.voting"):
        return {}
    from clipcontest.voting.queries import exclusions

    return {entry: dict(counter) for entry, counter in exclusions(contest).items()}


def method_of(contest: Contest) -> ResultMethod:
    """The declared method, or the default (mean, jury 100 %) when none is declared."""
    return ResultMethod.objects.filter(contest=contest).first() or ResultMethod(contest=contest)


def to_method(method: ResultMethod, rubric: Rubric) -> compute.Method:
    return compute.Method(
        aggregation=method.aggregation,
        trim_percent=method.trim_percent,
        jury_percent=method.jury_percent,
        public_percent=method.public_percent,
        tie_break=tuple(method.tie_break),
        scale_min=rubric.scale_min,
        scale_max=rubric.scale_max,
    )


def _unit_key(path: str, depth: int | None) -> str:
    if depth is None:
        return path
    codes = [c for c in path.split("/") if c]
    return "/" + "/".join(codes[: depth + 1]) + "/"


@dataclass
class Inputs:
    """Everything one computation reads, as plain data (ids mapped to public keys)."""

    contest: Contest
    round: JuryRound
    criteria: tuple[compute.CriterionSpec, ...]
    cards: list[compute.Card]
    finalists: list[compute.Finalist]
    method: compute.Method
    decisions: list[compute.Decision]
    tiers: list[Tier]
    rules: Rules
    pseudonyms: dict[int, str] = field(default_factory=dict)
    entry_ids: dict[str, int] = field(default_factory=dict)  # public key → entry id
    assigned: int = 0


def load_inputs(
    contest: Contest, jury_round: JuryRound, *, votes: Mapping[int, int] | None = None
) -> Inputs:
    """Read the round's submitted scores, the finalists, votes, method, decisions and
    prize tiers. ``votes`` replaces the voting app's tally (benchmarks)."""
    rubric = Rubric.objects.get(contest=contest)
    criteria = tuple(
        compute.CriterionSpec(position=c.position, name=c.name, weight=int(c.weight * 1000))
        for c in rubric.criteria.order_by("position")
    )
    declared = method_of(contest)
    depth = declared.unit_level.rank if declared.unit_level_id else None  # type: ignore[union-attr]
    rows = finalist_entries(contest).values_list("pk", "public_id", "unit__path")
    entry_ids = {str(public): pk for pk, public, _path in rows}
    keys = {pk: key for key, pk in entry_ids.items()}
    tally = valid_votes_by_entry(contest) if votes is None else votes
    finalists = [
        compute.Finalist(entry=str(public), unit=_unit_key(path, depth), votes=tally.get(pk, 0))
        for pk, public, path in rows
    ]
    juror_ids = sorted(
        Assignment.objects.filter(round=jury_round)
        .order_by()
        .values_list("juror_id", flat=True)
        .distinct()
    )
    pseudonyms = {pk: f"J{i}" for i, pk in enumerate(juror_ids, start=1)}
    return Inputs(
        contest=contest,
        round=jury_round,
        criteria=criteria,
        cards=_cards(jury_round, criteria, keys, pseudonyms),
        finalists=finalists,
        method=to_method(declared, rubric),
        decisions=[
            compute.Decision(entry=keys[d.entry_id], kind=d.kind, value=d.value, reason=d.reason)
            for d in CommitteeDecision.objects.filter(contest=contest)
            if d.entry_id in keys
        ],
        tiers=_tiers(contest),
        rules=Rules(
            one_prize_per_entry=declared.one_prize_per_entry,
            max_per_unit=declared.max_prizes_per_unit,
        ),
        pseudonyms=pseudonyms,
        entry_ids=entry_ids,
        assigned=Assignment.objects.filter(round=jury_round, entry_id__in=keys).count(),
    )


def _cards(
    jury_round: JuryRound,
    criteria: tuple[compute.CriterionSpec, ...],
    keys: dict[int, str],
    pseudonyms: dict[int, str],
) -> list[compute.Card]:
    """Submitted complete cards with scores in hundredths: one row per card.

    Raw SQL on purpose: the database pivots every score of the round (200,000 rows for
    1,000 finalists × 50 jurors) into one row per card, a quarter of the rows the ORM
    would bring back one score at a time, and returns each score as an integer number
    of hundredths (exact: the column has two decimal places), so Python converts
    nothing. Portable: MAX(CASE …), ROUND, CAST and COUNT only.
    """
    ids = dict(
        Criterion.objects.filter(rubric__contest_id=jury_round.contest_id).values_list(
            "position", "pk"
        )
    )
    order = [ids[c.position] for c in criteria]
    columns = ", ".join(
        "CAST(ROUND(MAX(CASE WHEN s.criterion_id = %s THEN s.value END) * %s) AS INTEGER)"
        for _ in order
    )
    sql = (
        f"SELECT sc.juror_id, sc.entry_id, COUNT(s.id), {columns}"  # noqa: S608
        f" FROM {Scorecard._meta.db_table} sc"
        f" JOIN {Score._meta.db_table} s ON s.scorecard_id = sc.id"
        f" WHERE sc.round_id = %s AND sc.state = %s"
        f" GROUP BY sc.id, sc.juror_id, sc.entry_id"
    )
    params: list[int] = [p for pk in order for p in (pk, SCORE_UNIT)]
    cards: list[compute.Card] = []
    card = compute.Card
    width = len(order)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, jury_round.pk, ScorecardState.SUBMITTED.value])
        while rows := cursor.fetchmany(10_000):
            for juror, entry, filled, *values in rows:
                key = keys.get(entry)
                if filled != width or key is None:
                    continue
                name = pseudonyms.get(juror) or f"?{juror}"
                cards.append(card(juror=name, entry=key, scores=tuple(values)))
    return cards


def _tiers(contest: Contest) -> list[Tier]:
    distinctions = set(
        TierRule.objects.filter(tier__contest=contest, distinction=True).values_list(
            "tier_id", flat=True
        )
    )
    return [
        Tier(
            position=t.position,
            name=t.name,
            kind=t.kind,
            count=t.count,
            distinction=t.pk in distinctions,
        )
        for t in PrizeTier.objects.filter(contest=contest).order_by("position")
    ]


def current_publication(contest: Contest) -> Publication | None:
    """The latest version, unless it was withdrawn (then no result is current)."""
    latest = Publication.objects.filter(contest=contest).order_by("-version").first()
    return latest if latest is not None and latest.withdrawn_at is None else None


def has_publications(contest: Contest) -> bool:
    """Whether any result was ever published (current or not): the results page exists."""
    return Publication.objects.filter(contest=contest).exists()


@dataclass(frozen=True)
class PublicationStatus:
    publication: Publication
    state: PublicationState
    superseded_by: int | None  # the version that replaced it, if one did


def publication_history(contest: Contest) -> list[PublicationStatus]:
    """Every published version of ``contest``, newest first, with its state. One query."""
    found = list(
        Publication.objects.filter(contest=contest)
        .select_related("withdrawn_by", "published_by")
        .order_by("-version")
    )
    history = []
    for i, pub in enumerate(found):
        newer = found[i - 1].version if i else None
        if pub.withdrawn_at is not None:
            state = PublicationState.WITHDRAWN
        elif newer is None:
            state = PublicationState.CURRENT
        else:
            state = PublicationState.SUPERSEDED
        history.append(PublicationStatus(pub, state, newer))
    return history


def library_items() -> QuerySet[LibraryItem]:
    """Library items whose contest has a published result."""
    published = Publication.objects.values("contest_id")
    return (
        LibraryItem.objects.filter(contest_id__in=published)
        .select_related("entry__team", "entry__unit", "contest")
        .order_by("-contest__edition", "entry__title")
    )

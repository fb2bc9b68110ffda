"""Results rules: declare the method, record committee decisions, preview, publish,
verify, and keep the winners' library.

Every function that changes state runs in one transaction and writes an audit event.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clipcontest.audit.domain import record
from clipcontest.contests.models import Contest, PrizeTier
from clipcontest.core.errors import Conflict, DomainError
from clipcontest.entries.models import Entry
from clipcontest.judging.models import JuryRound, Rubric
from clipcontest.judging.queries import finalist_entries, latest_round
from clipcontest.org.models import Level

from . import canonical
from .allocate import Allocation, allocate
from .compute import Ranking, rank
from .enums import Aggregation, DecisionKind, TieBreak
from .models import (
    Award,
    CommitteeDecision,
    LibraryItem,
    Publication,
    ResultMethod,
    TierRule,
)
from .queries import Inputs, current_publication, load_inputs

METHOD_FIELDS = (
    "aggregation",
    "trim_percent",
    "jury_percent",
    "public_percent",
    "tie_break",
    "one_prize_per_entry",
    "max_prizes_per_unit",
    "unit_level",
)


def _lock_contest(contest: Contest) -> Contest:
    """The one place results serialise changes to a contest's method and publications."""
    return Contest.objects.select_for_update().get(pk=contest.pk)


# --- the declared method ----------------------------------------------------------------


def _check_method(contest: Contest, values: Mapping[str, Any]) -> None:
    errors = []
    if values["aggregation"] not in Aggregation.values:
        errors.append(_("Unknown aggregation method."))
    if values["jury_percent"] + values["public_percent"] != 100:
        errors.append(_("The jury and public weights must add up to 100 %."))
    if not 0 <= values["trim_percent"] <= 49:
        errors.append(_("Trim between 0 and 49 % from each end."))
    positions = set()
    rubric = Rubric.objects.filter(contest=contest).first()
    if rubric is not None:
        positions = set(rubric.criteria.values_list("position", flat=True))
    keys = list(values["tie_break"])
    for key in keys:
        known = key in TieBreak.values or (
            TieBreak.is_criterion(key) and int(key.split(":")[1]) in positions
        )
        if not known:
            errors.append(_("Unknown tie-break %(key)s.") % {"key": key})
    if len(set(keys)) != len(keys):
        errors.append(_("A tie-break is listed twice."))
    level = values.get("unit_level")
    if level is not None and level.hierarchy_id != contest.organizer_unit.hierarchy_id:
        errors.append(_("That level belongs to another hierarchy."))
    if errors:
        raise DomainError(*errors)


@transaction.atomic
def set_method(*, contest: Contest, by: Any, **values: Any) -> ResultMethod:
    """Declare how the ranking is computed (see METHOD_FIELDS). Logged with before and
    after; takes effect in the next preview and publication."""
    unknown = set(values) - set(METHOD_FIELDS)
    if unknown:
        raise TypeError(f"unknown method fields: {sorted(unknown)}")
    contest = _lock_contest(contest)
    method, _created = ResultMethod.objects.get_or_create(contest=contest)
    before = _method_record(method)
    merged = {**{f: getattr(method, f) for f in METHOD_FIELDS}, **values}
    merged["tie_break"] = [str(k) for k in merged["tie_break"]]
    _check_method(contest, merged)
    for name, value in merged.items():
        setattr(method, name, value)
    method.updated_at = timezone.now()
    method.save()
    record(
        action="results.method_set",
        target=method,
        contest=contest,
        actor=by,
        before=before,
        after=_method_record(method),
    )
    return method


def _method_record(method: ResultMethod) -> dict[str, Any]:
    out = {f: getattr(method, f) for f in METHOD_FIELDS if f != "unit_level"}
    out["unit_level"] = method.unit_level_id
    return out


@transaction.atomic
def set_distinction(*, tier: PrizeTier, distinction: bool, by: Any) -> TierRule:
    """Mark a prize tier as a distinction (may stack on another prize) or not. Logged."""
    rule, _created = TierRule.objects.get_or_create(tier=tier)
    before = rule.distinction
    rule.distinction = distinction
    rule.save(update_fields=["distinction"])
    record(
        action="results.tier_rule",
        target=rule,
        contest=tier.contest,
        actor=by,
        before={"distinction": before},
        after={"distinction": distinction},
    )
    return rule


@transaction.atomic
def clone_method(*, source: Contest, target: Contest, by: Any) -> ResultMethod | None:
    """Copy the source edition's declared method to a new edition (for clone_contest).
    The unit level is kept only when both editions use the same hierarchy."""
    method = ResultMethod.objects.filter(contest=source).first()
    if method is None or ResultMethod.objects.filter(contest=target).exists():
        return None
    values = {f: getattr(method, f) for f in METHOD_FIELDS}
    if method.unit_level_id and (
        source.organizer_unit.hierarchy_id != target.organizer_unit.hierarchy_id
    ):
        values["unit_level"] = None
    return set_method(contest=target, by=by, **values)


@transaction.atomic
def clone_tier_rules(*, source: Contest, target: Contest, by: Any) -> int:
    """Carry distinction flags over to the new edition's tiers at the same positions."""
    copied = 0
    rules = TierRule.objects.filter(tier__contest=source, distinction=True).select_related("tier")
    tiers = {t.position: t for t in PrizeTier.objects.filter(contest=target)}
    for rule in rules:
        tier = tiers.get(rule.tier.position)
        if tier is not None:
            set_distinction(tier=tier, distinction=True, by=by)
            copied += 1
    return copied


# --- committee decisions ------------------------------------------------------------------


@transaction.atomic
def record_decision(
    *, contest: Contest, entry: Entry, kind: str, value: int, reason: str, by: Any
) -> CommitteeDecision:
    """Record (or replace) a committee decision on a finalist: place it at a position,
    or order it among entries that tie on every declared key. The reason is published
    with the result. Logged."""
    reason = reason.strip()
    errors = []
    if kind not in DecisionKind.values:
        errors.append(_("Unknown kind of decision."))
    if not reason:
        errors.append(_("A committee decision needs a reason; it is shown publicly."))
    if value < 1:
        errors.append(_("Positions and priorities start at 1."))
    if not finalist_entries(contest).filter(pk=entry.pk).exists():
        errors.append(_("Only a finalist can be the subject of a committee decision."))
    if errors:
        raise DomainError(*errors)
    contest = _lock_contest(contest)
    try:
        with transaction.atomic():
            decision, created = CommitteeDecision.objects.update_or_create(
                contest=contest,
                entry=entry,
                kind=kind,
                defaults={"value": value, "reason": reason, "by": by, "at": timezone.now()},
            )
    except IntegrityError as exc:
        raise Conflict(_("Someone recorded this decision at the same time.")) from exc
    record(
        action="results.decision_recorded",
        target=decision,
        contest=contest,
        actor=by,
        after={"entry": entry.pk, "kind": kind, "value": value, "created": created},
        reason=reason,
    )
    return decision


@transaction.atomic
def withdraw_decision(*, decision: CommitteeDecision, by: Any, reason: str) -> None:
    """Remove a committee decision; the reason is logged."""
    if not reason.strip():
        raise DomainError(_("Give the reason for withdrawing the decision."))
    record(
        action="results.decision_withdrawn",
        target=decision,
        contest=decision.contest,
        actor=by,
        before={"entry": decision.entry_id, "kind": decision.kind, "value": decision.value},
        reason=reason.strip(),
    )
    decision.delete()


# --- computing, publishing, verifying ----------------------------------------------------


@dataclass
class Computation:
    """A ranking and its allocation. The canonical JSON (``text``, ``sha256``,
    ``document``) is built on first use only: publishing, verifying and the API preview
    need it, the organizer's preview table and the exports do not (it is a 5 MB
    document for 1,000 finalists × 50 jurors)."""

    inputs: Inputs
    ranking: Ranking
    allocation: Allocation

    @property
    def incomplete(self) -> int:
        return self.inputs.assigned - len(self.inputs.cards)

    @cached_property
    def text(self) -> str:
        return canonical.dumps(canonical.document(self.inputs, self.ranking, self.allocation))

    @cached_property
    def sha256(self) -> str:
        return canonical.sha256(self.text)

    @property
    def document(self) -> dict[str, Any]:
        return json.loads(self.text)


def compute_results(
    *, contest: Contest, round: JuryRound | None = None, votes: Mapping[int, int] | None = None
) -> Computation:
    """Read the stored data and run the pure cores. Changes nothing. The canonical JSON
    is built when first asked for (see Computation)."""
    jury_round = round or latest_round(contest)
    if jury_round is None:
        raise DomainError(_("There is no jury round to compute results from."))
    if not Rubric.objects.filter(contest=contest).exists():
        raise DomainError(_("The contest has no rubric."))
    inputs = load_inputs(contest, jury_round, votes=votes)
    ranking = rank(
        criteria=inputs.criteria,
        cards=inputs.cards,
        finalists=inputs.finalists,
        method=inputs.method,
        decisions=inputs.decisions,
    )
    allocation = allocate(standings=ranking.standings, tiers=inputs.tiers, rules=inputs.rules)
    return Computation(inputs, ranking, allocation)


@transaction.atomic
def publish_results(*, contest: Contest, by: Any, incomplete_reason: str = "") -> Publication:
    """Compute and publish a new version of the results.

    Refused while scorecards are missing unless ``incomplete_reason`` says why the
    committee publishes anyway (logged and shown); refused while a tie that the declared
    order cannot break decides a prize. Stores the canonical JSON and its SHA-256, the
    awards, adds the winners to the library, writes an audit event.
    """
    contest = _lock_contest(contest)
    result = compute_results(contest=contest)
    if result.incomplete and not incomplete_reason.strip():
        raise DomainError(
            _("%(n)s scorecards are not submitted. Wait for them, or publish anyway and say why.")
            % {"n": result.incomplete}
        )
    if result.allocation.boundary_ties:
        raise DomainError(
            _(
                "Some entries tie on every declared key and only some of them get a prize: "
                "record a committee decision first."
            )
        )
    last = Publication.objects.filter(contest=contest).order_by("-version").first()
    publication = Publication.objects.create(
        contest=contest,
        version=(last.version + 1) if last else 1,
        round=result.inputs.round,
        computation=result.text,
        sha256=result.sha256,
        incomplete_override=incomplete_reason.strip() if result.incomplete else "",
        published_by=by,
    )
    _write_awards(publication, result)
    record(
        action="results.published",
        target=publication,
        contest=contest,
        actor=by,
        after={
            "version": publication.version,
            "sha256": publication.sha256,
            "awards": len(result.allocation.awards),
            "incomplete": result.incomplete,
        },
        reason=publication.incomplete_override,
    )
    return publication


def _write_awards(publication: Publication, result: Computation) -> None:
    tiers = {t.position: t for t in PrizeTier.objects.filter(contest=publication.contest)}
    ids = result.inputs.entry_ids
    Award.objects.bulk_create(
        Award(publication=publication, tier=tiers[a.tier], entry_id=ids[a.entry], place=a.place)
        for a in result.allocation.awards
    )
    winners = sorted({ids[a.entry] for a in result.allocation.awards})
    LibraryItem.objects.bulk_create(
        [LibraryItem(contest=publication.contest, entry_id=pk, is_winner=True) for pk in winners],
        ignore_conflicts=True,
    )
    LibraryItem.objects.filter(entry_id__in=winners).update(is_winner=True)


@dataclass(frozen=True)
class Verification:
    publication: Publication
    recomputed_sha256: str
    differences: tuple[str, ...]

    @property
    def matches(self) -> bool:
        return self.recomputed_sha256 == self.publication.sha256

    @property
    def document_intact(self) -> bool:
        """The stored document still hashes to the SHA-256 published with it."""
        return canonical.sha256(self.publication.computation) == self.publication.sha256


def verify_publication(*, contest: Contest, publication: Publication | None = None) -> Verification:
    """Recompute a publication (by default the current one, else the latest) from the
    stored data with its jury round and compare. A superseded or withdrawn version may
    no longer match: the data changed after it. Changes nothing."""
    if publication is None:
        publication = current_publication(contest) or (
            Publication.objects.filter(contest=contest).order_by("-version").first()
        )
    if publication is None:
        raise DomainError(_("Nothing has been published for this contest."))
    result = compute_results(contest=contest, round=publication.round)
    published = json.loads(publication.computation)
    now = result.document
    differences = tuple(
        sorted(k for k in set(published) | set(now) if published.get(k) != now.get(k))
    )
    return Verification(publication, result.sha256, differences)


# --- the winners' library ---------------------------------------------------------------


@transaction.atomic
def add_to_library(*, entry: Entry, by: Any, note: str = "") -> LibraryItem:
    """Put a finalist in the public winners' library (shown once results are published)."""
    if not finalist_entries(entry.contest).filter(pk=entry.pk).exists():
        raise DomainError(_("Only finalists can join the library."))
    item, created = LibraryItem.objects.get_or_create(
        entry=entry, defaults={"contest": entry.contest, "note": note.strip(), "added_by": by}
    )
    if not created:
        raise Conflict(_("This entry is already in the library."))
    record(action="results.library_added", target=item, contest=entry.contest, actor=by)
    return item


@transaction.atomic
def remove_from_library(*, item: LibraryItem, by: Any) -> None:
    """Take an entry the organizer added out of the library (winners stay). Logged."""
    if item.is_winner:
        raise DomainError(_("Winning entries stay in the library."))
    record(action="results.library_removed", target=item, contest=item.contest, actor=by)
    item.delete()


def level_choices(contest: Contest) -> Sequence[Level]:
    return list(Level.objects.filter(hierarchy_id=contest.organizer_unit.hierarchy_id))

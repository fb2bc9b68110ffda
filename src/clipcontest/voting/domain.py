"""Voting rules: verifying voters, casting votes, receipts, review, sharing.

Casting never touches the vote log: the sequencer (voting/sealing.py) seals votes and
invalidations into it after their commit.

Forms, the JSON API, management commands and the demo loader all call these functions.
"""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from clipcontest.audit import domain as audit
from clipcontest.contests.models import Contest
from clipcontest.core import ratelimit
from clipcontest.core.errors import Conflict, DomainError, NotAllowed
from clipcontest.entries.models import Entry

from . import challenge, conf, fraud, identity, ledger
from .enums import ExclusionReason, IdentityKind, VotePolicy, VoteState
from .models import (
    ReachVisit,
    ShareLink,
    VerificationCode,
    Vote,
    Voter,
    VotingSettings,
)
from .queries import gallery_entries, settings_for, voting_window


class AlreadyVoted(Conflict):
    code = "already_voted"


class CodeRefused(DomainError):
    code = "code_refused"


# --- Voter verification ------------------------------------------------------------------


def request_code(*, contest: Contest, kind: str, raw: str, ip: str | None) -> VerificationCode:
    """Send a 6-digit one-time code to an e-mail address or phone number.

    Writes a code row (only the keyed hashes of the identity and of the code, bound to
    the row's id), and sends the code by e-mail or through the SMS gateway after commit.
    Rate-limited per identity and per address (429).
    """
    voting = settings_for(contest)
    allowed = {IdentityKind.EMAIL: voting.allow_email, IdentityKind.PHONE: voting.allow_phone}
    if not allowed.get(kind):  # type: ignore[call-overload]
        raise DomainError(_("This contest does not accept that kind of address."))
    value = identity.normalize(kind, raw)
    hashed = identity.identity_hash(kind, value)
    window = conf.get("VOTING_CODES_WINDOW")
    ratelimit.enforce_all(
        [
            ratelimit.Limit("vote-code-ip", ip or "-", conf.get("VOTING_CODES_PER_IP"), window),
            ratelimit.Limit("vote-code-id", hashed, conf.get("VOTING_CODES_PER_IDENTITY"), window),
        ]
    )
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    with transaction.atomic():
        row = VerificationCode(
            kind=kind,
            identity_hash=hashed,
            email_domain=value.rpartition("@")[2] if kind == IdentityKind.EMAIL else "",
            expires_at=now + dt.timedelta(seconds=conf.get("VOTING_CODE_TTL")),
            created_at=now,
        )
        row.code_hash = identity.code_hash(str(row.id), code)
        row.save(force_insert=True)
        transaction.on_commit(lambda: _deliver(kind=kind, to=value, code=code, contest=contest))
    return row


def _deliver(*, kind: str, to: str, code: str, contest: Contest) -> None:
    minutes = conf.get("VOTING_CODE_TTL") // 60
    text = _("Your voting code for %(contest)s is %(code)s. It expires in %(m)d minutes.") % {
        "contest": contest.title,
        "code": code,
        "m": minutes,
    }
    if kind == IdentityKind.EMAIL:
        send_mail(_("Your voting code: %(code)s") % {"code": code}, text, None, [to])
    else:
        gateway = import_string(
            getattr(settings, "VOTING_SMS_GATEWAY", "clipcontest.core.outbox.write_sms")
        )
        gateway(to=to, text=text)


def confirm_code(*, request_id: str, code: str) -> Voter:
    """Check a code against the request it was sent for and return the verified voter.

    Counts one try (at most VOTING_CODE_TRIES), marks the code used on success and creates
    the voter on first verification. Refuses unknown, used, expired or exhausted codes.
    """
    outcome, row = _try_code(request_id=request_id, code=code.strip())
    if outcome != "ok" or row is None:
        raise CodeRefused(_CODE_MESSAGES[outcome]())
    voter, _created = Voter.objects.get_or_create(
        identity_hash=row.identity_hash,
        defaults={"kind": row.kind, "email_domain": row.email_domain},
    )
    return voter


_CODE_MESSAGES = {
    "unknown": lambda: _("That code request is unknown. Ask for a new code."),
    "used": lambda: _("That code was already used. Ask for a new code."),
    "expired": lambda: _("That code has expired. Ask for a new code."),
    "exhausted": lambda: _("Too many wrong codes. Ask for a new code."),
    "wrong": lambda: _("That code is not right. Check it and try again."),
}


def _try_code(*, request_id: str, code: str) -> tuple[str, VerificationCode | None]:
    """One attempt, committed whatever its outcome (a wrong try must still count)."""
    try:
        key = uuid.UUID(str(request_id))
    except ValueError:
        return "unknown", None
    with transaction.atomic():
        row = VerificationCode.objects.select_for_update().filter(pk=key).first()
        if row is None:
            return "unknown", None
        if row.used_at is not None:
            return "used", None
        if row.expires_at <= timezone.now():
            return "expired", None
        if row.tries >= conf.get("VOTING_CODE_TRIES"):
            return "exhausted", None
        row.tries = F("tries") + 1
        matched = secrets.compare_digest(row.code_hash, identity.code_hash(str(row.pk), code))
        if matched:
            row.used_at = timezone.now()
        row.save(update_fields=["tries", "used_at"])
        return ("ok", row) if matched else ("wrong", None)


# --- Casting votes -----------------------------------------------------------------------


def cast_vote(
    *,
    contest: Contest,
    entry: Entry,
    voter: Voter,
    challenge_payload: str,
    ip: str | None,
    device: str = "",
    now: dt.datetime | None = None,
) -> Vote:
    """Cast one vote for ``entry`` by a verified ``voter``.

    Checks the voting window and the gallery rule, enforces rate limits per address,
    subnet and voter (429), scores fraud signals (a suspicious vote is stored HELD for
    the organizer), then in one short transaction spends the proof-of-work challenge
    and inserts the vote (record_vote). The vote is sealed into the log after commit.
    Raises AlreadyVoted (409) when the policy forbids another vote.
    """
    now = now or timezone.now()
    # Rate limits first: a flood is turned away (429) before it costs a database query.
    subnet = fraud.subnet_of(ip)
    window = conf.get("VOTING_RATE_WINDOW")
    ratelimit.enforce_all(
        [
            ratelimit.Limit("vote-ip", ip or "-", conf.get("VOTING_RATE_IP"), window),
            ratelimit.Limit("vote-net", subnet or "-", conf.get("VOTING_RATE_SUBNET"), window),
            ratelimit.Limit("vote-voter", str(voter.pk), conf.get("VOTING_RATE_VOTER"), window),
        ]
    )
    if not voting_window(contest, now).is_open:
        raise DomainError(_("Voting is not open."), code="voting_closed")
    if entry.contest_id != contest.pk or not gallery_entries(contest).filter(pk=entry.pk).exists():
        raise DomainError(_("This entry cannot receive votes."), code="not_votable")
    voting = settings_for(contest)
    verdict = fraud.score(
        _signals(contest=contest, voter=voter, ip=ip, subnet=subnet, device=device, now=now)
    )
    with transaction.atomic():
        challenge.consume(challenge_payload)
        return record_vote(
            contest=contest,
            entry=entry,
            voter=voter,
            at=now,
            voting=voting,
            held=verdict.hold,
            signals=list(verdict.reasons),
            ip=ip,
            subnet=subnet,
            device=device,
        )


def record_vote(
    *,
    contest: Contest,
    entry: Entry,
    voter: Voter,
    at: dt.datetime,
    voting: VotingSettings | None = None,
    held: bool = False,
    signals: list[str] | None = None,
    ip: str | None = None,
    subnet: str = "",
    device: str = "",
) -> Vote:
    """Insert one vote under the policy's unique constraints, with a fresh receipt.

    The part of casting that writes (cast_vote checks and spends the challenge first;
    the demo loader replays past votes through it). One short transaction, no lock
    shared by the contest's voters; asks the sequencer to seal the vote after commit.
    The vote's ``receipt_code`` is set for the response and never stored (only its tag).
    Raises AlreadyVoted (409) when the policy forbids another vote.
    """
    voting = voting or settings_for(contest)
    code = new_receipt_code()
    vote = Vote(
        contest=contest,
        entry=entry,
        voter=voter,
        period=ledger.period_key(voting.policy, at, settings.TIME_ZONE),
        cast_at=at,
        state=VoteState.HELD if held else VoteState.VALID,
        signals=signals or [],
        ip=ip,
        subnet=subnet,
        device=device,
        receipt=ledger.receipt_tag(code),
    )
    with transaction.atomic():
        _insert_under_policy(vote, voting)
        # robust: a failed kick never fails a committed vote (the sweep seals it).
        transaction.on_commit(lambda: _kick(contest.pk), robust=True)
    vote.receipt_code = code
    return vote


def new_receipt_code() -> str:
    """Ten characters without look-alikes (0/O, 1/I/L), shown as XXXXX-XXXXX."""
    raw = "".join(secrets.choice(ledger.RECEIPT_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _kick(contest_id: int) -> None:
    from . import tasks  # tasks import the sequencer; imported late to keep domain light

    tasks.kick(contest_id)


def _signals(
    *, contest: Contest, voter: Voter, ip: str | None, subnet: str, device: str, now: dt.datetime
) -> fraud.Signals:
    """Gather the facts fraud.score needs (three small indexed queries)."""
    since = now - dt.timedelta(seconds=conf.get("VOTING_FRAUD_WINDOW"))
    recent = Vote.objects.filter(contest=contest, subnet=subnet, cast_at__gte=since)
    counts = recent.aggregate(subnet=Count("pk"), ip=Count("pk", filter=Q(ip=ip)))
    times = list(recent.order_by("-cast_at").values_list("cast_at", flat=True)[:9])
    times = [now, *times]
    intervals = [(a - b).total_seconds() for a, b in itertools.pairwise(times)]
    identities = 0
    if device:
        identities = (
            Vote.objects.filter(contest=contest, device=device)
            .exclude(voter=voter)
            .values("voter")
            .distinct()
            .count()
        ) + 1
    return fraud.Signals(
        ip_votes=counts["ip"] + 1,
        subnet_votes=counts["subnet"] + 1,
        device_identities=identities,
        email_domain=voter.email_domain,
        intervals=intervals if subnet else [],
        extra_disposable=frozenset(conf.get("VOTING_DISPOSABLE_DOMAINS")),
    )


def _insert_under_policy(vote: Vote, voting: VotingSettings) -> None:
    """Insert ``vote``; the unique constraints decide, never a count read beforehand."""
    ballot = Q(contest=vote.contest, voter=vote.voter, entry=vote.entry, period=vote.period)
    if voting.policy != VotePolicy.DAILY:
        try:
            with transaction.atomic():
                vote.save(force_insert=True)
        except IntegrityError as exc:
            raise AlreadyVoted(_("You have already voted for this entry.")) from exc
        return
    # Daily policy: try the voter's free slots of the day; a concurrent vote that takes
    # the same slot makes this insert fail and the next slot is tried.
    taken = set(
        Vote.objects.filter(contest=vote.contest, voter=vote.voter, period=vote.period).values_list(
            "slot", flat=True
        )
    )
    for slot in range(1, voting.votes_per_day + 1):
        if slot in taken:
            continue
        vote.slot = slot
        try:
            with transaction.atomic():
                vote.save(force_insert=True)
        except IntegrityError:
            vote.pk = None
            if Vote.objects.filter(ballot).exists():
                raise AlreadyVoted(_("You have already voted for this entry today.")) from None
            continue
        return
    if Vote.objects.filter(ballot).exists():
        raise AlreadyVoted(_("You have already voted for this entry today."))
    raise AlreadyVoted(
        _("You have used all %(n)d of today's votes. Come back tomorrow.")
        % {"n": voting.votes_per_day}
    )


# --- The vote log ------------------------------------------------------------------------


def ledger_header(contest: Contest) -> ledger.Header:
    """The header line of the contest's leaves file."""
    from . import signing

    voting = settings_for(contest)
    return ledger.Header(
        contest=contest.slug,
        origin=signing.origin(contest.slug),
        key=signing.log_key().verifier,
        policy=voting.policy,
        votes_per_day=voting.votes_per_day,
        timezone=settings.TIME_ZONE,
    )


# --- Review ------------------------------------------------------------------------------


def review_vote(*, vote: Vote, by: Any, invalidate: bool, reason: str = "", note: str = "") -> Vote:
    """Confirm a held vote (it counts as valid) or invalidate it with a reason.

    Invalidating asks the sequencer to append an ``invalidate`` leaf to the vote log
    (the vote's leaf stays) so that the tally and the public recount exclude it. Logs an
    audit event. Only HELD votes can be reviewed, and only once (the row is locked).
    """
    if invalidate and reason not in ExclusionReason.values:
        raise DomainError(_("Choose why the vote is invalid."), code="reason_required")
    with transaction.atomic():
        locked = Vote.objects.select_for_update().select_related("contest", "entry").get(pk=vote.pk)
        if locked.state not in VoteState.reviewable():
            raise Conflict(_("This vote has already been reviewed."))
        before = audit.snapshot(locked, ["state", "reason"])
        locked.state = VoteState.INVALID if invalidate else VoteState.VALID
        locked.reason = reason if invalidate else ""
        locked.note = note
        locked.reviewed_by = by
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["state", "reason", "note", "reviewed_by", "reviewed_at"])
        if invalidate:
            transaction.on_commit(lambda: _kick(locked.contest_id), robust=True)
        audit.record(
            action="vote.invalidate" if invalidate else "vote.confirm",
            target=locked,
            before=before,
            after=audit.snapshot(locked, ["state", "reason"]),
            contest=locked.contest,
            actor=by,
            reason=note,
        )
    return locked


def update_settings(*, contest: Contest, by: Any, **values: Any) -> VotingSettings:
    """Change a contest's voting settings (created on first change). Logs an audit event.

    The policy cannot change once votes exist: the constraints already applied to them.
    """
    fields = ["policy", "votes_per_day", "counts", "allow_email", "allow_phone"]
    with transaction.atomic():
        VotingSettings.objects.get_or_create(contest=contest)
        row = VotingSettings.objects.select_for_update().get(contest=contest)
        before = audit.snapshot(row, fields)
        policy_change = any(
            values.get(f, getattr(row, f)) != getattr(row, f) for f in ("policy", "votes_per_day")
        )
        if policy_change and Vote.objects.filter(contest=contest).exists():
            raise Conflict(_("The vote policy cannot change once votes have been cast."))
        for name in fields:
            if name in values:
                setattr(row, name, values[name])
        if not (row.allow_email or row.allow_phone):
            raise DomainError(_("Voters need at least one way to verify."))
        row.save()
        audit.record(
            action="voting.settings",
            target=row,
            before=before,
            after=audit.snapshot(row, fields),
            contest=contest,
            actor=by,
        )
    return row


# --- Sharing -----------------------------------------------------------------------------


def create_share_link(*, entry: Entry) -> ShareLink:
    """A new referral code for ``entry`` (a fresh code per share, so reach per link)."""
    if not gallery_entries(entry.contest).filter(pk=entry.pk).exists():
        raise NotAllowed(_("This entry is not in the public gallery."))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return ShareLink.objects.create(
                    code=secrets.token_urlsafe(6), contest=entry.contest, entry=entry
                )
        except IntegrityError:
            continue
    raise Conflict(_("Please try again."))


def record_visit(*, link: ShareLink, ip: str | None, user_agent: str, now: dt.datetime) -> None:
    """Count one visit through ``link`` as reach, at most once per visitor (keyed hash of
    address and browser) per day: the unique constraint drops repeats. Never a vote."""
    day = timezone.localtime(now).date()
    visitor = identity.visitor_hash(ip, user_agent, day.isoformat())
    ReachVisit.objects.bulk_create(
        [ReachVisit(link=link, entry_id=link.entry_id, visitor=visitor, day=day, at=now)],
        ignore_conflicts=True,
    )


def clone_settings(*, source: Contest, target: Contest, by: Any) -> VotingSettings | None:
    """Copy the voting rules to a cloned edition (a contests clone step)."""
    row = VotingSettings.objects.filter(contest=source).first()
    if row is None:
        return None
    return update_settings(
        contest=target,
        by=by,
        policy=row.policy,
        votes_per_day=row.votes_per_day,
        counts=row.counts,
        allow_email=row.allow_email,
        allow_phone=row.allow_phone,
    )

"""Voters, codes, votes and the append-only vote log (leaves and signed tree heads).

The vote policy lives in the database: ``vote_ballot_once`` allows one ballot per
(contest, voter, entry, period) and ``vote_slot_once`` one per (contest, voter, period,
slot), so concurrent requests can never add a vote the policy forbids.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import CountsVisibility, ExclusionReason, IdentityKind, VotePolicy, VoteState


class VotingSettings(models.Model):
    """A contest's voting rules (one row per contest; defaults when absent)."""

    contest = models.OneToOneField(
        "contests.Contest", on_delete=models.CASCADE, primary_key=True, related_name="voting"
    )
    policy = models.CharField(
        _("vote policy"), max_length=12, choices=VotePolicy.choices, default=VotePolicy.PER_ENTRY
    )
    votes_per_day = models.PositiveSmallIntegerField(
        _("votes per voter per day"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Only for the daily policy."),
    )
    counts = models.CharField(
        _("vote counts"),
        max_length=12,
        choices=CountsVisibility.choices,
        default=CountsVisibility.LIVE,
    )
    allow_email = models.BooleanField(_("voters may verify an e-mail address"), default=True)
    allow_phone = models.BooleanField(_("voters may verify a phone number"), default=True)

    class Meta:
        verbose_name = _("voting settings")
        verbose_name_plural = _("voting settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(allow_email=True) | Q(allow_phone=True), name="voting_some_identity"
            )
        ]

    def __str__(self) -> str:
        return str(self.contest)


class Voter(models.Model):
    """A verified e-mail address or phone number, kept only as a keyed hash."""

    kind = models.CharField(max_length=8, choices=IdentityKind.choices)
    identity_hash = models.CharField(max_length=64, unique=True)
    email_domain = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.identity_hash[:8]}"


class VerificationCode(models.Model):
    """A one-time code sent to an identity. ``id`` is the request it is bound to."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=8, choices=IdentityKind.choices)
    identity_hash = models.CharField(max_length=64)
    email_domain = models.CharField(max_length=255, blank=True)
    code_hash = models.CharField(max_length=64)
    tries = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="voting_code_expiry_idx")]

    def __str__(self) -> str:
        return str(self.id)


class UsedChallenge(models.Model):
    """A solved proof-of-work challenge; the primary key makes each one single use."""

    digest = models.CharField(max_length=64, primary_key=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.digest


class Vote(models.Model):
    """One ballot. ``period`` is "" (whole contest) or the local day under a daily policy;
    ``slot`` numbers a voter's ballots within a daily period (NULL: no per-day limit)."""

    contest = models.ForeignKey("contests.Contest", on_delete=models.PROTECT, related_name="votes")
    entry = models.ForeignKey("entries.Entry", on_delete=models.PROTECT, related_name="votes")
    voter = models.ForeignKey(Voter, on_delete=models.PROTECT, related_name="votes")
    period = models.CharField(max_length=10, blank=True)
    slot = models.PositiveSmallIntegerField(null=True, blank=True)
    cast_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        _("state"), max_length=8, choices=VoteState.choices, default=VoteState.VALID
    )
    signals = models.JSONField(_("signals"), default=list, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    subnet = models.CharField(max_length=50, blank=True)
    device = models.CharField(max_length=64, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(
        _("reason"), max_length=20, choices=ExclusionReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    # The tag of the voter's receipt code (ledger.receipt_tag); the code is shown once.
    receipt = models.CharField(max_length=32, null=True, blank=True, unique=True)
    # Set by the sequencer: the leaf index of the vote, and of its invalidation.
    leaf_index = models.PositiveBigIntegerField(null=True, blank=True)
    invalidation_index = models.PositiveBigIntegerField(null=True, blank=True)

    # The receipt code of a vote just cast (never stored), for the response.
    receipt_code: str = ""

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["cast_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "voter", "entry", "period"], name="vote_ballot_once"
            ),
            models.UniqueConstraint(
                fields=["contest", "voter", "period", "slot"], name="vote_slot_once"
            ),
        ]
        indexes = [
            models.Index(fields=["contest", "state", "entry"], name="vote_tally_idx"),
            models.Index(fields=["contest", "ip", "cast_at"], name="vote_ip_idx"),
            models.Index(fields=["contest", "subnet", "cast_at"], name="vote_subnet_idx"),
            models.Index(fields=["contest", "device"], name="vote_device_idx"),
            models.Index(
                fields=["contest", "cast_at", "id"],
                condition=Q(leaf_index__isnull=True),
                name="vote_unsealed_idx",
            ),
            models.Index(
                fields=["contest", "reviewed_at"],
                condition=Q(state=VoteState.INVALID, invalidation_index__isnull=True),
                name="vote_unsealed_strike_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"vote {self.pk} ({self.state})"


class LogLeaf(models.Model):
    """One leaf of a contest's vote log (see voting/ledger.py): a vote or an
    invalidation, in the order the sequencer sealed it. Append-only: database triggers
    refuse UPDATE and DELETE; a vote is sealed once and invalidated at most once."""

    contest = models.ForeignKey("contests.Contest", on_delete=models.PROTECT, related_name="+")
    index = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=12)
    data = models.TextField()  # the canonical leaf bytes (ASCII)
    hash = models.CharField(max_length=64)
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="leaves")
    entry = models.ForeignKey("entries.Entry", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=20, blank=True)
    sealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["contest", "index"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "index"], name="log_leaf_index_once"),
            models.UniqueConstraint(fields=["vote", "kind"], name="log_leaf_vote_once"),
        ]
        indexes = [models.Index(fields=["contest", "kind", "entry"], name="log_leaf_tally_idx")]

    def __str__(self) -> str:
        return f"{self.contest_id}#{self.index} {self.kind}"


class TreeHead(models.Model):
    """A signed tree head (C2SP checkpoint) of a contest's log, published by the
    sequencer each time the tree grows. ``frontier`` keeps the roots of the tree's
    perfect subtrees so the next seal extends the tree without rereading leaves.
    Append-only like the leaves."""

    contest = models.ForeignKey("contests.Contest", on_delete=models.PROTECT, related_name="+")
    size = models.PositiveBigIntegerField()
    root = models.CharField(max_length=64)
    at = models.DateTimeField()
    note = models.TextField()
    frontier = models.JSONField(default=list)

    class Meta:
        ordering = ["contest", "size"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "size"], name="tree_head_size_once"),
        ]

    def __str__(self) -> str:
        return f"{self.contest_id}@{self.size}"


class ShareLink(models.Model):
    """A referral code for one entry; visits through it count as reach, never as votes."""

    code = models.CharField(max_length=16, unique=True)
    contest = models.ForeignKey("contests.Contest", on_delete=models.CASCADE, related_name="+")
    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="shares")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.code


class ReachVisit(models.Model):
    """One visitor (keyed hash of address and browser) through one link on one day."""

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="visits")
    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="+")
    visitor = models.CharField(max_length=64)
    day = models.DateField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["link", "visitor", "day"], name="reach_visit_once")
        ]
        indexes = [models.Index(fields=["entry"], name="reach_entry_idx")]

    def __str__(self) -> str:
        return f"{self.link_id}:{self.day}"

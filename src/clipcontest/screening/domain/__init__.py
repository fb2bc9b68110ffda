"""Screening's domain functions (the only code that moves screening states)."""

from ._common import lock_unit_screening
from .clock import enter_screening, lock_due_stages, lock_stage, run_clock, unplaced_entries
from .decisions import (
    clear_decision,
    forward_entries,
    reject_entry,
    shortlist_entry,
    withdraw_forward,
)
from .organizer import clone_level_settings, configure_level, reopen_unit, send_reminders

__all__ = [
    "clear_decision",
    "clone_level_settings",
    "configure_level",
    "enter_screening",
    "forward_entries",
    "lock_due_stages",
    "lock_stage",
    "lock_unit_screening",
    "reject_entry",
    "reopen_unit",
    "run_clock",
    "send_reminders",
    "shortlist_entry",
    "unplaced_entries",
    "withdraw_forward",
]

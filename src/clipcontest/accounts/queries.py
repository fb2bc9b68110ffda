"""Which roles a user holds, loaded once per request and kept on the user object."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .enums import Role


@dataclass(frozen=True)
class HeldRole:
    role: str
    unit_id: int | None
    hierarchy_id: int | None
    unit_path: str | None
    contest_id: int | None


def held_roles(user: Any) -> list[HeldRole]:
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_held_roles", None)
    if cached is None:
        from .models import RoleGrant

        cached = [
            HeldRole(
                g.role,
                g.unit_id,
                g.unit.hierarchy_id if g.unit else None,
                g.unit.path if g.unit else None,
                g.contest_id,
            )
            for g in RoleGrant.objects.filter(user=user).select_related("unit")
        ]
        user._held_roles = cached
    return cached


def holds_unit_role(user: Any, role: Role, unit: Any, *, strict: bool = False) -> bool:
    """True if ``user`` holds ``role`` on ``unit`` or on a unit above it.

    With ``strict`` the role must be on a unit strictly above ``unit``.
    """
    if unit is None:
        return False
    for held in held_roles(user):
        if held.role != role or held.hierarchy_id != unit.hierarchy_id or not held.unit_path:
            continue
        if unit.path.startswith(held.unit_path) and not (strict and held.unit_id == unit.pk):
            return True
    return False


def units_with_role(user: Any, role: Role) -> list[int]:
    return [h.unit_id for h in held_roles(user) if h.role == role and h.unit_id]


def is_juror_of(user: Any, contest: Any) -> bool:
    return any(h.role == Role.JUROR and h.contest_id == contest.pk for h in held_roles(user))

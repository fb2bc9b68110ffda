"""Loading hierarchies and managing teams."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from clipcontest.audit.domain import record
from clipcontest.core.errors import DomainError

from .csvtree import UnitRow, parse_units_csv
from .enums import TeamRole
from .models import Hierarchy, Level, Team, TeamMembership, Unit


@transaction.atomic
def import_units_csv(*, hierarchy: Hierarchy, text: str, by: Any = None) -> int:
    """Add the units in ``text`` (CSV) to ``hierarchy``. All or nothing.

    Raises DomainError listing every bad line; on success writes the units, any new
    levels and one audit event, and returns the number of units added.
    """
    existing = {
        u.code: (u.level.name, u.depth)
        for u in Unit.objects.filter(hierarchy=hierarchy).select_related("level")
    }
    parsed = parse_units_csv(text, existing=existing)
    if parsed.errors:
        raise DomainError(*parsed.errors)
    return _write_rows(
        hierarchy=hierarchy, rows=parsed.rows, level_ranks=parsed.level_ranks, by=by, source="csv"
    )


def _write_rows(
    *, hierarchy: Hierarchy, rows: list[UnitRow], level_ranks: dict[str, int], by: Any, source: str
) -> int:
    levels = {lv.name: lv for lv in Level.objects.filter(hierarchy=hierarchy)}
    for name, rank in level_ranks.items():
        if name not in levels:
            levels[name] = Level.objects.create(hierarchy=hierarchy, name=name, rank=rank)
    units = {u.code: u for u in Unit.objects.filter(hierarchy=hierarchy)}
    # Rows come parent-first, so each depth can be inserted in one bulk statement.
    by_depth: dict[int, list[UnitRow]] = {}
    for row in rows:
        by_depth.setdefault(level_ranks[row.level], []).append(row)
    for depth in sorted(by_depth):
        batch = []
        for row in by_depth[depth]:
            parent = units.get(row.parent_code) if row.parent_code else None
            batch.append(
                Unit(
                    hierarchy=hierarchy,
                    level=levels[row.level],
                    parent=parent,
                    code=row.code,
                    name=row.name,
                    kind=row.kind,
                    path=Unit.make_path(parent.path if parent else None, row.code),
                    depth=(parent.depth + 1) if parent else 0,
                )
            )
        try:
            created = Unit.objects.bulk_create(batch, batch_size=500)
        except IntegrityError as exc:
            raise DomainError(_("Some unit codes already exist in this hierarchy.")) from exc
        if any(u.pk is None for u in created):  # backends without RETURNING
            fetched = Unit.objects.filter(hierarchy=hierarchy, code__in=[u.code for u in batch])
            units.update({u.code: u for u in fetched})
        else:
            units.update({u.code: u for u in created})
    record(
        action="units.imported",
        target=hierarchy,
        actor=by,
        after={"source": source, "units": len(rows)},
    )
    return len(rows)


@transaction.atomic
def import_vietnam(*, by: Any = None, province_codes: list[int] | None = None) -> Hierarchy:
    """Load Vietnam's current two-level divisions (province → commune/ward).

    Data from the ``vietnam-provinces`` package (34 provinces, 3,321 communes and
    wards since 1 July 2025). Running it again adds only what is missing.
    """
    import vietnam_provinces as vp

    hierarchy, _created = Hierarchy.objects.get_or_create(
        slug="vn-2025",
        defaults={
            "name": "Việt Nam (từ 01/07/2025)",
            "source": f"vietnam-provinces {vp.__version__} ({vp.__data_version__})",
        },
    )
    have = set(Unit.objects.filter(hierarchy=hierarchy).values_list("code", flat=True))
    rows: list[UnitRow] = []
    wanted = set(province_codes or [])
    line = 0
    for province in vp.Province.iter_all():
        if wanted and province.code.value not in wanted:
            continue
        pcode = f"{province.code.value:02d}"  # official GSO format, e.g. 01, 51
        line += 1
        if pcode not in have:
            kind = str(province.division_type.value)
            # Centrally-run cities carry "Thành phố" in their name; provinces do not.
            name = province.name
            if not name.startswith("Thành phố"):
                name = f"Tỉnh {name}"
            rows.append(UnitRow(line, pcode, name, "tỉnh", "", kind))
        for ward in vp.Ward.iter_by_province(province.code):
            line += 1
            code = f"{ward.code.value:05d}"  # official 5-digit GSO format
            if code not in have:
                rows.append(
                    UnitRow(line, code, ward.name, "xã", pcode, str(ward.division_type.value))
                )
    _write_rows(
        hierarchy=hierarchy,
        rows=rows,
        level_ranks={"tỉnh": 0, "xã": 1},
        by=by,
        source=hierarchy.source,
    )
    return hierarchy


@transaction.atomic
def create_team(
    *, unit: Unit, name: str, by: Any, contact_email: str = "", is_demo: bool = False
) -> Team:
    """Register a Tổ công nghệ số cộng đồng in a unit; logged."""
    if not name.strip():
        raise DomainError(_("A team needs a name."))
    try:
        with transaction.atomic():
            team = Team.objects.create(
                unit=unit, name=name.strip(), contact_email=contact_email, is_demo=is_demo
            )
    except IntegrityError as exc:
        raise DomainError(
            _("This unit already has a team named %(name)s.") % {"name": name}, code="conflict"
        ) from exc
    record(
        action="team.created", target=team, actor=by, after={"unit": unit.code, "name": team.name}
    )
    return team


@transaction.atomic
def add_team_member(
    *, team: Team, user: Any, by: Any, role: str = TeamRole.MEMBER
) -> TeamMembership:
    """Add a person to a team (idempotent); logged when it changes something."""
    membership, created = TeamMembership.objects.get_or_create(
        team=team, user=user, defaults={"role": role}
    )
    if created:
        record(
            action="team.member_added", target=team, actor=by, after={"user": user.pk, "role": role}
        )
    return membership

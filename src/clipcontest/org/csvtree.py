"""Pure validation of a unit hierarchy given as CSV rows: no database inside.

A file is accepted whole or refused whole; every problem is reported with its line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

REQUIRED_COLUMNS = ("code", "name", "level", "parent_code")
CODE_RE = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")


@dataclass(frozen=True)
class UnitRow:
    line: int
    code: str
    name: str
    level: str
    parent_code: str
    kind: str


@dataclass
class ParsedTree:
    """Rows in parent-before-child order, each level's rank, and any errors."""

    rows: list[UnitRow] = field(default_factory=list)
    level_ranks: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def parse_units_csv(text: str, *, existing: dict[str, tuple[str, int]] | None = None) -> ParsedTree:
    """Validate CSV text. ``existing`` maps codes already in the hierarchy to
    (level name, depth) so a file can extend a tree."""
    existing = existing or {}
    result = ParsedTree()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        result.errors.append(
            _("Line 1: missing columns: %(cols)s (expected code, name, level, parent_code).")
            % {"cols": ", ".join(missing)}
        )
        return result
    rows: dict[str, UnitRow] = {}
    for line, raw in enumerate(reader, start=2):
        values = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        row = UnitRow(
            line=line,
            code=values["code"],
            name=values["name"],
            level=values["level"],
            parent_code=values["parent_code"],
            kind=values.get("kind") or values["level"],
        )
        problems = _row_problems(row, rows, existing)
        result.errors += [
            _("Line %(line)s: %(problem)s") % {"line": line, "problem": p} for p in problems
        ]
        if not problems:
            rows[row.code] = row
    if not rows and not result.errors:
        result.errors.append(_("The file holds no units."))
    _order_and_rank(rows, existing, result)
    return result


def _row_problems(
    row: UnitRow, seen: dict[str, UnitRow], existing: dict[str, tuple[str, int]]
) -> list[str]:
    problems = []
    if not CODE_RE.match(row.code):
        problems.append(
            _("the code %(code)r may only hold letters, digits, '.', '_', '-' (1 to 32).")
            % {"code": row.code}
        )
    elif row.code in seen:
        problems.append(
            _("the code %(code)s is repeated (first on line %(first)s).")
            % {"code": row.code, "first": seen[row.code].line}
        )
    elif row.code in existing:
        problems.append(
            _("the code %(code)s already exists in this hierarchy.") % {"code": row.code}
        )
    if not row.name:
        problems.append(_("the name is empty."))
    if not row.level:
        problems.append(_("the level is empty."))
    if row.parent_code and row.parent_code == row.code:
        problems.append(_("a unit cannot be its own parent."))
    return problems


def _order_and_rank(
    rows: dict[str, UnitRow], existing: dict[str, tuple[str, int]], result: ParsedTree
) -> None:
    depth: dict[str, int] = {code: d for code, (_lvl, d) in existing.items()}
    level_depth: dict[str, tuple[int, int]] = {lvl: (d, 0) for lvl, d in existing.values()}
    pending = dict(rows)
    while pending:
        ready = [r for r in pending.values() if not r.parent_code or r.parent_code in depth]
        if not ready:
            break
        for row in sorted(ready, key=lambda r: r.line):
            depth[row.code] = depth[row.parent_code] + 1 if row.parent_code else 0
            known = level_depth.get(row.level)
            if known is not None and known[0] != depth[row.code]:
                where = (_("line %(line)s") % {"line": known[1]}) if known[1] else _("the tree")
                result.errors.append(
                    _(
                        "Line %(line)s: the level %(level)s sits at depth %(depth)s here but at "
                        "depth %(other)s in %(where)s."
                    )
                    % {
                        "line": row.line,
                        "level": row.level,
                        "depth": depth[row.code],
                        "other": known[0],
                        "where": where,
                    }
                )
            else:
                level_depth.setdefault(row.level, (depth[row.code], row.line))
            result.rows.append(row)
            del pending[row.code]
    for row in sorted(pending.values(), key=lambda r: r.line):
        if row.parent_code in rows:
            msg = _("the parent %(parent)s is part of a cycle.")
        else:
            msg = _("the parent code %(parent)s is neither in the file nor in the hierarchy.")
        result.errors.append(
            _("Line %(line)s: %(problem)s")
            % {"line": row.line, "problem": msg % {"parent": row.parent_code}}
        )
    ranks_used: dict[int, str] = {}
    for level, (d, line) in level_depth.items():
        if d in ranks_used and ranks_used[d] != level:
            result.errors.append(
                _(
                    "Line %(line)s: the levels %(a)s and %(b)s are both at depth %(depth)s; "
                    "use one level name per depth and the kind column for variants."
                )
                % {"line": line or 1, "a": ranks_used[d], "b": level, "depth": d}
            )
        ranks_used[d] = level
    result.level_ranks = {level: d for level, (d, _line) in level_depth.items()}
    if result.errors:
        result.rows = []

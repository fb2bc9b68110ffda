"""System checks about the database the application runs on.

``clipcontest check --database default`` (and every ``migrate``) warns when the
application's PostgreSQL role owns clipcontest's tables or is a superuser: such a
role can disable the append-only triggers (``core.appendonly``), so the audit log and
the vote ledger would be append-only only by the application's good will.
docs/deployment.md shows the set-up with an owner role for migrations and an
application role that owns nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError, connections

ROLE_OWNS_TABLES = "clipcontest.W001"
ROLE_IS_SUPERUSER = "clipcontest.W002"
HINT = (
    "Run the application as a role that owns no table, and migrations as the owner "
    "role (docs/deployment.md, 'Database roles')."
)


def app_tables() -> list[str]:
    return sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)})


def role_findings(connection: Any) -> list[CheckMessage]:
    """Warnings for the role ``connection`` signs in as (none on other databases)."""
    if connection.vendor != "postgresql":
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
            )
            user, superuser = cursor.fetchone()
            cursor.execute(
                "SELECT c.relname FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY(current_schemas(false)) "
                "AND pg_get_userbyid(c.relowner) = current_user AND c.relname = ANY(%s) "
                "ORDER BY c.relname",
                [app_tables()],
            )
            owned = [name for (name,) in cursor.fetchall()]
    except DatabaseError:  # no database yet: nothing to say about its roles
        return []
    findings: list[CheckMessage] = []
    if owned:
        findings.append(
            Warning(
                f"The database role {user!r} owns {len(owned)} of clipcontest's tables "
                f"(e.g. {owned[0]}): it can disable the append-only triggers.",
                hint=HINT,
                id=ROLE_OWNS_TABLES,
            )
        )
    if superuser:
        findings.append(
            Warning(
                f"The database role {user!r} is a superuser: it can bypass every trigger.",
                hint=HINT,
                id=ROLE_IS_SUPERUSER,
            )
        )
    return findings


@register(Tags.database)
def check_database_roles(
    app_configs: Sequence[AppConfig] | None = None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[CheckMessage]:
    return [finding for alias in databases or [] for finding in role_findings(connections[alias])]

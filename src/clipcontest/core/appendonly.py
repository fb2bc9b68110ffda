"""Triggers that make a table append-only in the database itself.

The audit log and the vote ledger use them (from their migrations): the ORM refuses
changes too, but a trigger also stops raw SQL and other programs. PostgreSQL gets a
plpgsql row trigger for UPDATE and DELETE and, since TRUNCATE fires no row trigger, a
statement trigger refusing TRUNCATE of a table that holds records (emptying an empty
table loses nothing, which lets the test suite's flush pass once it has lifted the
trigger to empty the table itself). SQLite, which has no TRUNCATE, gets one trigger per
refused operation.

A table's owner can still disable its triggers: production runs the application as a
role that owns no table (docs/deployment.md; ``clipcontest check`` warns otherwise).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

OPERATIONS = ("UPDATE", "DELETE")


def postgres_create(table: str) -> str:
    # %% survives psycopg's placeholder handling as a single %.
    return f"""
CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{table} is append-only (%% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
"""


def postgres_truncate_create(table: str) -> str:
    # Replaces the function of postgres_create with one that lets an empty table go.
    return f"""
CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' AND NOT EXISTS (SELECT 1 FROM {table}) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '{table} is append-only (%% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
CREATE TRIGGER {table}_no_truncate
    BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only();
"""  # noqa: S608 - table names come from the migrations


def postgres_truncate_drop(table: str) -> str:
    return f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};"


def postgres_drop(table: str) -> str:
    return f"""
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
DROP FUNCTION IF EXISTS {table}_append_only();
"""


def sqlite_create(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table}
    BEGIN SELECT RAISE(ABORT, '{table} is append-only ({op} refused)'); END;"""
        for op in OPERATIONS
    ]


def sqlite_drop(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_{op.lower()}" for op in OPERATIONS]


def append_only(table: str) -> migrations.RunPython:
    """A migration operation installing (and, backwards, removing) the triggers."""

    def statements(vendor: str, *, create: bool) -> list[str]:
        if vendor == "postgresql":
            return [postgres_create(table) if create else postgres_drop(table)]
        if vendor == "sqlite":
            return sqlite_create(table) if create else sqlite_drop(table)
        return []

    def forwards(apps: Any, schema_editor: Any) -> None:
        for statement in statements(schema_editor.connection.vendor, create=True):
            schema_editor.execute(statement)

    def backwards(apps: Any, schema_editor: Any) -> None:
        for statement in statements(schema_editor.connection.vendor, create=False):
            schema_editor.execute(statement)

    return migrations.RunPython(forwards, backwards)


def refuse_truncate(table: str) -> migrations.RunPython:
    """A migration operation adding (backwards: removing) the TRUNCATE trigger on
    PostgreSQL; nothing to do on SQLite, which has no TRUNCATE."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(postgres_truncate_create(table))

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(postgres_truncate_drop(table))

    return migrations.RunPython(forwards, backwards)


#: The append-only tables, for the test suite's flush and for ``clipcontest check``.
TABLES = ("audit_auditevent", "voting_logleaf", "voting_treehead")

"""The production database set-up: the application's role owns no table, so it can
write rows but cannot disable the append-only triggers; `clipcontest check` warns when
the role it runs as owns the tables (PostgreSQL only: SQLite has no roles)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, connections

from clipcontest.audit.domain import record
from clipcontest.core.checks import (
    ROLE_IS_SUPERUSER,
    ROLE_OWNS_TABLES,
    check_database_roles,
    role_findings,
)
from clipcontest.core.dbroles import app_role_grants

from ..factories import UnitFactory, UserFactory

DEPLOYMENT = Path(__file__).resolve().parents[2] / "docs" / "deployment.md"


def test_documented_grants_are_the_tested_ones():
    text = DEPLOYMENT.read_text(encoding="utf-8")
    statements = app_role_grants(
        database="clipcontest", owner="clipcontest_owner", app="clipcontest_app"
    )
    assert [s for s in statements if s not in text] == []


@pytest.fixture
def app_role() -> Iterator[Any]:
    """A login role set up as docs/deployment.md says, and a connection signed in as it."""
    owner_connection = connections["default"]
    database = owner_connection.settings_dict["NAME"]
    name = f"{database}_app"[:63]
    password = secrets.token_hex(16)
    with owner_connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
        cursor.execute(f'DROP ROLE IF EXISTS "{name}"')
        cursor.execute(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}'")
        for statement in app_role_grants(database=database, owner=owner, app=name):
            cursor.execute(statement)
    settings_dict = {**owner_connection.settings_dict, "USER": name, "PASSWORD": password}
    as_app = owner_connection.__class__(settings_dict, alias="clipcontest_app")
    try:
        yield as_app
    finally:
        as_app.close()
        with owner_connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{name}"')
            cursor.execute(f'DROP ROLE "{name}"')


def test_role_check_is_silent_on_sqlite_and_fires_for_the_owner_on_postgres(db):
    findings = check_database_roles(databases=["default"])
    if connection.vendor == "sqlite":
        assert findings == []  # no roles: nothing can be owned by the wrong one
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        (superuser,) = cursor.fetchone()
    expected = [ROLE_OWNS_TABLES, ROLE_IS_SUPERUSER] if superuser else [ROLE_OWNS_TABLES]
    assert [f.id for f in findings] == expected
    assert check_database_roles(databases=None) == []


@pytest.mark.django_db(transaction=True)
def test_app_role_writes_rows_but_cannot_lift_the_append_only_triggers(request):
    if connection.vendor != "postgresql":
        # SQLite has no roles; its append-only triggers are covered in tests/audit.
        assert role_findings(connection) == []
        return
    as_app = request.getfixturevalue("app_role")
    event = record(action="x", target=UnitFactory())
    user = UserFactory(username="lan")
    with connection.cursor() as cursor:
        columns = [
            c.name
            for c in connection.introspection.get_table_description(cursor, "audit_auditevent")
            if c.name != "id"
        ]
    names = ", ".join(f'"{c}"' for c in columns)

    with as_app.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO audit_auditevent ({names}) "  # noqa: S608 - names from the catalogue
            f"SELECT {names} FROM audit_auditevent WHERE id = %s",
            [event.pk],
        )
        cursor.execute("UPDATE accounts_user SET display_name = 'Lan' WHERE id = %s", [user.pk])
        assert cursor.rowcount == 1
    refused = []
    for statement in (
        "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only",
        "ALTER TABLE voting_logleaf DISABLE TRIGGER ALL",
        "TRUNCATE audit_auditevent",
        "UPDATE audit_auditevent SET action = 'forged'",
    ):
        with pytest.raises(DatabaseError) as caught, as_app.cursor() as cursor:
            cursor.execute(statement)
        refused.append(str(caught.value).splitlines()[0])

    assert refused == [
        "must be owner of table audit_auditevent",
        "must be owner of table voting_logleaf",
        "permission denied for table audit_auditevent",
        "audit_auditevent is append-only (UPDATE refused)",
    ]
    assert role_findings(as_app) == []
    assert ROLE_OWNS_TABLES in [f.id for f in role_findings(connection)]

from __future__ import annotations

import re

import pytest
from django.db import DatabaseError, connection, transaction

from clipcontest.audit.context import acting
from clipcontest.audit.domain import mask, record
from clipcontest.audit.models import AppendOnlyError, AuditEvent

from ..factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_record_takes_actor_and_ip_from_context():
    user = UserFactory()
    unit = UnitFactory()
    with acting(actor=user, ip="203.0.113.7", via="web"):
        event = record(action="x.done", target=unit, after={"a": 1})
    assert (event.actor, event.ip, event.via) == (user, "203.0.113.7", "web")
    assert event.target_type == "org.unit"
    assert event.target_id == str(unit.pk)


def test_mask_hides_sensitive_values():
    assert mask(
        {
            "password": "hunter2",
            "email": "nguyen.van.a@example.vn",
            "name": "A",
            "token_hash": "abc",
            "phone": "",
        }
    ) == {
        "password": "***",
        "email": "n***@example.vn",
        "name": "A",
        "token_hash": "***",
        "phone": "",
    }


def test_audit_event_cannot_be_changed_or_deleted_through_orm():
    event = record(action="x", target=UnitFactory())
    event.action = "y"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="z")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "x"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'forged' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_audit_trigger_refuses_raw_sql_changes(sql):
    event = record(action="x", target=UnitFactory())
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "x"


def test_audit_log_cannot_be_emptied():
    event = record(action="x", target=UnitFactory())
    # PostgreSQL empties a table with TRUNCATE, refused by a statement trigger; SQLite
    # has no TRUNCATE and empties with an unqualified DELETE, refused row by row.
    if connection.vendor == "postgresql":
        statement, refusal = "TRUNCATE audit_auditevent", "append-only (TRUNCATE refused)"
    else:
        statement, refusal = "DELETE FROM audit_auditevent", "append-only (DELETE refused)"
    with (
        pytest.raises(DatabaseError, match=re.escape(refusal)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The test's transaction holds deferred foreign-key checks, which TRUNCATE would
        # refuse on their own ("pending trigger events"): settle them first.
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(statement)
    assert AuditEvent.objects.get(pk=event.pk).action == "x"

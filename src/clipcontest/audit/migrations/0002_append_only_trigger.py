"""The database itself refuses UPDATE and DELETE on the audit log (PostgreSQL, SQLite)."""

from django.db import migrations

from clipcontest.core.appendonly import append_only


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [append_only("audit_auditevent")]

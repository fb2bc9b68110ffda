"""The audit log also refuses TRUNCATE on PostgreSQL (a statement trigger)."""

from django.db import migrations

from clipcontest.core.appendonly import refuse_truncate


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [refuse_truncate("audit_auditevent")]

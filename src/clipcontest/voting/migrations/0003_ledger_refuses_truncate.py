"""The vote ledger also refuses TRUNCATE on PostgreSQL (a statement trigger)."""

from django.db import migrations

from clipcontest.core.appendonly import refuse_truncate


class Migration(migrations.Migration):
    dependencies = [("voting", "0002_ledger_append_only")]
    operations = [refuse_truncate("voting_ledgerrecord")]

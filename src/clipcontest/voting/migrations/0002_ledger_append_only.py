"""The vote ledger is append-only: triggers refuse UPDATE and DELETE of its records."""

from django.db import migrations

from clipcontest.core.appendonly import append_only


class Migration(migrations.Migration):
    dependencies = [("voting", "0001_initial")]
    operations = [append_only("voting_ledgerrecord")]

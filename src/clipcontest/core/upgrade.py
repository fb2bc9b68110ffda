"""What a release needs before its processes start: migrations and static files.

``clipcontest upgrade`` applies both; ``serve`` only checks them (in well under a
second) so that a restart takes seconds and nodes starting together never race.
"""

from __future__ import annotations

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def pending_migrations() -> list[str]:
    """``app.migration`` names not yet applied to the default database."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def static_files_missing() -> bool:
    """True when the static files manifest was never collected on this node."""
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    return isinstance(manifest, str) and not staticfiles_storage.exists(manifest)


def upgrade(*, verbosity: int = 0) -> None:
    """Applies every pending migration and collects static files into STATIC_ROOT.

    Side effects: schema changes in the database, files written under STATIC_ROOT.
    Idempotent: a second run changes nothing."""
    call_command("migrate", interactive=False, verbosity=verbosity)
    call_command("collectstatic", interactive=False, verbosity=verbosity)

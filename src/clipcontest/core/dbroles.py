"""The grants of the production database set-up (docs/deployment.md, "Database roles").

Two roles: the owner runs the migrations and owns every table; the application signs
in as a role that owns nothing and may only read and write rows. It cannot alter a
table, disable a trigger or TRUNCATE, so the append-only tables stay append-only even
if the application is taken over. These statements are run once, as a superuser (or
the owner), in the application's database; the test suite runs the same ones.
"""

from __future__ import annotations


def app_role_grants(*, database: str, owner: str, app: str, schema: str = "public") -> list[str]:
    """SQL giving ``app`` row access to what ``owner`` has created and will create."""
    return [
        f'GRANT CONNECT ON DATABASE "{database}" TO "{app}";',
        f'GRANT USAGE ON SCHEMA "{schema}" TO "{app}";',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{app}";',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{app}";',
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA "{schema}" '
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{app}";',
        f'ALTER DEFAULT PRIVILEGES FOR ROLE "{owner}" IN SCHEMA "{schema}" '
        f'GRANT USAGE, SELECT ON SEQUENCES TO "{app}";',
    ]

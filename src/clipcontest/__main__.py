"""The ``clipcontest`` console command: the project's manage.py."""

import os
import sys


def main() -> None:
    from clipcontest.core.envfile import read_env_file

    # CLIPCONTEST_ENV_FILE: the same configuration for every command as for `serve`.
    os.environ.update(read_env_file())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clipcontest.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

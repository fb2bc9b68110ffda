"""gunicorn's configuration file for ``clipcontest serve``.

gunicorn executes this file at start and again on every SIGHUP, before it forks the new
workers: variables of ``CLIPCONTEST_ENV_FILE`` become the workers' environment, so a
reload applies an edited configuration as well as new code (the app is not preloaded).
Everything else is given on the command line by ``core/processes.py``.
"""

from typing import Any

from clipcontest.core.envfile import read_env_file

raw_env = [f"{name}={value}" for name, value in read_env_file().items()]


def child_exit(server: object, worker: Any) -> None:
    """A dead worker's gauges leave the sums (prometheus-client multiprocess mode)."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

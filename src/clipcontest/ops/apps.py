from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: metrics, health checks, backup and restore."""

    name = "clipcontest.ops"
    label = "ops"

    def ready(self) -> None:
        from clipcontest.core.metrics import register_collector

        from . import collectors, instruments

        for fn in collectors.BUILTIN:
            register_collector(fn)
        instruments.connect_queue_signals()

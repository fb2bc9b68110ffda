from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "clipcontest.screening"
    label = "screening"
    verbose_name = _("screening")

    def ready(self) -> None:
        from clipcontest.contests.domain import register_clone_step

        from .domain import clone_level_settings

        register_clone_step(clone_level_settings)

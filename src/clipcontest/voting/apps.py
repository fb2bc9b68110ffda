from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "clipcontest.voting"
    label = "voting"
    verbose_name = _("public voting")

    def ready(self) -> None:
        from clipcontest.contests.domain import register_clone_step

        from .domain import clone_settings

        register_clone_step(clone_settings)

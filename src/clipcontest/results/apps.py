from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "clipcontest.results"
    label = "results"

    def ready(self) -> None:
        from clipcontest.contests.domain import register_clone_step

        from .domain import clone_method, clone_tier_rules

        register_clone_step(clone_method)
        register_clone_step(clone_tier_rules)

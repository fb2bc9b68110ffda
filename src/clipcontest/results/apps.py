from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "clipcontest.results"
    label = "results"

    def ready(self) -> None:
        from clipcontest.contests.domain import (
            register_clone_step,
            register_prize_guard,
            register_timeline_guard,
        )

        from .commitment import prizes_guard, timeline_guard
        from .domain import clone_method, clone_tier_rules

        register_clone_step(clone_method)
        register_clone_step(clone_tier_rules)
        register_prize_guard(prizes_guard)
        register_timeline_guard(timeline_guard)

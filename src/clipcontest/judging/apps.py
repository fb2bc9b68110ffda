from django.apps import AppConfig


class JudgingConfig(AppConfig):
    name = "clipcontest.judging"
    label = "judging"

    def ready(self) -> None:
        from clipcontest.contests.domain import register_clone_step

        from .domain import clone_rubric

        register_clone_step(clone_rubric)

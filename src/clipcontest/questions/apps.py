from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "clipcontest.questions"
    label = "questions"
    verbose_name = _("entry questions")

    def ready(self) -> None:
        from clipcontest.contests.domain import register_clone_step
        from clipcontest.entries.domain import register_submit_check

        from .domain import clone_questions, submit_problems

        register_clone_step(clone_questions)
        register_submit_check(submit_problems)

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

        from django.db.models.signals import post_delete, post_save

        from .models import Vote
        from .pagecache import vote_changed

        # Counts on cached pages: every writer of votes (casting, review, the demo)
        # saves rows, so this is the one place that cannot be forgotten by a new path.
        post_save.connect(vote_changed, sender=Vote, dispatch_uid="voting.pages.vote")
        post_delete.connect(vote_changed, sender=Vote, dispatch_uid="voting.pages.vote-del")

"""How the entry-question actions read in the audit log."""

from django.utils.translation import gettext_lazy as _

from clipcontest.audit.sentences import register

register(
    kind="question",
    kind_label=_("Entry questions"),
    sentences={
        "question.added": _("%(actor)s added the entry question %(object)s"),
        "question.updated": _("%(actor)s changed the entry question %(object)s"),
        "question.moved": _("%(actor)s moved the entry question %(object)s"),
        "question.retired": _("%(actor)s retired the entry question %(object)s"),
        "question.deleted": _("%(actor)s deleted the entry question %(object)s"),
    },
)
register(
    kind="entry",
    kind_label=_("Entries"),
    sentences={"entry.answers_saved": _("%(actor)s answered the entry questions of %(object)s")},
)

"""How the entry actions read in the audit log."""

from django.utils.translation import gettext_lazy as _

from clipcontest.audit.sentences import register

from .enums import EntryStatus

register(
    kind="entry",
    kind_label=_("Entries"),
    sentences={
        "entry.created": _("%(actor)s created the entry %(object)s"),
        "entry.updated": _("%(actor)s edited the entry %(object)s"),
        "entry.submitted": _("%(actor)s submitted the entry %(object)s"),
        "entry.withdrawn": _("%(actor)s withdrew the entry %(object)s"),
        "entry.video_replaced": _("%(actor)s replaced the video of %(object)s"),
        "entry.captions_set": _("%(actor)s set the captions of %(object)s"),
        "entry.published": _("%(object)s became public in the gallery"),
        "entry.unpublished": _("%(object)s was taken out of the gallery"),
    },
    labels={
        "team": _("team"),
        "demo": _("demo data"),
        "published_at": _("published"),
        "description": _("description"),
        "topics": _("topics"),
        "licence": _("licence"),
    },
    values={"status": dict(EntryStatus.choices)},
)

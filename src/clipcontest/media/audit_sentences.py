"""How the upload and video actions read in the audit log."""

from django.utils.translation import gettext_lazy as _

from clipcontest.audit.sentences import register

register(
    kind="upload",
    kind_label=_("Uploads"),
    sentences={
        "upload.created": _("%(actor)s started uploading %(object)s"),
        "upload.accepted": _("%(actor)s finished uploading %(object)s"),
        "upload.refused": _("The upload %(object)s was refused"),
        "upload.terminated": _("%(actor)s cancelled the upload %(object)s"),
        "upload.expired": _("The unfinished upload %(object)s expired"),
    },
)
register(
    kind="video",
    kind_label=_("Videos"),
    sentences={
        "video.imported": _("%(actor)s attached a video to %(object)s"),
        "video.ready": _("The video %(object)s is ready to play"),
        "video.failed": _("The video %(object)s could not be processed"),
    },
    labels={"video": _("video"), "renditions": _("renditions"), "sha256": _("SHA-256")},
)

"""Background work of the video pipeline. Tasks take ids and delegate to domain functions."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def finish_upload_task(upload_id: str) -> None:
    from .domain import finish_upload

    finish_upload(upload_id=upload_id)


@db_task()
def transcode_task(video_id: str) -> None:
    from .domain import transcode_video

    transcode_video(video_id=video_id)


@db_periodic_task(crontab(minute="*/15"))
def expire_uploads_task() -> None:
    from .uploads import expire_uploads

    expire_uploads()


@db_periodic_task(crontab(minute="*/5"))
def requeue_stalled_task() -> None:
    from .domain import requeue_stalled

    requeue_stalled()

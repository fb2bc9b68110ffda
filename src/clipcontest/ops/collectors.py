"""State metrics read at scrape time (see core/metrics.py): the same on every node."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    SummaryMetricFamily,
)

from .instruments import ENQUEUED_KEY

#: How many pending tasks the age looks at (the oldest is near the head of the queue).
AGE_SCAN = 200


def queue_metrics(huey: Any) -> Iterator[object]:
    """Depth and age of ``huey``'s queue (SQLite or Redis alike)."""
    yield GaugeMetricFamily(
        "clipcontest_queue_pending_tasks", "Tasks waiting for a worker.", value=huey.pending_count()
    )
    yield GaugeMetricFamily(
        "clipcontest_queue_scheduled_tasks",
        "Tasks scheduled for later (retries, delays).",
        value=huey.scheduled_count(),
    )
    ids = [task.id for task in huey.pending(limit=AGE_SCAN)]
    stamps = cache.get_many([ENQUEUED_KEY.format(i) for i in ids]).values()
    age = max(0.0, time.time() - min(stamps)) if stamps else 0.0
    yield GaugeMetricFamily(
        "clipcontest_queue_oldest_task_age_seconds",
        "Age of the oldest waiting task (0 when the queue is empty).",
        value=age,
    )


def queue() -> Iterator[object]:
    from huey.contrib.djhuey import HUEY

    yield from queue_metrics(HUEY)


def uploads() -> Iterator[object]:
    from clipcontest.media.enums import UploadStatus
    from clipcontest.media.models import Upload

    receiving = Upload.objects.filter(
        status=UploadStatus.RECEIVING, expires_at__gt=timezone.now()
    ).count()
    yield GaugeMetricFamily(
        "clipcontest_uploads_in_progress", "tus uploads receiving bytes.", value=receiving
    )


def videos() -> Iterator[object]:
    from django.db.models import DurationField, ExpressionWrapper, F, Sum

    from clipcontest.media.enums import VideoStatus
    from clipcontest.media.models import Video

    by_status = dict(Video.objects.values_list("status").annotate(n=Count("pk")).order_by())
    gauge = GaugeMetricFamily("clipcontest_videos", "Videos by status.", labels=["status"])
    for status in VideoStatus:
        gauge.add_metric([status.value], by_status.get(status.value, 0))
    yield gauge
    yield CounterMetricFamily(
        "clipcontest_transcode_failures",
        "Videos whose transcode failed.",
        value=by_status.get(VideoStatus.FAILED.value, 0),
    )
    done = Video.objects.filter(ready_at__isnull=False)
    total = done.aggregate(
        n=Count("pk"),
        seconds=Sum(
            ExpressionWrapper(F("ready_at") - F("created_at"), output_field=DurationField())
        ),
    )
    seconds = total["seconds"].total_seconds() if total["seconds"] else 0.0
    yield SummaryMetricFamily(
        "clipcontest_transcode_seconds",
        "From an accepted upload to every rendition ready (queue wait included).",
        count_value=total["n"],
        sum_value=seconds,
    )


def votes() -> Iterator[object]:
    from clipcontest.voting.models import Vote

    by_state = Vote.objects.values_list("state").annotate(n=Count("pk")).order_by()
    family = CounterMetricFamily(
        "clipcontest_votes", "Votes recorded, by state (rate() gives votes/s).", labels=["state"]
    )
    for state, n in sorted(by_state):
        family.add_metric([state], n)
    yield family


BUILTIN = (queue, uploads, videos, votes)

"""Process metrics: updated where the thing happens (see core/metrics.py)."""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from prometheus_client import Counter, Histogram

REQUEST_SECONDS = Histogram(
    "clipcontest_http_request_duration_seconds",
    "Time to answer a request, by route pattern, method and status class.",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120),
)
TASK_SECONDS = Histogram(
    "clipcontest_task_duration_seconds",
    "Time a queue task ran, by task name (transcodes: media.tasks.transcode...).",
    ["task"],
    buckets=(0.05, 0.25, 1, 5, 15, 60, 180, 600, 1800, 3600),
)
TASK_FAILURES = Counter(
    "clipcontest_task_failures",
    "Queue tasks that raised, by task name.",
    ["task"],
)

#: Cache keys remembering when each queued task was enqueued (for the queue's age).
ENQUEUED_KEY = "ops:enqueued:{}"
ENQUEUED_TTL = 7 * 24 * 3600
_started: dict[str, float] = {}


def task_name(task: Any) -> str:
    return f"{type(task).__module__}.{type(task).__name__}"


def on_enqueued(signal: str, task: Any, *args: Any, **kwargs: Any) -> None:
    cache.set(ENQUEUED_KEY.format(task.id), time.time(), ENQUEUED_TTL)


def on_executing(signal: str, task: Any, *args: Any, **kwargs: Any) -> None:
    _started[task.id] = time.monotonic()
    cache.delete(ENQUEUED_KEY.format(task.id))


def on_finished(signal: str, task: Any, *args: Any, **kwargs: Any) -> None:
    started = _started.pop(task.id, None)
    name = task_name(task)
    if started is not None:
        TASK_SECONDS.labels(name).observe(time.monotonic() - started)
    if signal == "error":
        TASK_FAILURES.labels(name).inc()


def connect_queue_signals() -> None:
    from huey import signals
    from huey.contrib.djhuey import HUEY

    HUEY.signal(signals.SIGNAL_ENQUEUED)(on_enqueued)
    HUEY.signal(signals.SIGNAL_EXECUTING)(on_executing)
    HUEY.signal(signals.SIGNAL_COMPLETE, signals.SIGNAL_ERROR)(on_finished)

"""The metrics registry: apps add collectors, ``/metrics`` (the ``ops`` app) exposes them.

Two kinds of metrics, chosen by where the truth lives:

- **Process metrics** (request latency, task durations) are prometheus-client counters
  and histograms updated where the thing happens. Under gunicorn several processes
  update them: ``serve`` sets ``PROMETHEUS_MULTIPROC_DIR`` to a folder of its own
  (``<data>/prometheus/<bind>``, emptied at start) and the scrape adds them up
  (prometheus-client's multiprocess mode).
- **State metrics** (queue depth and age, uploads in progress, videos, votes, and
  later the vote log's sealing lag) are read from the database, the queue or the
  cache at scrape time by *collectors*: the same answer from every web node.

An app adds a state metric from its ``AppConfig.ready()``::

    from prometheus_client.core import GaugeMetricFamily
    from clipcontest.core.metrics import register_collector

    def sealing_lag():
        yield GaugeMetricFamily("clipcontest_sealing_lag_seconds", "...", value=...)

    register_collector(sealing_lag)

A collector is a function without arguments yielding metric families. One that raises
is skipped and counted in ``clipcontest_collector_errors_total``, so a broken
collector never hides the others.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import REGISTRY, Collector

log = logging.getLogger(__name__)

CollectorFn = Callable[[], Iterable[object]]
_collectors: dict[str, CollectorFn] = {}
_errors: dict[str, int] = {}


def register_collector(fn: CollectorFn, *, name: str | None = None) -> CollectorFn:
    """Adds ``fn`` to what ``/metrics`` reports (registering the same name again replaces
    it, so a reloaded app never reports twice). Returns ``fn``: usable as a decorator."""
    _collectors[name or f"{fn.__module__}.{fn.__qualname__}"] = fn
    return fn


def unregister_collector(name: str) -> None:
    _collectors.pop(name, None)


def registered() -> list[str]:
    return sorted(_collectors)


class _StateCollector(Collector):
    def collect(self) -> Iterator[object]:  # type: ignore[override]
        for name, fn in list(_collectors.items()):
            try:
                families = list(fn())
            except Exception:
                log.exception("metrics collector %s failed", name)
                _errors[name] = _errors.get(name, 0) + 1
                continue
            yield from families
        errors = CounterMetricFamily(
            "clipcontest_collector_errors",
            "Collectors that raised while being scraped (by collector).",
            labels=["collector"],
        )
        for name, count in sorted(_errors.items()):
            errors.add_metric([name], count)
        yield errors


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def scrape() -> bytes:
    """The text exposition of every metric: process metrics (summed over the processes
    of this instance in multiprocess mode) and the registered collectors."""
    registry = CollectorRegistry()
    if multiprocess_dir():
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    state = CollectorRegistry()
    state.register(_StateCollector())
    return generate_latest(registry) + generate_latest(state)

"""gunicorn's threaded worker, made to let go of the listening socket when it stops.

gunicorn's own gthread worker stops accepting on SIGTERM but keeps its copy of the
listening socket open until it exits: for the whole grace period the kernel still
completes new connections into the backlog, and resets them when the last worker exits
(the "connection reset" answers seen under a vote burst, 502s behind nginx). This
worker, when it stops, first accepts what is already waiting in the backlog (those
requests are then served like any in flight) and closes its copy of the socket. Once
the master and every stopping worker have done so, new connections are refused at
once, which a load balancer retries on another node before sending a byte.

On a reload (SIGHUP) the master keeps the socket open for the new workers, so nothing
is refused: the old workers only stop taking new connections.
"""

from __future__ import annotations

from typing import Any

from gunicorn.workers.gthread import ThreadWorker


class DrainingThreadWorker(ThreadWorker):
    _drained = False

    def set_accept_enabled(self, enabled: Any) -> None:
        super().set_accept_enabled(enabled)
        if not enabled and not self.alive and not self._drained:
            self._drained = True
            for listener in self.sockets:
                listener.setblocking(False)
                while True:
                    before = self.nr_conns
                    self.accept(listener)
                    if self.nr_conns == before:
                        break
                listener.close()

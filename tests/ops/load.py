"""A small HTTP load generator that counts failed requests (used by tests and benchmarks).

A request *fails* when the server accepted the connection and then answered nothing, a
broken answer or a 5xx. A refused connection (nothing listens any more) is counted
apart: behind a load balancer it goes to the other node before any byte is sent.
"""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Target:
    method: str
    path: str
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Tally:
    ok: int = 0
    failed: int = 0
    refused: int = 0
    by_status: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def answered(self) -> int:
        return self.ok + self.failed


def one_request(host: str, port: int, target: Target, tally: Tally, *, keepalive: bool) -> bool:
    """Send one request on a new connection; returns False once connections are refused."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        try:
            conn.connect()
        except ConnectionRefusedError:
            with tally.lock:
                tally.refused += 1
            return False
        headers = dict(target.headers)
        if not keepalive:
            headers["Connection"] = "close"
        try:
            conn.request(target.method, target.path, body=target.body or None, headers=headers)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as exc:
            with tally.lock:
                tally.failed += 1
                tally.errors.append(f"{target.method} {target.path}: {exc!r}")
            return True
        with tally.lock:
            tally.by_status[response.status] = tally.by_status.get(response.status, 0) + 1
            if response.status >= 500:
                tally.failed += 1
                tally.errors.append(f"{target.method} {target.path}: {response.status}")
            else:
                tally.ok += 1
        return True
    finally:
        conn.close()


class Burst:
    """``clients`` threads sending ``targets`` round-robin until stopped or refused."""

    def __init__(
        self,
        host: str,
        port: int,
        targets: Sequence[Target],
        *,
        clients: int = 8,
        keepalive: bool = False,
    ):
        self.host, self.port, self.targets = host, port, list(targets)
        self.keepalive = keepalive
        self.tally = Tally()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(clients)
        ]

    def _run(self, offset: int) -> None:
        i = offset
        while not self._stop.is_set():
            target = self.targets[i % len(self.targets)]
            i += 1
            if not one_request(self.host, self.port, target, self.tally, keepalive=self.keepalive):
                return

    def start(self) -> Burst:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> Tally:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=120)
        return self.tally

    def finished(self) -> bool:
        return not any(thread.is_alive() for thread in self._threads)


CSRF_SECRET = "a" * 32


def slow_post(host: str, port: int, path: str, *, chunks: int) -> socket.socket:
    """Open a connection and send a form POST's headers and CSRF token; the rest of its
    body follows with :func:`finish_slow_post`. Django's CSRF check reads the whole
    body first, so the request is in flight, held by a server thread, meanwhile."""
    head = f"csrfmiddlewaretoken={CSRF_SECRET}&pad=".encode()
    sock = socket.create_connection((host, port), timeout=60)
    sock.sendall(
        (
            f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
            f"Cookie: csrftoken={CSRF_SECRET}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(head) + chunks * 1024}\r\n\r\n"
        ).encode()
        + head
    )
    return sock


def finish_slow_post(sock: socket.socket, *, chunks: int) -> int:
    """Send the rest of the body and return the status code of the answer (0: none)."""
    try:
        for _ in range(chunks):
            sock.sendall(b"a" * 1024)
        data = b""
        while True:
            piece = sock.recv(65536)
            if not piece:
                break
            data += piece
    except OSError:
        return 0
    finally:
        sock.close()
    if not data.startswith(b"HTTP/1.1 "):
        return 0
    return int(data[9:12])


DEFAULT_TARGETS = (
    Target("GET", "/healthz"),
    Target("GET", "/"),
    Target("GET", "/units/"),
)

"""Debian's nginx in front of web nodes, configured from deploy/nginx.conf."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
from pathlib import Path

from tests.media.live import free_port, wait_for

CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf"


def nginx_binary() -> str:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(found).exists():
        raise RuntimeError("nginx not found: apt-get install nginx (.ci/run does)")
    return found


class Nginx:
    """deploy/nginx.conf with its upstream servers replaced by ``ports`` and its listen
    port by a free one, in a private prefix (no root, no system configuration)."""

    def __init__(self, folder: Path, ports: list[int]):
        self.folder = folder
        self.port = free_port()
        site = CONF.read_text()
        servers = "".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;\n" for p in ports)
        site = re.sub(
            r"(upstream clipcontest \{\n)(?:    server [^\n]+\n)+", r"\g<1>" + servers, site
        )
        site = site.replace("listen 80;", f"listen 127.0.0.1:{self.port};")
        for sub in ("logs", "tmp"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        (folder / "nginx.conf").write_text(
            "daemon off;\nworker_processes 1;\nerror_log logs/error.log warn;\n"
            f"pid {folder}/nginx.pid;\nevents {{ worker_connections 512; }}\n"
            "http {\n access_log off;\n"
            f" client_body_temp_path {folder / 'tmp' / 'body'};\n"
            f" proxy_temp_path {folder / 'tmp' / 'proxy'};\n"
            f"{site}\n}}\n"
        )
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [nginx_binary(), "-p", str(self.folder), "-c", str(self.folder / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(self._listening, timeout=30)

    def _listening(self) -> bool:
        import socket

        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

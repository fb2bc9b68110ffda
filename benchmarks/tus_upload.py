"""Benchmark 3: a large upload through our tus endpoint and through @tus/server, one run.

Columns, each uploading the same file (1 GiB by default) with the same tuspy client in
64 MiB chunks, interleaved and repeated:
  * ours        a real gunicorn (1 worker, 4 threads) serving clipcontest, no checksums,
  * ours+sha1   the same with a SHA-1 Upload-Checksum on every chunk,
  * @tus/server the official Node reference server (@tus/server + @tus/file-store),
                installed from the npm registry into a scratch folder (skipped, with a
                message, when npm or node is missing).
For each: upload + sync time, the server process's memory growth (peak RSS − RSS after a
warm-up upload; the peak is reset between uploads through /proc/<pid>/clear_refs) and
the bytes it wrote (/proc/<pid>/io write_bytes) ÷ the file size; and `cat file > copy &&
sync` on the same disk as the floor.

Run: .venv/bin/python benchmarks/tus_upload.py [--mib 1024] [--repeat 3]
Targets: ours ≤ 0.9 × @tus/server; ours+sha1 ≤ 1.25 × ours; memory growth ≤ 64 MB;
writes ≤ 1.1 × size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import ROOT  # noqa: F401 - puts the repository on sys.path

from tests.media.live import Site, free_port, wait_for

TUS_NODE_PACKAGES = ["@tus/server@2", "@tus/file-store@2"]
TUS_NODE_SERVER = """
import http from "node:http";
import { Server } from "@tus/server";
import { FileStore } from "@tus/file-store";
const [dir, port] = process.argv.slice(2);
const tus = new Server({ path: "/files", datastore: new FileStore({ directory: dir }) });
http.createServer((req, res) => tus.handle(req, res)).listen(Number(port), "127.0.0.1");
"""


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def write_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("write_bytes:"):
            return int(line.split()[1])
    raise LookupError("write_bytes")


def reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def upload(url: str, path: Path, chunk: int, checksum: bool, **options) -> float:
    from tusclient import client as tus

    client = tus.TusClient(url, headers=options.pop("headers", {}))
    start = time.perf_counter()
    with open(path, "rb") as stream:
        client.uploader(
            file_stream=stream, chunk_size=chunk, upload_checksum=checksum, **options
        ).upload()
    subprocess.run(["sync"], check=True)
    return time.perf_counter() - start


def cat_sync(source: Path, folder: Path) -> float:
    target = folder / "cat-copy"
    start = time.perf_counter()
    subprocess.run(f"cat '{source}' > '{target}' && sync", shell=True, check=True)  # noqa: S602
    seconds = time.perf_counter() - start
    target.unlink()
    return seconds


def start_ours(folder: Path) -> tuple[Site, int, Callable[[Path, int, bool], float]]:
    site = Site(folder / "site")
    site.folder.mkdir()
    seeded = site.seed()
    site.python(
        "import django; django.setup()\n"
        "from clipcontest.contests.models import Contest\n"
        "Contest.objects.update(max_video_mb=20480)"
    )
    site.start_server()
    assert site.server is not None
    pid = worker_pid(site.server.pid)

    def send(path: Path, chunk: int, checksum: bool) -> float:
        return upload(
            f"{site.url}/uploads/tus/",
            path,
            chunk,
            checksum,
            headers={"Authorization": f"Bearer {seeded['token']}"},
            metadata={"entry": seeded["entry"]},
        )

    return site, pid, send


def start_tus_node(folder: Path) -> tuple[subprocess.Popen[bytes], Callable] | None:
    npm, node = shutil.which("npm"), shutil.which("node")
    if not npm or not node:
        print("@tus/server column skipped: npm or node is missing")
        return None
    scratch = folder / "tus-node"
    scratch.mkdir()
    done = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--silent", *TUS_NODE_PACKAGES],
        cwd=scratch,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        print(f"@tus/server column skipped: npm install failed: {done.stderr[-300:]}")
        return None
    (scratch / "server.mjs").write_text(TUS_NODE_SERVER)
    (scratch / "store").mkdir()
    port = free_port()
    process = subprocess.Popen(
        [node, "server.mjs", "store", str(port)],
        cwd=scratch,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def listening() -> bool:
        import socket

        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            return False

    wait_for(listening, timeout=30)

    def send(path: Path, chunk: int, checksum: bool) -> float:
        return upload(f"http://127.0.0.1:{port}/files", path, chunk, checksum, metadata={"n": "x"})

    return process, send


def measure(pid: int, send: Callable, path: Path, chunk: int, checksum: bool) -> tuple:
    rss_before, written_before = rss_kib(pid), write_bytes(pid)
    reset_peak(pid)
    seconds = send(path, chunk, checksum)
    growth_mb = (rss_kib(pid, "VmHWM") - rss_before) / 1024
    return seconds, growth_mb, (write_bytes(pid) - written_before) / path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=1024)
    parser.add_argument("--chunk-mib", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    chunk = options.chunk_mib * 1024 * 1024
    results: dict[str, list[tuple]] = {}
    with tempfile.TemporaryDirectory(prefix="clipcontest-tus-bench-") as tmp:
        folder = Path(tmp)
        source = folder / "payload.bin"
        with open(source, "wb") as out:
            for _ in range(options.mib):
                out.write(os.urandom(1024 * 1024))
        warm = folder / "warm-up.bin"
        warm.write_bytes(os.urandom(1024 * 1024))
        subprocess.run(["sync"], check=True)
        site, pid, ours = start_ours(folder)
        node = start_tus_node(folder)
        try:
            columns: list[tuple[str, int, Callable, bool]] = [
                ("ours", pid, ours, False),
                ("ours+sha1", pid, ours, True),
            ]
            if node:
                columns.append(("@tus/server", node[0].pid, node[1], False))
            for _label, _pid, send, checksum in columns:
                send(warm, 256 * 1024, checksum)
            results["cat+sync"] = []
            for round_ in range(options.repeat):
                results["cat+sync"].append((cat_sync(source, folder), 0.0, 1.0))
                order = columns[round_ % len(columns) :] + columns[: round_ % len(columns)]
                for label, column_pid, send, checksum in order:
                    results.setdefault(label, []).append(
                        measure(column_pid, send, source, chunk, checksum)
                    )
        finally:
            site.stop()
            if node:
                node[0].terminate()
                node[0].wait()
    print(f"file {options.mib} MiB, chunks {options.chunk_mib} MiB, {options.repeat} rounds")
    print(f"{'':12} {'seconds (min–max)':>20} {'memory MB':>10} {'written ×':>10}")
    for label, rows in results.items():
        times = [r[0] for r in rows]
        print(
            f"{label:12} {min(times):8.2f} – {max(times):6.2f}    "
            f"{max(r[1] for r in rows):8.1f} {max(r[2] for r in rows):10.3f}"
        )

    def ratios(top: str, bottom: str) -> str:
        per_round = [a[0] / b[0] for a, b in zip(results[top], results[bottom], strict=True)]
        return (
            f"{min(per_round):.2f}–{max(per_round):.2f} (median {statistics.median(per_round):.2f})"
        )

    if "@tus/server" in results:
        print(f"ours ÷ @tus/server        {ratios('ours', '@tus/server')}  target ≤ 0.90")
    print(f"ours+sha1 ÷ ours          {ratios('ours+sha1', 'ours')}  target ≤ 1.25")
    print(f"ours ÷ cat+sync           {ratios('ours', 'cat+sync')}")


if __name__ == "__main__":
    main()

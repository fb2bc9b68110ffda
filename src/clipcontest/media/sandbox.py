"""Exec a program under resource limits: ``python -m clipcontest.media.sandbox MB CPU -- prog``.

Sets the address-space and CPU-time limits, lowers priority, then replaces itself with
the program, so the limits hold for FFmpeg and nothing else.
"""

from __future__ import annotations

import os
import resource
import sys


def main(argv: list[str]) -> None:
    memory_mb, cpu_seconds, sep, *program = argv
    if sep != "--" or not program:
        raise SystemExit("usage: sandbox MEMORY_MB CPU_SECONDS -- PROGRAM [ARGS...]")
    memory = int(memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(cpu_seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.nice(5)
    os.execv(program[0], program)  # noqa: S606 - replacing this process is the point


if __name__ == "__main__":
    main(sys.argv[1:])

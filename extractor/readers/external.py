"""Running the outside tools a reader needs (LibreOffice, tesseract) with a timeout that really
ends them.

Each tool runs in a process group of its own, so a timeout kills the whole group: `soffice` is a
launcher whose `soffice.bin` child would otherwise outlive it. The groups still running are
remembered, so that a worker being stopped from outside (see extractor.isolation) can end them
too instead of leaving them behind.
"""
from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Sequence

_running_groups: set[int] = set()


class ToolTimeout(Exception):
    """The tool ran past its timeout and was killed."""


def run_tool(command: Sequence[str], timeout: float, *, env: dict[str, str] | None = None,
             cwd: str | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run `command`, capture its output, and kill its process group after `timeout` seconds.

    The worker's memory cap (RLIMIT_AS) is lifted for the tool, which is bounded by time instead:
    LibreOffice and tesseract reserve far more address space than they use.
    """
    process = subprocess.Popen(
        list(command), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=env, cwd=cwd, start_new_session=True,
        # Only when there is a cap to lift: preexec_fn is unsafe in a process with threads,
        # and only the single-threaded worker sets one.
        preexec_fn=_lift_memory_cap if _memory_capped() else None,
    )
    _running_groups.add(process.pid)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process.pid)
        process.communicate()
        raise ToolTimeout(f"{command[0]} ran longer than {timeout:g} s") from None
    finally:
        _kill_group(process.pid)  # leftovers a launcher forked off and did not wait for
        _running_groups.discard(process.pid)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def kill_running_tools() -> None:
    """End every tool still running: called when the worker itself is being stopped."""
    for group in list(_running_groups):
        _kill_group(group)
    _running_groups.clear()


def _kill_group(group: int) -> None:
    try:
        os.killpg(group, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _memory_capped() -> bool:
    try:
        import resource
    except ImportError:
        return False
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    return soft != hard


def _lift_memory_cap() -> None:
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    except (ImportError, ValueError, OSError):
        pass

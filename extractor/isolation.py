"""Process plumbing for the workers that analyse files (extractor.batch): the memory cap, a stop
handler that ends the outside tools a worker runs, stopping a worker, naming how it died, and the
start method.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
from functools import partial
from typing import Any

from .errors import ReadError

STOP_GRACE = 2.0             # seconds a stopped child gets to end its tools before it is killed
# Imported once in the fork server, not again in every child.
PRELOAD = ["extractor.pipeline", "extractor.readers", "extractor.readers.pdf", "extractor.readers.pdfium",
           "extractor.readers.docx", "extractor.readers.html", "pdfplumber", "docx", "lxml.html", "pypdfium2"]

_context: Any = None


def limit_memory(memory_mb: int | None) -> None:
    """Cap this process's address space (Linux, macOS); a no-op where there is no such limit.

    Only the soft limit is set, so the outside tools a reader runs can lift it for themselves
    (they are bounded by their own timeouts)."""
    if not memory_mb:
        return
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_mb * 2**20
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass  # no cap on this platform: the timeout still bounds the file


def install_stop_handler() -> None:
    """On SIGTERM, end the tools this worker is running (LibreOffice, tesseract), then exit:
    killed outright, it would leave them running in their own process groups."""
    from .readers.external import kill_running_tools

    def stop(signum: int, _frame: object) -> None:
        kill_running_tools()
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def stop_process(process: multiprocessing.process.BaseProcess, grace: float = STOP_GRACE) -> None:
    """SIGTERM (the worker's handler ends its tools), then SIGKILL if it is still there after `grace`."""
    if process.is_alive():
        process.terminate()
        process.join(grace)
    if process.is_alive():
        process.kill()
    process.join()


def death_error(exitcode: int | None) -> ReadError:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else str(-exitcode)
        if -exitcode == signal.SIGKILL:  # the kernel's out-of-memory killer, or someone else's kill
            return ReadError("too-large", "处理进程被系统强行终止（SIGKILL，通常是内存耗尽）")
        return ReadError("internal-error", f"处理进程异常退出（信号 {name}），文件结构可能异常")
    return ReadError("internal-error", f"处理进程意外退出（退出码 {exitcode}），没有返回结果")


def one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def worker_context(checks_factory: Any) -> Any:
    """The multiprocessing context for workers.

    'fork' while the caller runs a single thread: a worker starts in milliseconds and inherits only
    what the thin CLI has imported. With other threads alive (a progress bar), forking could copy a
    lock another thread holds, so a fork server is used: it preloads the readers and the factory's
    module once, and each worker is forked from it. 'spawn' where neither exists."""
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    global _context
    if _context is None:
        if "forkserver" in methods:
            _context = multiprocessing.get_context("forkserver")
            _context.set_forkserver_preload(PRELOAD + _module_of(checks_factory))
        else:
            _context = multiprocessing.get_context("spawn")
    return _context


def _module_of(factory: Any) -> list[str]:
    while isinstance(factory, partial):
        factory = factory.func
    module = getattr(factory, "__module__", None)
    return [module] if module and module != "__main__" else []

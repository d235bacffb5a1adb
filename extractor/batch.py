"""Check many files with worker processes: each file in isolation, bounded in time and memory.

A worker builds the vocabulary and the rule table once (through an importable factory, so nothing
unpicklable crosses a process boundary) and then analyses file after file. The parent hands out
files, waits for results with a deadline per file, and when a worker overruns its deadline or dies
(a crash, the memory cap), kills it, records that file as failed with a stable code, and starts a
fresh worker: one bad file never stops the batch and never loses the other results.
"""
from __future__ import annotations

import hashlib
import importlib
import multiprocessing
import os
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Iterable, Iterator

from .errors import ReadError
from .models import Report

SUFFIXES = (".docx", ".doc", ".wps", ".pdf", ".txt")


@dataclass(frozen=True)
class BatchOptions:
    factory: str                                        # "module:function" returning (vocab, checks, finalize)
    factory_kwargs: dict = field(default_factory=dict)
    read_options: dict = field(default_factory=dict)    # passed to the reader (e.g. ocr, password)
    timeout: float = 120.0                              # seconds per file
    memory_mb: int | None = 2048                        # address-space cap per worker (Linux)


def find_reports(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and report files found recursively in folders, sorted by path."""
    found: set[Path] = set()
    for p in map(Path, paths):
        if p.is_dir():
            found.update(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
                         and not f.name.startswith(("~$", ".")))
        else:
            found.add(p)
    return sorted(found)


def failed_report(path: Path, code: str, message: str) -> Report:
    from .pipeline import failed_report as _failed

    return _failed(path, ReadError(code, message))


def _load_factory(spec: str):
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def _worker(conn: Connection, options: BatchOptions) -> None:
    if options.memory_mb:
        try:
            import resource

            limit = options.memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError):
            pass   # no cap on this platform: the timeout still bounds the file
    from .pipeline import analyse_document, failed_report as failed
    from .readers import read_document

    vocab, checks, finalize = _load_factory(options.factory)(**options.factory_kwargs)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        index, path = job
        try:
            report = analyse_document(read_document(path, **options.read_options), vocab, checks, finalize)
        except ReadError as error:
            report = failed(Path(path), error)
        except MemoryError:
            report = failed_report(Path(path), "too-large", "处理时内存超出上限，文件过大或结构异常")
        except Exception as error:  # noqa: BLE001 - becomes this file's error record, the worker goes on
            report = failed_report(Path(path), "internal-error", f"内部错误：{type(error).__name__}: {error}")
        conn.send((index, report))


@dataclass
class _Slot:
    process: multiprocessing.Process
    conn: Connection
    job: tuple[int, Path] | None = None
    deadline: float = 0.0


class WorkerPool:
    def __init__(self, jobs: int, options: BatchOptions):
        self.options = options
        self.context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        self.slots = [self._start() for _ in range(max(1, jobs))]

    def _start(self) -> _Slot:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker, args=(child, self.options), daemon=True)
        process.start()
        child.close()
        return _Slot(process, parent)

    def _replace(self, slot: _Slot) -> _Slot:
        slot.process.kill()
        slot.process.join(5)
        slot.conn.close()
        return self._start()

    def run(self, paths: list[Path]) -> Iterator[tuple[int, Report]]:
        """(index, report) for every path, in the order they finish."""
        queue = list(enumerate(paths))[::-1]
        busy = 0
        while queue or busy:
            for slot in self.slots:
                if slot.job is None and queue:
                    slot.job = queue.pop()
                    slot.deadline = time.monotonic() + self.options.timeout
                    slot.conn.send((slot.job[0], str(slot.job[1])))
                    busy += 1
            active = [s for s in self.slots if s.job is not None]
            next_deadline = min(s.deadline for s in active)
            ready = wait([s.conn for s in active], timeout=max(0.0, next_deadline - time.monotonic()))
            for i, slot in enumerate(self.slots):
                if slot.job is None:
                    continue
                index, path = slot.job
                if slot.conn in ready:
                    try:
                        yield slot.conn.recv()
                        slot.job = None
                        busy -= 1
                        continue
                    except (EOFError, OSError):
                        report = failed_report(path, "internal-error",
                                               "处理进程意外退出（可能超出内存上限或文件结构异常）")
                elif time.monotonic() >= slot.deadline:
                    report = failed_report(path, "timeout",
                                           f"处理超过{self.options.timeout:g}秒未完成，已终止（可用 --timeout 调整）")
                else:
                    continue
                self.slots[i] = self._replace(slot)
                busy -= 1
                yield index, report

    def close(self) -> None:
        for slot in self.slots:
            try:
                slot.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        for slot in self.slots:
            slot.process.join(2)
            if slot.process.is_alive():
                slot.process.kill()
            slot.conn.close()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def run_batch(paths: list[Path], jobs: int, options: BatchOptions) -> Iterator[tuple[int, Report]]:
    pool = WorkerPool(min(jobs, len(paths)) or 1, options)
    try:
        yield from pool.run(paths)
    finally:
        pool.close()

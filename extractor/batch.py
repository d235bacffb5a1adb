"""Check files in worker processes: each file in isolation, bounded in time and memory.

A worker builds the vocabulary and the rule table once, through a factory (a picklable callable
such as ``functools.partial(extract_rules.engine.run_checks, select=...)``), and then analyses file
after file. The parent hands out files and waits for results with a deadline per file; a worker that
overruns its deadline or dies (a crash, the memory cap) is stopped, that file gets an error record
with a stable code, and a fresh worker takes its place: one bad file never stops a batch and never
loses the other results. One file on its own is a batch of one (`analyse_isolated`).
"""
from __future__ import annotations

import gc
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Iterable, Iterator

from .errors import ReadError
from .isolation import death_error, install_stop_handler, limit_memory, one_line, stop_process, worker_context
from .models import Report

SUFFIXES = (".docx", ".doc", ".wps", ".pdf", ".txt")
ChecksFactory = Callable[[], tuple[Any, Any, Any]]   # () -> (vocab, checks, finalize) for `analyse`


@dataclass(frozen=True)
class BatchOptions:
    factory: ChecksFactory
    read_options: dict = field(default_factory=dict)    # passed to the reader (ocr, password, max_pages)
    timeout: float = 120.0                              # seconds per file
    memory_mb: int | None = 2048                        # address-space cap per worker (Linux, macOS)


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


def _failed(path: str | Path, code: str, message: str) -> Report:
    from .pipeline import failed_report

    return failed_report(path, ReadError(code, message))


def _analyse_one(path: str, vocab, checks, finalize, options: BatchOptions, without_pdfium: bool = False) -> Report:
    from .pipeline import analyse_document, failed_report
    from .readers import read_document

    read_options = {**options.read_options, "text_engine": "pdfplumber"} if without_pdfium else options.read_options
    out_of_memory = False
    try:
        return analyse_document(read_document(path, **read_options), vocab, checks, finalize)
    except ReadError as error:
        return failed_report(path, error)
    except MemoryError:
        # only noted here: until this block ends the traceback keeps what the analysis allocated
        out_of_memory = True
    except Exception as error:  # noqa: BLE001 - becomes this file's error record, the worker goes on
        return _failed(path, "internal-error", one_line(f"内部错误：{type(error).__name__}: {error}"))
    if out_of_memory:
        import gc

        gc.collect()
    return _failed(path, "too-large", f"处理时内存超过上限 {options.memory_mb} MB，文件过大或结构异常")


def _is_pdf(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return b"%PDF" in f.read(1024)
    except OSError:
        return False


def settle() -> None:
    """After a worker's first report, what is alive (modules, vocabulary, rules, the tokenizer, the
    parsers each format loaded) lives as long as the worker: frozen, the collector stops walking it.
    Without this, the full collections that a stream of reports triggers walk all of it every time
    (about 100 ms each on the seed, one every few dozen reports)."""
    gc.collect()
    gc.freeze()


def _worker(conn: Connection, options: BatchOptions) -> None:
    install_stop_handler()
    limit_memory(options.memory_mb)
    settled = False
    try:
        vocab, checks, finalize = options.factory()
        broken = None
    except Exception as error:  # noqa: BLE001 - every file then gets this error, the batch goes on
        broken = one_line(f"内部错误：无法加载规则：{type(error).__name__}: {error}")
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        index, path, without_pdfium = job
        report = _failed(path, "internal-error", broken) if broken else \
            _analyse_one(path, vocab, checks, finalize, options, without_pdfium)
        try:
            conn.send((index, report))
        except MemoryError:
            conn.send((index, _failed(path, "too-large", f"处理结果超过内存上限 {options.memory_mb} MB")))
        del report
        if not settled:
            settled = True
            settle()


@dataclass
class _Slot:
    process: Any
    conn: Connection
    job: tuple[int, Path] | None = None
    deadline: float = 0.0


class WorkerPool:
    def __init__(self, jobs: int, options: BatchOptions):
        self.options = options
        self.context = worker_context(options.factory)
        self.slots = [self._start() for _ in range(max(1, jobs))]
        self.retried: set[Path] = set()

    def _start(self) -> _Slot:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_worker, args=(child, self.options), daemon=True, name="extract worker")
        process.start()
        child.close()        # the worker holds its own end: EOF here means the worker is gone
        return _Slot(process, parent)

    def _replace(self, slot: _Slot) -> _Slot:
        stop_process(slot.process)          # SIGTERM first: the worker ends its tools (LibreOffice, tesseract)
        slot.conn.close()
        return self._start()

    def run(self, paths: list[Path]) -> Iterator[tuple[int, Report]]:
        """(index, report) for every path, in the order they finish."""
        queue = list(enumerate(paths))[::-1]
        while queue or any(s.job is not None for s in self.slots):
            self._dispatch(queue)
            active = [s for s in self.slots if s.job is not None]
            next_deadline = min(s.deadline for s in active)
            ready = wait([s.conn for s in active], timeout=max(0.0, next_deadline - time.monotonic()))
            for i, slot in enumerate(self.slots):
                if slot.job is None:
                    continue
                index, path = slot.job
                if slot.conn in ready:
                    try:
                        finished = slot.conn.recv()
                    except (EOFError, OSError):
                        finished = None
                    if finished is not None:
                        # the worker gets its next file before the caller handles this report: it
                        # does not wait while the report is written out
                        slot.job = None
                        self._dispatch(queue)
                        yield finished
                        continue
                    slot.process.join(1)
                    if self._retry_without_pdfium(slot, index, path, queue):
                        self.slots[i] = self._replace(slot)
                        continue
                    error = death_error(slot.process.exitcode)
                    report = _failed(path, error.code, error.message)
                elif time.monotonic() >= slot.deadline:
                    report = _failed(path, "timeout", f"处理超过 {self.options.timeout:g} 秒仍未完成，已终止"
                                                      f"（可用 --timeout 调整）")
                else:
                    continue
                self.slots[i] = self._replace(slot)
                yield index, report

    def _dispatch(self, queue: list) -> None:
        """The next files to the workers that have none."""
        for slot in self.slots:
            if slot.job is None and queue:
                slot.job = queue.pop()
                slot.deadline = time.monotonic() + self.options.timeout
                try:
                    slot.conn.send((slot.job[0], str(slot.job[1]), slot.job[1] in self.retried))
                except OSError:
                    pass  # the worker died starting up: `run` finds its end closed and says how it died

    def _retry_without_pdfium(self, slot: _Slot, index: int, path: Path, queue: list) -> bool:
        """pdfium is C: a malformed PDF can abort the worker outright. Such a file gets one more try
        on the pure-Python pdfplumber path (in a fresh worker) before it is given up as a crash."""
        exitcode = slot.process.exitcode
        if exitcode is None or exitcode >= 0 or exitcode == -signal.SIGKILL or path in self.retried \
                or not _is_pdf(path):
            return False
        self.retried.add(path)
        queue.append((index, path))
        return True

    def close(self) -> None:
        for slot in self.slots:
            try:
                slot.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        for slot in self.slots:
            slot.process.join(2)
            stop_process(slot.process)
            slot.conn.close()


def run_batch(paths: list[Path], jobs: int, options: BatchOptions) -> Iterator[tuple[int, Report]]:
    pool = WorkerPool(min(jobs, len(paths)) or 1, options)
    try:
        yield from pool.run(paths)
    finally:
        pool.close()


def analyse_isolated(path: str | Path, *, checks_factory: ChecksFactory, timeout: float = 120.0,
                     memory_mb: int | None = 2048, **read_options) -> Report:
    """`extractor.pipeline.analyse` of one file in a worker process. Never raises for the file's
    sake: a timeout, the memory cap, a crash or an exception is a report with `document.error`
    (codes "timeout", "too-large", "internal-error")."""
    options = BatchOptions(factory=checks_factory, read_options=read_options, timeout=timeout, memory_mb=memory_mb)
    for _index, report in run_batch([Path(path)], 1, options):
        return report
    raise AssertionError("a batch of one yields one report")

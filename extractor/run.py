"""A run over many files: resume from an earlier output, stream results as they finish, show progress,
then add the cross-report findings and return the reports sorted by path (deterministic output)
and the paths taken from the earlier output.

With an output file and JSON, each report is appended as soon as it finishes, so a run killed
halfway keeps what it did; `resume` skips the files already there with the same sha256, and the
final rewrite (sorted, with cross-report findings) equals an uninterrupted run.
"""
from __future__ import annotations

import gc
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Callable

from .batch import BatchOptions, run_batch
from .pipeline import sha256_of
from .models import Finding, Report
from .reporters import json as json_reporter

CrossChecker = Callable[[list[Report]], dict[str, list[Finding]]]


def load_previous(output: Path, files: list[Path]) -> dict[str, Report]:
    """Reports in an earlier JSON Lines output whose file is unchanged (same sha256)."""
    if not output.exists():
        return {}
    wanted = {str(f): f for f in files}
    done: dict[str, Report] = {}
    for line in output.read_text(encoding="utf-8").splitlines():
        try:
            report = Report.model_validate_json(line)
        except ValueError:
            continue      # a line cut short by the kill that interrupted the run
        path = wanted.get(report.document.path)
        if path is not None and path.exists() and report.document.sha256 == sha256_of(path):
            done[report.document.path] = _without_cross(report)
    return done


def _without_cross(report: Report) -> Report:
    """Cross-report findings are recomputed over the whole batch at the end."""
    return report.model_copy(update={"findings": [f for f in report.findings if not f.code.startswith("X")]})


def _progress(enabled: bool):
    """Files done / total, failures so far, rate and time left, on stderr (rich; only on a terminal)."""
    if not enabled:
        return nullcontext(None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("失败 {task.fields[failed]}  {task.fields[rate]}"), TimeRemainingColumn(),
                    console=Console(stderr=True), transient=True)


def run(files: list[Path], *, jobs: int, options: BatchOptions, as_json: bool = False,
        output: str | None = None, resume: bool = False, progress: bool = False,
        cross: CrossChecker | None = None,
        streamed: dict[str, tuple[Report, str]] | None = None) -> tuple[list[Report], set[str]]:
    """Check `files` in `jobs` workers: the reports in the order of `files`, and the paths taken from
    an earlier output (`resume`). With `as_json` and `output`, each report is written to `output` as
    a JSON line as it comes; `streamed` (when given) receives path -> (report, that line), so the
    final output can reuse the line of a report that did not change after."""
    out_path = Path(output) if output else None
    done = load_previous(out_path, files) if resume and out_path else {}
    resumed = set(done)
    todo = [f for f in files if str(f) not in done]
    stream = open(out_path, "a" if resume else "w", encoding="utf-8") if out_path and as_json else None
    failed = 0
    try:
        with _progress(progress) as bar:
            task = bar.add_task("检查报告", total=len(files), completed=len(done), failed=0, rate="") if bar else None
            started = time.monotonic()
            for index, report in run_batch(todo, jobs, options) if todo else ():
                done[str(todo[index])] = report
                # Every report is kept until the end, a few hundred records each: frozen as they come,
                # the collector does not walk all of them again each time a batch of hundreds grows
                # (that was a tenth of a 200-report run, and competed with the workers for the cores).
                gc.freeze()
                failed += report.document.error is not None
                if stream is not None:
                    line = json_reporter.render(report)
                    stream.write(line + "\n")
                    stream.flush()
                    if streamed is not None:
                        streamed[str(todo[index])] = (report, line)
                if bar is not None:
                    finished = len(done) - (len(files) - len(todo))
                    rate = finished / max(time.monotonic() - started, 1e-6)
                    bar.update(task, advance=1, failed=failed, rate=f"{rate:.1f}个/秒")
    finally:
        gc.unfreeze()
        if stream is not None:
            stream.close()
    reports = [done[str(f)] for f in files]
    if cross is not None and len(reports) > 1:
        extra = cross(reports)
        reports = [_with_findings(r, extra[r.document.path], streamed) if r.document.path in extra else r
                   for r in reports]
    return reports, resumed


def _with_findings(report: Report, findings: list[Finding], streamed: dict | None) -> Report:
    """The report with the cross-report findings added; its streamed JSON line, if any, follows."""
    updated = report.model_copy(update={"findings": report.findings + findings})
    known = streamed.get(report.document.path) if streamed is not None else None
    if known is not None and known[0] is report:
        streamed[report.document.path] = (updated, json_reporter.with_more_findings(known[1], findings))
    return updated


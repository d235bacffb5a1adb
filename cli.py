"""The `extract` command: parse options, call the library, pick a reporter, return an exit code.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error or unreadable input,
3 internal error.
"""
from __future__ import annotations

import os
import sys
from importlib.metadata import PackageNotFoundError, version

import click

EXIT_CLEAN, EXIT_FINDINGS, EXIT_UNREADABLE, EXIT_INTERNAL = 0, 1, 2, 3
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def _version() -> str:
    try:
        return version("fund-report-extract")
    except PackageNotFoundError:
        return "0+unknown"


def _print_schema(ctx: click.Context, _param, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    import json

    from extractor.models import Report

    click.echo(json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=2))
    ctx.exit(0)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="JSON output: one object per file, JSON Lines for several.")
@click.option("--format", "out_format", type=click.Choice(["text", "json", "sarif"]), default=None,
              help="Output format (--json is --format json). sarif: SARIF 2.1.0 for code-scanning tools.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Configuration file (default: extract.toml or pyproject.toml [tool.extract] next to the "
                   "reports or in the current directory, and upward).")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False),
              help="Accept the findings recorded in this baseline file (overrides the configured one).")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False),
              help="Record the current findings as the baseline in this file.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "never"]), default="error", show_default=True,
              help="Exit with 1 when a finding of this severity or above is reported.")
@click.option("--select", multiple=True, help="Only rules whose code starts with this prefix (repeatable).")
@click.option("--ignore", multiple=True, help="Skip rules whose code starts with this prefix (repeatable).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the reports to this file.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="cores",
              help="Worker processes.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=120.0, show_default=True,
              help="Seconds per file before its worker is stopped.")
@click.option("--memory-mb", type=click.IntRange(min=64), default=2048, show_default=True,
              help="Memory cap per worker (Linux).")
@click.option("--ocr", is_flag=True,
              help="OCR scanned PDFs (needs tesseract-ocr and tesseract-ocr-chi-sim); figures are marked ocr.")
@click.option("--password", help="Password of encrypted PDFs.")
@click.option("--max-pages", type=click.IntRange(min=1), default=500, show_default=True,
              help="Refuse PDFs with more pages (too-large).")
@click.option("--resume", is_flag=True, help="With -o: skip files already in it with the same sha256.")
@click.option("--xlsx", type=click.Path(dir_okay=False), help="Write an Excel working paper.")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False), help="Write the working paper as CSV files.")
@click.option("--html", "html_path", type=click.Path(),
              help="Write a review page (self-contained HTML); for several files, a folder with index.html.")
@click.option("--annotate", "annotate_path", type=click.Path(),
              help="Write a copy of each .docx with Word comments (批注) / each .pdf with highlights on the "
                   "findings; a folder for several files. The originals are never modified.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary on stderr.")
@click.option("--schema", is_flag=True, expose_value=False, is_eager=True, callback=_print_schema,
              help="Print the JSON Schema of the output and exit.")
@click.version_option(_version(), "--version", prog_name="extract")
def main(paths, as_json, out_format, config_path, baseline_path, write_baseline, fail_on, select, ignore, output,
         jobs, timeout, memory_mb, ocr, password, max_pages, resume, xlsx, csv_dir, html_path, annotate_path, quiet):
    """Extract the fund figures of social-insurance fund reports (.docx, .pdf, .txt) and check them.

    PATHS are files or folders (searched recursively for .docx .doc .wps .pdf .txt).

    \b
    extract report.docx                 readable summary and findings
    extract report.pdf --json           the figures and findings as JSON
    extract reports/ -j 4 -o out.jsonl --xlsx paper.xlsx
    """
    if not paths:
        raise click.UsageError("请给出至少一个报告文件或文件夹（.docx / .pdf / .txt）")
    if resume and not output:
        raise click.UsageError("--resume 需要与 -o 结果文件一起使用")
    from extractor.batch import BatchOptions, find_reports
    from extractor.run import run

    files = find_reports(paths)
    if not files:
        raise click.UsageError("没有找到报告文件（.docx .doc .wps .pdf .txt）")
    out_format = out_format or ("json" if as_json else "text")
    config = _load_config(files[0], config_path, baseline_path)
    from functools import partial

    from extract_rules.engine import run_checks

    options = BatchOptions(factory=partial(run_checks, select=select, ignore=ignore, config=config),
                           read_options={"ocr": ocr, "password": password, "max_pages": max_pages},
                           timeout=timeout, memory_mb=memory_mb)
    try:
        streamed: dict = {}
        reports, resumed = run(files, jobs=jobs, options=options, as_json=out_format == "json", output=output,
                               resume=resume, progress=not quiet and sys.stderr.isatty(),
                               cross=_cross_checker(select, ignore), streamed=streamed)
    except Exception as error:  # noqa: BLE001 - the last line of defence: say it in one line
        click.echo(f"extract: 内部错误：{type(error).__name__}: {error}", err=True)
        sys.exit(EXIT_INTERNAL)
    if write_baseline:
        _write_baseline(reports, write_baseline)
    reports, stale = _apply_baseline(reports, config, resumed)
    _write_outputs(reports, out_format, output, xlsx, csv_dir, select, ignore, config, stale, streamed)
    if html_path or annotate_path:
        from extractor.review import write_annotated, write_html

        if html_path:
            write_html(reports, html_path, **options.read_options)
        if annotate_path:
            for note in write_annotated(reports, annotate_path, **options.read_options):
                click.echo(f"extract: {note}", err=True)
    for report in reports:
        if report.document.error:
            click.echo(f"extract: {report.document.path}: {report.document.error['message']}"
                       f"（{report.document.error['code']}）", err=True)
    if len(reports) > 1 and not quiet:
        from extractor.reporters import summary

        click.echo(summary.render(reports), err=True)
    sys.exit(_exit_code(reports, fail_on))


def _cross_checker(select, ignore):
    from extract_rules.cross import cross_findings

    return lambda reports: cross_findings(reports, select=select, ignore=ignore)


def _load_config(first_file, config_path, baseline_path):
    import dataclasses
    from pathlib import Path

    from extract_rules.config import ConfigError, load_config
    from extract_rules.registry import RULES

    try:
        config = load_config(RULES, report=first_file, path=config_path)
    except ConfigError as error:
        click.echo(f"extract: {error}", err=True)
        sys.exit(EXIT_UNREADABLE)
    if baseline_path:
        config = dataclasses.replace(config, baseline=Path(baseline_path))
    return config


def _apply_baseline(reports, config, resumed=frozenset()):
    """Reports without the findings the baseline accepts, and the baseline entries no longer seen.

    A report resumed from an earlier output already had the baseline applied: its accepted findings
    are gone, so its entries are not reported as stale."""
    if config.baseline is None or not config.baseline.exists():
        return reports, []
    from extract_rules import baseline
    from extract_rules.engine import apply_baseline

    known = baseline.load(config.baseline)
    kept, stale = [], []
    for report in reports:
        report, _suppressed, gone = apply_baseline(report, config, known)
        kept.append(report)
        if report.document.path not in resumed:
            stale += [(report.document.path, entry) for entry in gone]
    for path, entry in stale:
        click.echo(f"extract: {path}: 基线中的记录已不再出现：{entry.code}「{entry.text}」{entry.location}", err=True)
    return kept, stale


def _write_baseline(reports, target) -> None:
    from pathlib import Path

    from extract_rules import baseline

    base = Path(target).resolve().parent
    entries = {}
    for report in reports:
        key = baseline.file_key(report.document.path, base)
        entries[key] = baseline.entries_for(key, report.findings)
    baseline.save(target, entries)


def _write_outputs(reports, out_format, output, xlsx, csv_dir, select, ignore, config, stale, streamed) -> None:
    if out_format == "sarif":
        from extract_rules.engine import configured_rules

        from extractor.reporters import sarif

        notes = [f"{path}: 基线中的记录已不再出现：{e.code}「{e.text}」" for path, e in stale]
        rendered = sarif.render(reports, configured_rules(select, ignore, config), notifications=notes)
    else:
        from extractor.reporters import json as json_reporter
        from extractor.reporters import text as text_reporter

        def render(report) -> str:
            # the JSON line written while the batch ran, if the report is still the one it was written for
            known = streamed.get(report.document.path) if out_format == "json" else None
            if known is not None and known[0] is report:
                return known[1]
            return (json_reporter if out_format == "json" else text_reporter).render(report)

        rendered = "\n".join(render(r) for r in reports)
    if output:
        with open(output, "w", encoding="utf-8") as f:
            f.write(rendered + "\n")
    else:
        click.echo(rendered)
    if xlsx:
        from extractor.reporters import xlsx as xlsx_reporter

        xlsx_reporter.render(reports, xlsx)
    if csv_dir:
        from extractor.reporters import csv as csv_reporter

        csv_reporter.render(reports, csv_dir)


def _exit_code(reports, fail_on: str) -> int:
    codes = {r.document.error["code"] for r in reports if r.document.error}
    if "internal-error" in codes:
        return EXIT_INTERNAL      # a file the tool failed on: a bug to report, not bad input
    if codes:
        return EXIT_UNREADABLE
    worst = max((SEVERITY_RANK[f.severity] for r in reports for f in r.findings), default=-1)
    if fail_on != "never" and worst >= SEVERITY_RANK[fail_on]:
        return EXIT_FINDINGS
    return EXIT_CLEAN


if __name__ == "__main__":
    main()

"""The `extract` command: parse options, call the library, pick a reporter, return an exit code.

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error or unreadable input,
3 internal error.
"""
from __future__ import annotations

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
@click.argument("files", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="JSON output: one object per file, JSON Lines for several.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "never"]), default="error", show_default=True,
              help="Exit with 1 when a finding of this severity or above is reported.")
@click.option("--select", multiple=True, help="Only rules whose code starts with this prefix (repeatable).")
@click.option("--ignore", multiple=True, help="Skip rules whose code starts with this prefix (repeatable).")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="Write here instead of stdout.")
@click.option("--schema", is_flag=True, expose_value=False, is_eager=True, callback=_print_schema,
              help="Print the JSON Schema of the output and exit.")
@click.version_option(_version(), "--version", prog_name="extract")
def main(files, as_json, fail_on, select, ignore, output):
    """Extract the fund figures of social-insurance fund reports (.docx, .pdf, .txt) and check them.

    \b
    extract report.docx            readable summary and findings
    extract report.pdf --json      the figures and findings as JSON
    """
    if not files:
        raise click.UsageError("请给出至少一个报告文件（.docx / .pdf / .txt）")
    from extract_rules.engine import run_checks

    from extractor.pipeline import analyse
    from extractor.reporters import json as json_reporter
    from extractor.reporters import text as text_reporter

    reporter = json_reporter if as_json else text_reporter
    worst = -1
    unreadable = False
    for path in files:
        try:
            report = analyse(path, *run_checks(select=select, ignore=ignore))
        except Exception as error:  # noqa: BLE001 - one bad file must not stop the batch
            click.echo(f"extract: {path}: 内部错误：{type(error).__name__}: {error}", err=True)
            sys.exit(EXIT_INTERNAL)
        if report.document.error:
            unreadable = True
            click.echo(f"extract: {path}: {report.document.error['message']}（{report.document.error['code']}）",
                       err=True)
        click.echo(reporter.render(report), file=output)
        for finding in report.findings:
            worst = max(worst, SEVERITY_RANK[finding.severity])
    if unreadable:
        sys.exit(EXIT_UNREADABLE)
    if fail_on != "never" and worst >= SEVERITY_RANK[fail_on]:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_CLEAN)


if __name__ == "__main__":
    main()

"""Wires the project's vocabulary and rule table into the library's `analyse`."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Iterable

from extractor.models import Report

from . import vocabulary
from .base import Rule, iter_rules
from .config import Config
from .hints import add_hints
from .registry import RULES


def configured_rules(select: Iterable[str] = (), ignore: Iterable[str] = (), config: Config | None = None,
                     rules: Iterable[Rule] = RULES) -> list[Rule]:
    """The rules to run: command-line select/ignore, when given, replace the configured ones; the
    configured severity and options are set on each rule (Rule.options["severity"] wins over the
    rule's default in every finding it makes)."""
    config = config or Config()
    select, ignore = tuple(select) or config.select, tuple(ignore) or config.ignore
    out = []
    for rule in iter_rules(rules, select, ignore):
        options = {**rule.options, **config.options.get(rule.code, {})}
        severity = config.severity_for(rule.code)
        if severity:
            options["severity"] = severity
            rule = replace(rule, severity=severity)
        out.append(replace(rule, options=options))
    return out


def run_checks(select: Iterable[str] = (), ignore: Iterable[str] = (), config: Config | None = None):
    """(vocab, checks, finalize) for `extractor.pipeline.analyse`."""
    return vocabulary(), configured_rules(select, ignore, config), add_hints


def apply_baseline(report: Report, config: Config, baseline: dict | None = None):
    """(report without the baseline's findings, suppressed findings, stale entries) for one report.
    `baseline` is the loaded file (rules.baseline.load); without one the report is returned as is."""
    from .baseline import file_key, filter_findings

    if config.baseline is None or baseline is None:
        return report, [], []
    key = file_key(report.document.path, Path(config.baseline).parent)
    kept, suppressed, stale = filter_findings(report.findings, baseline.get(key, []))
    return report.model_copy(update={"findings": kept}), suppressed, stale

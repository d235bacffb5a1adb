"""SARIF 2.1.0 for code-scanning tools (GitHub code scanning among them): one run, the rule table
as `tool.driver.rules` (id, name, short description, help = the rule's documentation), one result per
finding with its location: the file, the paragraph as the region's line (a .txt report's real line),
the span as columns, the matched text as the snippet, and the page in the region's properties.

Rules are passed in as plain records (code, name, summary, severity, doc) so that this module does
not import the rule table; the CLI hands `extract_rules.registry.RULES` over.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Iterable, Protocol, Sequence
from urllib.parse import quote

from ..models import Finding, Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


class RuleInfo(Protocol):
    code: str
    name: str
    summary: str
    severity: str

    @property
    def doc(self) -> str: ...


def _version() -> str:
    try:
        return version("fund-report-extract")
    except PackageNotFoundError:
        return "0+unknown"


def _uri(path: str) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.resolve().relative_to(Path.cwd().resolve())
        except ValueError:
            return p.resolve().as_uri()
    return quote(p.as_posix(), safe="/")


def _rule_descriptor(rule: RuleInfo) -> dict:
    doc = rule.doc
    first = doc.split("\n\n", 1)[0].replace("\n", " ").strip()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": first or rule.summary},
        "help": {"text": doc or rule.summary, "markdown": _markdown(rule, doc)},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": ["lint" if rule.code.startswith("L") else "check"]},
    }


def _markdown(rule: RuleInfo, doc: str) -> str:
    lines = [f"**{rule.code} {rule.name}**: {rule.summary}", ""]
    for line in doc.splitlines():
        stripped = line.strip()
        for label in ("Why:", "Fails:", "Passes:"):
            if stripped.startswith(label):
                stripped = f"*{label}*{stripped[len(label):]}"
        lines.append(stripped)
    return "\n".join(lines)


def _txt_positions(path: str) -> dict[int, tuple[int, int]] | None:
    """For a .txt report: block index -> (line number from 1, column offset of the block's text),
    the way extractor.readers.txt splits the file into blocks."""
    from ..readers.txt import PIPE_ROW, PIPE_RULE, decode_text

    try:
        text, _ = decode_text(Path(path).read_bytes())
    except (OSError, ValueError):
        return None
    positions: dict[int, tuple[int, int]] = {}
    index = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if PIPE_ROW.match(line):
            if PIPE_RULE.match(line):
                continue
            offset = line.index("|") + 1
            for raw in line.strip()[1:-1].split("|"):
                if raw.strip():
                    positions[index] = (number, offset + len(raw) - len(raw.lstrip()))
                    index += 1
                offset += len(raw) + 1
        elif line.strip():
            positions[index] = (number, 0)
            index += 1
    return positions


def _fingerprint(uri: str, finding: Finding, occurrence: int) -> str:
    loc = finding.location
    key = "\x1f".join((uri, finding.code, loc.text if loc else finding.message,
                       str(loc.block) if loc else "", str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _result(finding: Finding, rule_index: dict[str, int], uri: str, artifact: int, positions, seen: Counter) -> dict:
    loc = finding.location
    region: dict = {"startLine": 1}
    properties: dict = {}
    if loc is not None:
        line, column = (positions or {}).get(loc.block, (loc.block + 1, 0))
        region = {"startLine": line, "startColumn": column + loc.start + 1, "endLine": line,
                  "endColumn": column + max(loc.end, loc.start + 1) + 1, "snippet": {"text": loc.text}}
        properties = {"block": loc.block, "paragraph": loc.block + 1}
        if loc.page is not None:
            properties["page"] = loc.page
        if loc.cell is not None:
            properties["cell"] = {"table": loc.cell.table + 1, "row": loc.cell.row + 1, "col": loc.cell.col + 1}
        if loc.section:
            properties["section"] = loc.section
        region["properties"] = properties
    key = (finding.code, loc.text if loc else finding.message, loc.block if loc else -1)
    occurrence = seen[key]
    seen[key] += 1
    result = {
        "ruleId": finding.code,
        "level": LEVEL[finding.severity],
        "message": {"text": finding.message + (f"（建议：{finding.suggestion}）" if finding.suggestion else "")},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri, "index": artifact},
                                            "region": region}}],
        "partialFingerprints": {"extractFinding/v1": _fingerprint(uri, finding, occurrence)},
    }
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    extra = {k: v for k, v in (("fund", finding.fund), ("hint", finding.hint)) if v}
    if finding.figures:
        extra["figures"] = list(finding.figures)
    if extra:
        result["properties"] = extra
    return result


def render(reports: Sequence[Report], rules: Iterable[RuleInfo], *,
           notifications: Sequence[str] = ()) -> str:
    """One SARIF log for all reports. `notifications`: messages about the run (stale baseline
    entries, unreadable files are added from the reports themselves)."""
    rules = list(rules)
    rule_index = {rule.code: i for i, rule in enumerate(rules)}
    artifacts, results = [], []
    notes = [{"level": "note", "message": {"text": text}} for text in notifications]
    for report in reports:
        uri = _uri(report.document.path)
        artifacts.append({"location": {"uri": uri},
                          **({"hashes": {"sha-256": report.document.sha256}} if report.document.sha256 else {})})
        index = len(artifacts) - 1
        if report.document.error:
            notes.append({"level": "error", "message": {"text": f"{report.document.path}: {report.document.error['message']}"
                                                                  f"（{report.document.error['code']}）"},
                          "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri, "index": index}}}]})
            continue
        positions = _txt_positions(report.document.path) if report.document.format == "txt" else None
        seen: Counter = Counter()
        results.extend(_result(f, rule_index, uri, index, positions, seen) for f in report.findings)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "extract", "version": _version(), "semanticVersion": _version(),
                                "rules": [_rule_descriptor(rule) for rule in rules]}},
            "invocations": [{"executionSuccessful": not any(n["level"] == "error" for n in notes),
                             "toolExecutionNotifications": notes}],
            "artifacts": artifacts,
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)

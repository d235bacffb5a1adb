"""JSON: one object per report (the `Report` model); several reports are JSON Lines."""
from __future__ import annotations

from ..models import Finding, Report

# Where a report's findings list ends: "indicators" is the field after it and the last of a Report,
# and a quote inside a string is escaped, so the text occurs once, at the top level.
_FINDINGS_END = '],"indicators":'


def render(report: Report) -> str:
    return report.model_dump_json(exclude_none=False)


def with_more_findings(line: str, findings: list[Finding]) -> str:
    """`line`, render(report), with `findings` appended to the report's findings: what render()
    gives for the report holding them too, without rendering it all again (a batch adds cross-report
    findings to reports it has already written out)."""
    if not findings:
        return line
    cut = line.rindex(_FINDINGS_END)
    extra = ",".join(finding.model_dump_json(exclude_none=False) for finding in findings)
    return line[:cut] + ("" if line[cut - 1] == "[" else ",") + extra + line[cut:]

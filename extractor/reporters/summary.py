"""The closing summary of a batch: counts, the most frequent rules, the files with most errors."""
from __future__ import annotations

from collections import Counter

from ..models import Report

TOP = 5


def render(reports: list[Report]) -> str:
    failed = [r for r in reports if r.document.error]
    with_errors = [r for r in reports if any(f.severity == "error" for f in r.findings)]
    with_warnings = [r for r in reports if any(f.severity == "warning" for f in r.findings)]
    lines = [f"共检查{len(reports)}个文件：无法处理{len(failed)}个，有错误{len(with_errors)}个，"
             f"有警告{len(with_warnings)}个"]
    rules = Counter((f.code, f.name) for r in reports for f in r.findings)
    if rules:
        lines.append("最常见的问题：" + "；".join(f"{code} {name} {n}次" for (code, name), n in rules.most_common(TOP)))
    worst = sorted(with_errors, key=lambda r: (-sum(f.severity == "error" for f in r.findings), r.document.path))
    if worst:
        lines.append("错误最多的文件：" + "；".join(
            f"{r.document.path}（{sum(f.severity == 'error' for f in r.findings)}个）" for r in worst[:TOP]))
    if failed:
        lines.append("无法处理：" + "；".join(f"{r.document.path}（{r.document.error['code']}）" for r in failed[:TOP]))
    return "\n".join(lines)

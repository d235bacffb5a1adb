"""Readable output for a person at a terminal: a fund × metric table, then the findings with
their place in the document, the quoted text, the arithmetic and the hint."""
from __future__ import annotations

from collections import defaultdict

from ..interval import fmt
from ..models import Report
from ..names import FUND_ORDER, FUND_SHORT, SEVERITY_CN

def _place(source) -> str:
    if source is None:
        return ""
    parts = []
    if source.page:
        parts.append(f"第{source.page}页")
    if source.cell is not None:
        parts.append(f"表{source.cell.table + 1}第{source.cell.row + 1}行第{source.cell.col + 1}列")
    else:
        parts.append(f"第{source.block + 1}段")
    return "".join(parts)


def render(report: Report) -> str:
    doc, meta = report.document, report.meta
    lines = [f"== {doc.path}"]
    if doc.error:
        lines.append(f"   无法读取：{doc.error['message']}（{doc.error['code']}）")
        return "\n".join(lines)
    about = " ".join(x for x in (meta.region, f"{meta.year}年" if meta.year else None,
                                  meta.period if meta.period not in (None, "year") else None) if x)
    lines.append(f"   {about or '（未识别地区与年度）'}  {doc.format}  {len(report.figures)}个数据  "
                 f"{len(report.findings)}条发现")
    lines.extend(_figure_table(report))
    for f in report.findings:
        lines.append(f"{SEVERITY_CN[f.severity]} {f.code} {f.name}  {_place(f.location)}")
        lines.append(f"   {f.message}")
        if f.location is not None:
            lines.append(f"   原文：「{f.location.text}」")
        if f.hint:
            lines.append(f"   提示：{f.hint}")
    return "\n".join(lines)


def _figure_table(report: Report) -> list[str]:
    cells: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for f in report.figures:
        if f.parent is not None:
            continue
        key = f.metric + ("（预算）" if f.basis == "budget" else "")
        text = fmt(f.value)
        if text not in cells[key][f.fund]:
            cells[key][f.fund].append(text)
    funds = [fund for fund in FUND_ORDER if any(fund in row for row in cells.values())]
    if not funds:
        return []
    header = ["指标".ljust(28)] + [FUND_SHORT[f] for f in funds]
    out = ["   " + " | ".join(header)]
    for metric in sorted(cells):
        row = [metric.ljust(30)] + ["/".join(cells[metric].get(f, [])) or "-" for f in funds]
        out.append("   " + " | ".join(row))
    return out

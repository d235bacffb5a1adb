"""The three tables of an audit working paper, shared by the xlsx and csv reporters:
reports (one row per file), findings (one row per finding), figures (one row per report, one column
per fund × metric)."""
from __future__ import annotations

from ..models import Figure, Report
from ..names import SEVERITY_CN



def _status(report: Report) -> str:
    if report.document.error:
        return f"失败：{report.document.error['code']}"
    severities = {f.severity for f in report.findings}
    return "有错误" if "error" in severities else "有警告" if "warning" in severities else "通过"


def reports_table(reports: list[Report]) -> list[list]:
    rows = [["文件", "地区", "年度", "格式", "状态", "错误数", "警告数", "提示数", "数据个数", "SHA-256", "说明"]]
    for r in reports:
        count = {s: sum(1 for f in r.findings if f.severity == s) for s in ("error", "warning", "info")}
        rows.append([r.document.path, r.meta.region or "", r.meta.year or "", r.document.format, _status(r),
                     count["error"], count["warning"], count["info"], len(r.figures), r.document.sha256,
                     (r.document.error or {}).get("message", "")])
    return rows


def _place(source) -> tuple:
    if source is None:
        return "", "", ""
    cell = f"表{source.cell.table + 1}第{source.cell.row + 1}行第{source.cell.col + 1}列" if source.cell else ""
    return source.page or "", source.block + 1, cell


def findings_table(reports: list[Report]) -> list[list]:
    rows = [["文件", "基金", "代码", "规则", "级别", "说明", "页", "段", "表格位置", "原文", "所述值", "应为", "提示"]]
    for r in reports:
        for f in r.findings:
            page, block, cell = _place(f.location)
            rows.append([r.document.path, f.fund or "", f.code, f.name, SEVERITY_CN[f.severity], f.message,
                         page, block, cell, f.location.text if f.location else "",
                         _num(f.stated), _num(f.expected), f.hint or ""])
    return rows


def _num(value):
    return None if value is None else float(value) if value != value.to_integral_value() else int(value)


def _principal(figures: list[Figure]) -> dict[str, Figure]:
    out: dict[str, Figure] = {}
    for f in figures:
        if f.parent is None:
            key = f"{f.fund}/{f.metric}" + ("/budget" if f.basis == "budget" else "")
            out.setdefault(key, f)
    return out


def figures_table(reports: list[Report]) -> list[list]:
    per_report = [_principal(r.figures) for r in reports]
    columns = sorted({k for p in per_report for k in p})
    rows = [["文件", "地区", "年度", *columns]]
    for r, principal in zip(reports, per_report):
        rows.append([r.document.path, r.meta.region or "", r.meta.year or "",
                     *[_num(principal[c].value) if c in principal else None for c in columns]])
    return rows


def all_tables(reports: list[Report]) -> dict[str, list[list]]:
    return {"reports": reports_table(reports), "findings": findings_table(reports), "figures": figures_table(reports)}

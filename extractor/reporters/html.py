"""A review page: the report's text with every figure highlighted, and the findings beside it.

One self-contained HTML file per report (inline CSS and JS, no fonts or scripts from the network),
readable offline with the system's Chinese fonts. Figures are coloured by the worst finding they
take part in; hovering, focusing or clicking one shows its fund, metric, attributes and relations;
clicking a finding highlights its figures and scrolls to the number it is about. Figures whose
span cannot be found in the text are listed, never dropped.

The output is deterministic (document order, sorted keys, no timestamps) and everything taken from
the document is escaped: text goes through `html.escape`, data through JSON with `<`, `>` and `&`
escaped, and the script only ever sets `textContent`.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from html import escape
from pathlib import PurePath

from ..anchors import Anchor, finding_anchor, is_located
from ..blocks import Block, Document
from ..interval import fmt
from ..models import SEVERITY_RANK, Figure, Finding, Report
from ..names import ATTRIBUTE_NAMES, FUND_ORDER, FUND_SHORT, METRIC_NAMES, SEVERITY_CN

STATUS_CN = {"error": "涉及错误", "warning": "涉及警告", "info": "涉及提示", "ok": "未发现问题"}
BASIS_CN = {"actual": "实际数", "budget": "预算数"}
METRIC_FAMILY_CN = {"income": "收入", "expenditure": "支出", "balance": "结余", "coverage": "可支付月数",
                    "people": "人数", "visits": "人次"}
METRIC_CN = METRIC_NAMES
ATTRIBUTE_CN = ATTRIBUTE_NAMES
SEVERITIES = ("error", "warning", "info")


def metric_name(metric: str) -> str:
    if metric in METRIC_CN:
        return METRIC_CN[metric]
    family = metric.split(".", 1)[0]
    return METRIC_FAMILY_CN.get(family, metric)


def fund_name(fund: str) -> str:
    return FUND_SHORT.get(fund, fund)


def render(report: Report, document: Document | None = None) -> str:
    """The review page of one report. Without `document` (or for an unreadable file) the page lists
    the figures and findings without the text."""
    page = _Page(report, document)
    return page.html()


class _Page:
    def __init__(self, report: Report, document: Document | None):
        self.report = report
        self.document = document if document is not None and not report.document.error else None
        self.by_id = {f.id: f for f in report.figures}
        self.located = [f for f in report.figures if self.document is not None and is_located(f, self.document)]
        located_ids = {f.id for f in self.located}
        self.unlocated = [f for f in report.figures if f.id not in located_ids]
        self.anchors: list[Anchor | None] = [
            finding_anchor(f, report, self.document) if self.document is not None else None for f in report.findings]
        self.involved: dict[str, list[int]] = defaultdict(list)   # figure id -> finding indexes
        for index, finding in enumerate(report.findings):
            for fig_id in _finding_figures(finding):
                self.involved[fig_id].append(index)
        self.children: dict[str, list[str]] = defaultdict(list)
        for figure in report.figures:
            if figure.parent is not None:
                self.children[figure.parent].append(figure.id)

    # -- status ---------------------------------------------------------------------------------
    def status(self, fig_id: str) -> str:
        ranks = [SEVERITY_RANK[self.report.findings[i].severity] for i in self.involved.get(fig_id, [])]
        if not ranks:
            return "ok"
        return {2: "error", 1: "warning", 0: "info"}[max(ranks)]

    # -- page -----------------------------------------------------------------------------------
    def html(self) -> str:
        doc = self.report.document
        name = PurePath(doc.path).name or doc.path
        parts = [
            "<!DOCTYPE html>",
            '<html lang="zh-CN">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            # The page must never reach the network: no fetches, no external fonts or scripts.
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">",
            f"<title>{escape(name)} · 数据核对</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            self.header(name),
            self.toolbar(),
            '<main id="layout">',
            '<article id="text" aria-label="报告原文">',
            self.text(),
            "</article>",
            '<aside id="side">',
            self.findings_panel(),
            self.unlocated_panel(),
            "</aside>",
            "</main>",
            '<div id="tip" role="tooltip" hidden></div>',
            f'<script type="application/json" id="data">{self.data_json()}</script>',
            f"<script>{JS}</script>",
            "</body>",
            "</html>",
        ]
        return "\n".join(parts) + "\n"

    def header(self, name: str) -> str:
        doc, meta = self.report.document, self.report.meta
        about = " ".join(x for x in (
            meta.region, f"{meta.year}年" if meta.year else None,
            meta.period if meta.period not in (None, "year") else None) if x) or "未识别地区与年度"
        counts = {s: sum(1 for f in self.report.findings if f.severity == s) for s in SEVERITIES}
        facts = [
            f"{escape(about)}",
            f"格式 {escape(doc.format)}",
            f"{len(self.report.figures)} 个数据（{len(self.located)} 个已在原文定位）",
            f'<span class="sev-error">{counts["error"]} 个错误</span>',
            f'<span class="sev-warning">{counts["warning"]} 个警告</span>',
            f'<span class="sev-info">{counts["info"]} 个提示</span>',
        ]
        out = ['<header id="top">', f"<h1>{escape(name)}</h1>",
               '<p class="facts">' + '<span class="sep">·</span>'.join(facts) + "</p>"]
        if doc.error:
            out.append(f'<p class="doc-error" role="alert">无法读取：{escape(doc.error.get("message", ""))}'
                       f'（{escape(doc.error.get("code", ""))}）</p>')
        out.append("</header>")
        return "\n".join(out)

    def toolbar(self) -> str:
        funds = [f for f in FUND_ORDER if any(fig.fund == f for fig in self.report.figures)]
        funds += sorted({fig.fund for fig in self.report.figures} - set(funds))
        options = ['<option value="">全部基金</option>'] + [
            f'<option value="{escape(f)}">{escape(fund_name(f))}</option>' for f in funds]
        boxes = []
        for status in ("error", "warning", "info", "ok"):
            label = SEVERITY_CN.get(status, "无问题") if status != "ok" else "无问题的数据"
            boxes.append(f'<label class="chk st-{status}"><input type="checkbox" name="severity" '
                         f'value="{status}" checked> <span class="swatch"></span>{escape(label)}</label>')
        return ('<nav id="toolbar" aria-label="筛选">'
                f'<label>基金 <select id="fund-filter">{"".join(options)}</select></label>'
                f'<span class="boxes">{"".join(boxes)}</span>'
                '<button type="button" id="clear">清除高亮</button>'
                "</nav>")

    # -- the document's text ---------------------------------------------------------------------
    def text(self) -> str:
        if self.document is None:
            return '<p class="muted">（没有可显示的原文）</p>'
        marks_by_block: dict[int, list[tuple[int, int, str, str, int]]] = defaultdict(list)
        for figure in self.located:
            s = figure.source
            marks_by_block[s.block].append((s.start, s.end, "fig", figure.id, 0))
        for index, anchor in enumerate(self.anchors):
            if anchor is None:
                continue
            # A finding's mark is cut where a figure begins or ends, so that it nests inside figures
            # and a figure is never split by the mark of a wording finding that crosses it.
            cuts = sorted({anchor.start, anchor.end} | {
                edge for m in marks_by_block[anchor.block] if m[2] == "fig" for edge in m[:2]
                if anchor.start < edge < anchor.end})
            for part, (a, b) in enumerate(zip(cuts, cuts[1:])):
                marks_by_block[anchor.block].append((a, b, "num", str(index), part))
        out: list[str] = []
        page = None
        blocks = self.document.blocks
        i = 0
        while i < len(blocks):
            block = blocks[i]
            if block.page is not None and block.page != page:
                page = block.page
                out.append(f'<div class="page-mark" id="page-{page}">第 {page} 页</div>')
            if block.cell is None:
                out.append(f'<p class="blk" id="b{block.index}" data-block="{block.index}">'
                           f"{self.marked(block, marks_by_block.get(block.index, []))}</p>")
                i += 1
                continue
            j = i
            while j < len(blocks) and blocks[j].cell is not None and blocks[j].cell.table == block.cell.table:
                j += 1
            out.append(self.table(blocks[i:j], marks_by_block))
            i = j
        return "\n".join(out)

    def table(self, cells: Sequence[Block], marks_by_block) -> str:
        rows: dict[int, dict[int, Block]] = defaultdict(dict)
        for cell in cells:
            rows[cell.cell.row][cell.cell.col] = cell
        width = max(col for row in rows.values() for col in row) + 1
        out = [f'<table class="tbl" data-table="{cells[0].cell.table}">']
        for row_index in sorted(rows):
            out.append("<tr>")
            for col in range(width):
                cell = rows[row_index].get(col)
                if cell is None:
                    out.append("<td></td>")
                else:
                    out.append(f'<td class="blk" id="b{cell.index}" data-block="{cell.index}">'
                               f"{self.marked(cell, marks_by_block.get(cell.index, []))}</td>")
            out.append("</tr>")
        out.append("</table>")
        return "".join(out)

    def marked(self, block: Block, marks: list[tuple[int, int, str, str, int]]) -> str:
        """The block's text with the marks as elements. Spans nest (a total's clause holds its
        parts); where two only overlap, the inner one is closed and reopened as a continuation."""
        text = block.text
        # Outer spans open first: by start, then longest.
        ordered = sorted(marks, key=lambda m: (m[0], -m[1], m[2] != "fig", m[3], m[4]))
        bounds = sorted({0, len(text)} | {m[0] for m in ordered} | {m[1] for m in ordered})
        out: list[str] = []
        stack: list[tuple[int, int, str, str, int]] = []
        opened: set[tuple[int, int, str, str, int]] = set()
        pending = list(ordered)
        for a, b in zip(bounds, bounds[1:]):
            # Close everything that ends at `a`, reopening what was above it and goes on.
            keep = []
            while any(m[1] <= a for m in stack):
                top = stack.pop()
                out.append(self.close(top))
                if top[1] > a:
                    keep.append(top)
            for mark in reversed(keep):
                out.append(self.open(mark, continuation=True))
                stack.append(mark)
            while pending and pending[0][0] == a:
                mark = pending.pop(0)
                if mark[1] <= a:
                    continue
                out.append(self.open(mark, continuation=mark in opened))
                opened.add(mark)
                stack.append(mark)
            out.append(escape(text[a:b]))
        while stack:
            out.append(self.close(stack.pop()))
        return "".join(out)

    def open(self, mark: tuple[int, int, str, str, int], continuation: bool) -> str:
        _, _, kind, key, part = mark
        continuation = continuation or part > 0
        if kind == "num":
            finding = self.report.findings[int(key)]
            ident = "" if continuation else f' id="num-{key}"'
            return f'<span class="num sev-{finding.severity}" data-finding="{key}"{ident}>'
        figure = self.by_id[key]
        classes = f"fig st-{self.status(key)}" + (" cont" if continuation else "")
        ident = "" if continuation else f' id="fig-{escape(key)}" tabindex="0"'
        return (f'<mark class="{classes}"{ident} data-fig="{escape(key)}" data-fund="{escape(figure.fund)}" '
                f'data-status="{self.status(key)}">')

    @staticmethod
    def close(mark: tuple[int, int, str, str, int]) -> str:
        return "</span>" if mark[2] == "num" else "</mark>"

    # -- side panels ------------------------------------------------------------------------------
    def findings_panel(self) -> str:
        findings = self.report.findings
        out = ['<section id="findings" aria-label="发现">', f"<h2>发现（{len(findings)}）</h2>"]
        if not findings:
            out.append('<p class="muted">没有发现问题。</p>')
        out.append('<ol class="findings">')
        for index, finding in enumerate(findings):
            anchor = self.anchors[index]
            target = f"#num-{index}" if anchor is not None else "#unlocated"
            figs = " ".join(_finding_figures(finding))
            funds = " ".join(sorted({self.by_id[i].fund for i in _finding_figures(finding) if i in self.by_id}
                                    | ({finding.fund} if finding.fund else set())))
            place = _place(finding.location)
            out.append(
                f'<li class="finding sev-{finding.severity}" data-index="{index}" data-severity="{finding.severity}" '
                f'data-figs="{escape(figs)}" data-funds="{escape(funds)}">'
                f'<a href="{target}" class="finding-link">'
                f'<span class="badge sev-{finding.severity}">{escape(SEVERITY_CN[finding.severity])}</span> '
                f'<code>{escape(finding.code)}</code> <span class="name">{escape(finding.name)}</span>'
                f'<span class="place">{escape(place)}</span></a>'
                f'<p class="msg">{escape(finding.message)}</p>'
                + (f'<p class="expected">{escape(_expected(finding))}</p>' if _expected(finding) else "")
                + (f'<p class="hint">提示：{escape(finding.hint)}</p>' if finding.hint else "")
                + (f'<p class="hint">建议：{escape(finding.suggestion)}</p>' if finding.suggestion else "")
                + (f'<p class="anchor">标注于「{escape(anchor.text)}」</p>' if anchor is not None
                   else '<p class="anchor muted">未能在原文中定位</p>')
                + "</li>")
        out.append("</ol></section>")
        return "\n".join(out)

    def unlocated_panel(self) -> str:
        out = ['<section id="unlocated" aria-label="未定位的数据">',
               f"<h2>未能在原文中定位的数据（{len(self.unlocated)}）</h2>"]
        if not self.unlocated:
            out.append('<p class="muted">所有数据都已在原文中标出。</p>')
        else:
            out.append("<ul>")
            for figure in self.unlocated:
                out.append(
                    f'<li class="unloc st-{self.status(figure.id)}" data-fig="{escape(figure.id)}" '
                    f'data-fund="{escape(figure.fund)}" tabindex="0">'
                    f'<code>{escape(figure.id)}</code> {escape(fund_name(figure.fund))} '
                    f'{escape(figure.label)} {escape(fmt(figure.value))}{escape(figure.unit)} '
                    f'<span class="muted">{escape(_place(figure.source))}「{escape(figure.source.text)}」</span></li>')
            out.append("</ul>")
        out.append("</section>")
        return "\n".join(out)

    # -- data for the script -----------------------------------------------------------------------
    def data_json(self) -> str:
        figures = {}
        for figure in self.report.figures:
            figures[figure.id] = {
                "id": figure.id, "fund": figure.fund, "fundName": fund_name(figure.fund),
                "metric": figure.metric, "metricName": metric_name(figure.metric), "label": figure.label,
                "basis": BASIS_CN.get(figure.basis, figure.basis), "unit": figure.unit,
                "statedUnit": figure.stated_unit, "decimals": figure.decimals,
                "attrs": [[ATTRIBUTE_CN[a], fmt(v) + ("%" if a.endswith("pct") else figure.unit)]
                          for a in ("value", "change", "growth_pct", "budget", "completion_pct")
                          if (v := figure.value if a == "value" else getattr(figure, a)) is not None],
                "place": _place(figure.source), "section": figure.source.section or "",
                "text": figure.source.text, "status": self.status(figure.id), "statusName": STATUS_CN[self.status(figure.id)],
                "parent": figure.parent, "children": self.children.get(figure.id, []),
                "sum": self.parts_sum(figure), "findings": self.involved.get(figure.id, []),
                "implied": {str(i): _implied_for(self.report.findings[i], figure.id)
                            for i in self.involved.get(figure.id, []) if _implied_for(self.report.findings[i], figure.id)},
                "located": figure in self.located, "ocr": figure.ocr,
            }
        findings = [{
            "code": f.code, "name": f.name, "severity": f.severity, "severityName": SEVERITY_CN[f.severity],
            "message": f.message, "figures": _finding_figures(f), "fund": f.fund or "",
            "expected": _expected(f), "hint": f.hint or "",
        } for f in self.report.findings]
        data = {"figures": figures, "findings": findings}
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        # Inside <script>, `</script>` or `<!--` in a label would end or confuse the element.
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")

    def parts_sum(self, figure: Figure) -> str:
        """The arithmetic of a total's parts as stated, for reading; the verdict is the checks' job."""
        parts = [self.by_id[i] for i in self.children.get(figure.id, []) if self.by_id[i].unit == figure.unit]
        if len(parts) < 2 or any(p.basis != figure.basis for p in parts):
            return ""
        total = sum((p.value for p in parts), start=type(figure.value)(0))
        terms = " + ".join(f"{p.label}{fmt(p.value)}" for p in parts)
        return f"分项：{terms} = {fmt(total)}{figure.unit}；所述{figure.label}{fmt(figure.value)}{figure.unit}"


def _finding_figures(finding: Finding) -> list[str]:
    ids = list(finding.figures)
    if finding.suspect and finding.suspect not in ids:
        ids.append(finding.suspect)
    return ids


def _implied_for(finding: Finding, fig_id: str) -> str:
    out = []
    for key, value in sorted(finding.implied.items()):
        figure, _, attr = key.partition(".")
        if figure == fig_id:
            unit = "%" if attr.endswith("pct") else ""
            out.append(f"{ATTRIBUTE_CN.get(attr or 'value', attr)}应为{fmt(value)}{unit}")
    return "；".join(out)


def _expected(finding: Finding) -> str:
    if finding.expected is None and finding.expected_low is None:
        return ""
    parts = []
    if finding.stated is not None:
        parts.append(f"所述 {fmt(finding.stated)}")
    if finding.expected is not None:
        parts.append(f"应为 {fmt(finding.expected)}")
    if finding.expected_low is not None and finding.expected_high is not None:
        parts.append(f"（区间 {fmt(finding.expected_low)} ~ {fmt(finding.expected_high)}）")
    return "，".join(parts[:2]) + ("" if len(parts) < 3 else parts[2])


def _place(source) -> str:
    if source is None:
        return ""
    where = f"第{source.page}页" if source.page else ""
    if source.cell is not None:
        return where + f"表{source.cell.table + 1}第{source.cell.row + 1}行第{source.cell.col + 1}列"
    return where + f"第{source.block + 1}段"


# -- batch index ---------------------------------------------------------------------------------

def render_index(entries: Sequence[tuple[Report, str]], title: str = "基金报告核对") -> str:
    """An index page for a batch: one row per report with its counts and a link (`href`, relative)."""
    rows = []
    for report, href in entries:
        doc = report.document
        counts = {s: sum(1 for f in report.findings if f.severity == s) for s in SEVERITIES}
        about = " ".join(x for x in (report.meta.region, f"{report.meta.year}年" if report.meta.year else None) if x)
        if doc.error:
            state = f'<span class="sev-error">无法读取：{escape(doc.error.get("message", ""))}</span>'
        elif counts["error"]:
            state = '<span class="sev-error">有错误</span>'
        elif counts["warning"]:
            state = '<span class="sev-warning">有警告</span>'
        else:
            state = '<span class="st-ok-text">未发现问题</span>'
        rows.append(
            f'<tr><td><a href="{escape(href)}">{escape(PurePath(doc.path).name or doc.path)}</a></td>'
            f"<td>{escape(about)}</td><td>{escape(doc.format)}</td><td class=\"n\">{len(report.figures)}</td>"
            f'<td class="n">{counts["error"]}</td><td class="n">{counts["warning"]}</td>'
            f'<td class="n">{counts["info"]}</td><td>{state}</td></tr>')
    failed = sum(1 for report, _ in entries if report.document.error)
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{escape(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        f'<header id="top"><h1>{escape(title)}</h1><p class="facts">{len(entries)} 个文件'
        + (f'，<span class="sev-error">{failed} 个无法读取</span>' if failed else "") + "</p></header>",
        '<main class="index"><table class="tbl index-table"><thead><tr><th>文件</th><th>地区与年度</th><th>格式</th>'
        "<th>数据</th><th>错误</th><th>警告</th><th>提示</th><th>结论</th></tr></thead><tbody>",
        *rows, "</tbody></table></main>", "</body>", "</html>",
    ]) + "\n"


CSS = """
:root{--err:#c62828;--err-bg:#fde2e1;--warn:#b26a00;--warn-bg:#fff1c7;--info:#1d5fbf;--info-bg:#dde9fb;
--ok:#2e7d32;--ok-bg:#e4f3e3;--fg:#1f2328;--muted:#6b7280;--line:#d8dee4}
*{box-sizing:border-box}
body{margin:0;color:var(--fg);background:#f6f7f9;font:16px/1.75 "Noto Sans CJK SC","Source Han Sans SC",
"PingFang SC","Hiragino Sans GB","Microsoft YaHei","WenQuanYi Micro Hei",system-ui,sans-serif}
header{padding:12px 24px;background:#fff;border-bottom:1px solid var(--line)}
h1{font-size:20px;margin:0 0 4px}
h2{font-size:16px;margin:0 0 8px}
.facts{margin:0;color:var(--muted);font-size:14px}.facts .sep{margin:0 8px}
.doc-error{color:var(--err);font-weight:bold}
#toolbar{position:sticky;top:0;z-index:5;display:flex;flex-wrap:wrap;gap:16px;align-items:center;
padding:8px 24px;background:#fff;border-bottom:1px solid var(--line);font-size:14px}
#toolbar select,#toolbar button{font:inherit;padding:2px 8px}
.boxes{display:flex;gap:12px}.chk{display:inline-flex;align-items:center;gap:4px;cursor:pointer}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px}
.chk.st-error .swatch{background:var(--err-bg);border:1px solid var(--err)}
.chk.st-warning .swatch{background:var(--warn-bg);border:1px solid var(--warn)}
.chk.st-info .swatch{background:var(--info-bg);border:1px solid var(--info)}
.chk.st-ok .swatch{background:var(--ok-bg);border:1px solid var(--ok)}
#layout{display:grid;grid-template-columns:minmax(0,1fr) 420px;gap:16px;padding:16px 24px;align-items:start}
#text{background:#fff;border:1px solid var(--line);border-radius:6px;padding:16px 28px}
#side{position:sticky;top:52px;max-height:calc(100vh - 64px);overflow:auto;display:flex;flex-direction:column;gap:16px}
#side section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:12px 16px}
.blk{white-space:pre-wrap;margin:0 0 .6em}
.page-mark{margin:16px 0 8px;color:var(--muted);font-size:12px;border-top:1px dashed var(--line);text-align:center}
.tbl{border-collapse:collapse;margin:8px 0 16px;font-size:14px}
.tbl td,.tbl th{border:1px solid var(--line);padding:2px 8px;vertical-align:top}
.tbl td.blk{margin:0}
mark.fig{color:inherit;border-radius:2px;padding:1px 0;cursor:pointer;border-bottom:2px solid transparent}
mark.st-error{background:var(--err-bg);border-bottom-color:var(--err)}
mark.st-warning{background:var(--warn-bg);border-bottom-color:var(--warn)}
mark.st-info{background:var(--info-bg);border-bottom-color:var(--info)}
mark.st-ok{background:var(--ok-bg);border-bottom-color:var(--ok)}
mark.fig.off{background:transparent;border-bottom-color:transparent}
mark.fig.dim{background:transparent;border-bottom-color:#e5e7eb;color:#9ca3af}
mark.fig.hl{outline:2px solid #111;outline-offset:1px;background:#ffe066}
mark.fig.sel{outline:2px dashed #111}
mark.fig:focus{outline:2px solid #2563eb}
.num{font-weight:bold;text-decoration:underline wavy;text-underline-offset:3px}
.num.sev-error{text-decoration-color:var(--err)}.num.sev-warning{text-decoration-color:var(--warn)}
.num.sev-info{text-decoration-color:var(--info)}
.num.hl{background:#111;color:#fff;border-radius:2px}
ol.findings{list-style:none;margin:0;padding:0;font-size:14px;line-height:1.6}
li.finding{color:var(--fg);border-left:4px solid var(--line);padding:6px 8px;margin:0 0 8px;background:#fafbfc}
li.finding.sev-error{border-left-color:var(--err)}li.finding.sev-warning{border-left-color:var(--warn)}
li.finding.sev-info{border-left-color:var(--info)}
li.finding.active{background:#fff7d6}
li.finding[hidden]{display:none}
.finding-link{color:inherit;text-decoration:none;display:block}
.finding-link:hover .name{text-decoration:underline}
.badge{display:inline-block;font-size:12px;padding:0 6px;border-radius:3px;color:#fff}
.badge.sev-error{background:var(--err)}.badge.sev-warning{background:var(--warn)}.badge.sev-info{background:var(--info)}
.place{float:right;color:var(--muted);font-size:12px}
.msg,.hint,.anchor,.expected{margin:4px 0 0}.hint{color:#374151}.anchor,.expected{font-size:12px;color:var(--muted)}
.sev-error{color:var(--err)}.sev-warning{color:var(--warn)}.sev-info{color:var(--info)}.st-ok-text{color:var(--ok)}
.badge.sev-error,.badge.sev-warning,.badge.sev-info{color:#fff}
.muted{color:var(--muted)}
#unlocated ul{margin:0;padding-left:18px;font-size:14px}
#tip{position:fixed;z-index:10;max-width:460px;background:#fff;border:1px solid #9ca3af;border-radius:6px;
box-shadow:0 6px 24px rgba(0,0,0,.18);padding:10px 14px;font-size:13px;line-height:1.6}
#tip h3{font-size:15px;margin:0 0 4px}#tip dl{display:grid;grid-template-columns:auto 1fr;gap:0 10px;margin:0}
#tip dt{color:var(--muted)}#tip dd{margin:0}#tip ul{margin:4px 0 0;padding-left:18px}
#tip .close{float:right;border:0;background:none;font-size:16px;cursor:pointer}
.index{padding:16px 24px}.index-table{background:#fff;width:100%}.index-table td.n{text-align:right}
@media (max-width:900px){#layout{grid-template-columns:1fr}#side{position:static;max-height:none}}
@media print{#toolbar,#tip{display:none}#layout{display:block}}
"""

JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var tip = document.getElementById("tip");
  var pinned = null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function marksOf(id) {
    return document.querySelectorAll('mark.fig[data-fig="' + id + '"]');
  }
  function row(dl, name, value) {
    if (value === undefined || value === null || value === "") return;
    dl.appendChild(el("dt", null, name));
    dl.appendChild(el("dd", null, value));
  }
  function describe(id) {
    var f = data.figures[id];
    var box = document.createDocumentFragment();
    var close = el("button", "close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "关闭");
    close.addEventListener("click", function () { unpin(); });
    box.appendChild(close);
    box.appendChild(el("h3", null, f.label + " " + (f.attrs.length ? f.attrs[0][1] : "")));
    var dl = el("dl");
    row(dl, "基金", f.fundName + "（" + f.fund + "）");
    row(dl, "指标", f.metricName + "（" + f.metric + "）");
    row(dl, "口径", f.basis);
    f.attrs.forEach(function (a) { row(dl, a[0], a[1]); });
    row(dl, "原文单位", f.statedUnit || "（未写单位）");
    row(dl, "状态", f.statusName);
    row(dl, "位置", f.place + (f.section ? "　" + f.section : ""));
    row(dl, "原文", "「" + f.text + "」");
    if (f.parent && data.figures[f.parent]) {
      var p = data.figures[f.parent];
      row(dl, "所属总数", p.label + " " + (p.attrs.length ? p.attrs[0][1] : "") + "（" + p.id + "）");
    }
    if (f.children.length) {
      row(dl, "分项", f.children.map(function (c) {
        var k = data.figures[c];
        return k.label + (k.attrs.length ? k.attrs[0][1] : "");
      }).join("；"));
    }
    row(dl, "分项合计", f.sum);
    box.appendChild(dl);
    var rel = el("div");
    rel.appendChild(el("strong", null, f.findings.length ? "所涉关系（" + f.findings.length + "）" : "所涉关系：未发现不一致"));
    if (f.findings.length) {
      var ul = el("ul");
      f.findings.forEach(function (i) {
        var g = data.findings[i];
        var li = el("li");
        li.appendChild(el("span", "sev-" + g.severity, g.severityName + " " + g.code + " " + g.name + "："));
        li.appendChild(el("span", null, g.message));
        if (f.implied[String(i)]) li.appendChild(el("div", "muted", "此数" + f.implied[String(i)]));
        if (g.expected) li.appendChild(el("div", "muted", g.expected));
        ul.appendChild(li);
      });
      rel.appendChild(ul);
    }
    box.appendChild(rel);
    return box;
  }
  function show(id, target) {
    if (!data.figures[id]) return;
    tip.textContent = "";
    tip.appendChild(describe(id));
    tip.dataset.fig = id;
    tip.hidden = false;
    var r = target.getBoundingClientRect();
    var top = r.bottom + 6, left = Math.max(8, Math.min(r.left, window.innerWidth - tip.offsetWidth - 8));
    if (top + tip.offsetHeight > window.innerHeight - 8) top = Math.max(8, r.top - tip.offsetHeight - 6);
    tip.style.top = top + "px";
    tip.style.left = left + "px";
  }
  function hide() { if (!pinned) { tip.hidden = true; } }
  function unpin() {
    document.querySelectorAll("mark.fig.sel").forEach(function (m) { m.classList.remove("sel"); });
    pinned = null;
    tip.hidden = true;
  }
  function pin(id, target) {
    unpin();
    pinned = id;
    marksOf(id).forEach(function (m) { m.classList.add("sel"); });
    show(id, target);
  }
  function clearHighlight() {
    document.querySelectorAll(".hl").forEach(function (n) { n.classList.remove("hl"); });
    document.querySelectorAll("li.finding.active").forEach(function (n) { n.classList.remove("active"); });
  }
  function highlightFinding(li) {
    clearHighlight();
    li.classList.add("active");
    var index = li.dataset.index;
    var first = null;
    data.findings[Number(index)].figures.forEach(function (id) {
      marksOf(id).forEach(function (m) { m.classList.add("hl"); if (!first) first = m; });
    });
    var num = document.getElementById("num-" + index);
    if (num) {
      document.querySelectorAll('.num[data-finding="' + index + '"]').forEach(function (n) { n.classList.add("hl"); });
      first = num;
    }
    if (first) first.scrollIntoView({block: "center"});
  }

  document.addEventListener("mouseover", function (e) {
    var m = e.target.closest ? e.target.closest("mark.fig") : null;
    if (m && !pinned) show(m.dataset.fig, m);
  });
  document.addEventListener("mouseout", function (e) {
    var m = e.target.closest ? e.target.closest("mark.fig") : null;
    if (m && !(e.relatedTarget && e.relatedTarget.closest && e.relatedTarget.closest("mark.fig"))) hide();
  });
  document.addEventListener("focusin", function (e) {
    var m = e.target.closest ? e.target.closest("mark.fig, li.unloc") : null;
    if (m && !pinned) show(m.dataset.fig, m);
  });
  document.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("li.finding") : null;
    if (link) {
      e.preventDefault();
      highlightFinding(link);
      return;
    }
    var m = e.target.closest ? e.target.closest("mark.fig, li.unloc") : null;
    if (m) { pin(m.dataset.fig, m); return; }
    if (!tip.contains(e.target)) unpin();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { unpin(); clearHighlight(); }
    if (e.key === "Enter" && e.target.matches && e.target.matches("mark.fig, li.unloc")) pin(e.target.dataset.fig, e.target);
  });
  document.getElementById("clear").addEventListener("click", function () { unpin(); clearHighlight(); });

  function applyFilters() {
    var fund = document.getElementById("fund-filter").value;
    var shown = {};
    document.querySelectorAll('input[name="severity"]').forEach(function (c) { shown[c.value] = c.checked; });
    document.querySelectorAll("mark.fig").forEach(function (m) {
      m.classList.toggle("dim", fund !== "" && m.dataset.fund !== fund);
      m.classList.toggle("off", !shown[m.dataset.status]);
    });
    document.querySelectorAll("li.finding").forEach(function (li) {
      var funds = li.dataset.funds.split(" ");
      li.hidden = !shown[li.dataset.severity] || (fund !== "" && funds.indexOf(fund) < 0);
    });
    document.querySelectorAll("li.unloc").forEach(function (li) {
      li.hidden = fund !== "" && li.dataset.fund !== fund;
    });
  }
  document.getElementById("fund-filter").addEventListener("change", applyFilters);
  document.querySelectorAll('input[name="severity"]').forEach(function (c) { c.addEventListener("change", applyFilters); });
  applyFilters();
})();
"""

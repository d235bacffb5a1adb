"""Tables: a 合计 or 小计 line against the lines it adds up."""
from __future__ import annotations

from decimal import Decimal

from extractor.interval import Interval, fmt, total
from extractor.pipeline import Extraction

from ..base import Rule, make_finding
from .funds import SUMMED

# What the fund-sum check (FA01) already adds up: a table's 合计 over the funds for these metrics.
FUND_SUMS = {(metric, basis) for metric, basis, attr in SUMMED if attr == "value"}


def table_total_mismatch(rule: Rule, extraction: Extraction):
    """A table's 合计 or 小计 cell against the cells of the lines it adds up.

    Why: a 小计 row adds up the rows right before it, a 合计 every row of its table (a 小计 standing
    for its rows); the same for columns. A total that is not the sum of its cells within rounding
    means a cell or the total was mistyped. Nil cells (—, -, blank) count 0. The all-funds 合计 of
    income, spending and balances is the fund-sum check's (FA01); this rule takes every other line:
    小计 lines, 合计 lines over metrics, and 合计 cells of part metrics (保险费收入, 利息收入).

    Fails: 单位：万元
        |项目|工伤|失业|合计|
        |保险费收入|1338.99|1074.44|2400.43|
    Passes: 单位：万元
        |项目|工伤|失业|合计|
        |保险费收入|1338.99|1074.44|2413.43|
    """
    for table_sum in extraction.table_sums:
        total_fig = extraction.by_id.get(table_sum.total.figure) if table_sum.total.figure else None
        if total_fig is not None and total_fig.fund == "all" and (total_fig.metric, total_fig.basis) in FUND_SUMS:
            continue
        stated = table_sum.total.value
        summed = total(p.value for p in table_sum.parts if not p.nil)      # a nil cell is exactly 0
        if summed.overlaps(Interval.stated(stated)):
            continue
        mid = sum((p.value for p in table_sum.parts), Decimal(0))
        unit = table_sum.total.unit
        parts = "+".join(fmt(p.value) if p.value >= 0 else f"({fmt(p.value)})" for p in table_sum.parts)
        figures = [extraction.by_id[c.figure] for c in (table_sum.total, *table_sum.parts)
                   if c.figure and c.figure in extraction.by_id]
        lines = "行" if table_sum.axis == "row" else "列"
        yield make_finding(
            rule, f"{_place(table_sum.total)}「{table_sum.label}」{table_sum.across}{fmt(stated)}{unit}，"
                  f"所加{len(table_sum.parts)}{lines}合计{parts}={fmt(mid)}{unit}，相差{fmt(stated - mid)}{unit}",
            figures, stated=stated, expected=summed, location=table_sum.total.source,
            implied={total_fig.id: mid} if total_fig is not None else None)


def _place(cell) -> str:
    s = cell.source
    place = f"表{s.cell.table + 1}第{s.cell.row + 1}行第{s.cell.col + 1}列" if s.cell else f"第{s.block + 1}段"
    return f"第{s.page}页{place}" if s.page else place

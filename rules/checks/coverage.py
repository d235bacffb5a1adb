"""Months of cover: 累计结余可支付N个月."""
from __future__ import annotations

from decimal import Decimal

from extractor.interval import Interval, fmt
from extractor.pipeline import Extraction

from ..base import Rule, consensus, fund_name, index, make_finding


def coverage_months_mismatch(rule: Rule, extraction: Extraction):
    """Months of cover against cumulative balance ÷ average monthly spending of the period.

    Why: 可支付N个月 is computed, not estimated: cumulative balance ÷ (spending ÷ months in the period).
    The period comes from the report (a year is 12 months, 1-9月 is 9, 截至3月31日 is 3).

    Fails: 2025年第一季度，职工医保基金支出13243.05万元，累计结余153263.09万元，可支付30.5个月。
    Passes: 2025年第一季度，职工医保基金支出13243.05万元，累计结余153263.09万元，可支付34.72个月。
    """
    months = Decimal(extraction.meta.months or 12)
    groups = index(extraction).top_by_key
    for (fund, metric, basis), stated in groups.items():
        if metric != "coverage.months":
            continue
        balances = groups.get((fund, "balance.cumulative", basis))
        spendings = groups.get((fund, "expenditure.total", basis))
        if not balances or not spendings:
            continue
        balance, spending = consensus(balances), consensus(spendings)
        monthly = Interval.stated(spending.value).scaled(1 / months)
        computed = Interval.stated(balance.value) / monthly
        for cover in stated:
            if computed is None or computed.overlaps(Interval.stated(cover.value)):
                continue
            expected = balance.value / (spending.value / months)
            yield make_finding(
                rule, f"{fund_name(fund)}累计结余{fmt(balance.value)}万元÷（支出{fmt(spending.value)}万元÷{months}个月）"
                      f"={fmt(expected, 2)}个月，与所述可支付{fmt(cover.value)}个月不符",
                [cover, balance, spending], fund=fund, stated=cover.value, expected=computed,
                implied={cover.id: expected.quantize(Decimal("0.01"))})

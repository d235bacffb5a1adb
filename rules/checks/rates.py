"""Rates a sentence states about its own figure: growth on last year and budget completion."""
from __future__ import annotations

from decimal import Decimal

from extractor.interval import HUNDRED, growth_interval, ratio_pct_interval
from extractor.interval import fmt
from extractor.pipeline import Extraction

from ..base import Rule, fund_name, make_finding


def growth_rate_mismatch(rule: Rule, extraction: Extraction):
    """A growth rate against the change it comes with: growth = change ÷ (value − change).

    Why: 较上年增加A，增长p% fixes last year's value at value − A, so p is computable; a rate that
    cannot come from the stated figures at any rounding of them is wrong (or the change is).

    Fails: 2019年各项社会保险基金总支出120586万元，较上年增加18851万元，增长10.89%。
    Passes: 2019年基本医疗保险基金支出7195.06万元，较上年减少111.64万元，降低1.53%。
    """
    for f in extraction.figures:
        if f.change is None or f.growth_pct is None:
            continue
        computed = growth_interval(f.value, f.change)
        if computed is None:
            continue
        if computed.overlaps_stated(f.growth_pct):
            extraction.note_held([f.id, f"{f.id}.change", f"{f.id}.growth_pct"])
            continue
        base = f.value - f.change
        actual = f.change / base * HUNDRED if base else None
        yield make_finding(
            rule, f"{fund_name(f.fund)}{f.label}{fmt(f.value)}{f.unit}，较上年{'增加' if f.change >= 0 else '减少'}"
                  f"{fmt(abs(f.change))}{f.unit}，按上年{fmt(base)}{f.unit}计算增长{fmt(actual, 2)}%，"
                  f"与所述{fmt(f.growth_pct)}%不符",
            [f], fund=f.fund, stated=f.growth_pct, expected=computed,
            implied={f"{f.id}.growth_pct": actual.quantize(Decimal("0.01"))} if actual is not None else None)


def completion_rate_mismatch(rule: Rule, extraction: Extraction):
    """A budget-completion rate against the figure and the budget it names: rate = value ÷ budget.

    Why: 完成全年预算B的r% is checkable arithmetic; a rate outside value ÷ budget at every rounding
    of the stated figures means the rate, the value or the budget is wrong.

    Fails: 2019年失业保险基金总支出1590万元，完成全年预算1308万元的121.4%。
    Passes: 2019年企业养老保险基金总支出47318万元，完成全年预算43257万元的109%。
    """
    for f in extraction.figures:
        if f.budget is None or f.completion_pct is None or not f.budget:
            continue
        computed = ratio_pct_interval(f.value, f.budget)
        if computed is None:
            continue
        if computed.overlaps_stated(f.completion_pct):
            extraction.note_held([f.id, f"{f.id}.budget", f"{f.id}.completion_pct"])
            continue
        actual = f.value / f.budget * HUNDRED
        yield make_finding(
            rule, f"{fund_name(f.fund)}{f.label}{fmt(f.value)}万元÷预算{fmt(f.budget)}万元="
                  f"{fmt(computed.lo, 2)}%~{fmt(computed.hi, 2)}%，与所述完成{fmt(f.completion_pct)}%不符",
            [f], fund=f.fund, stated=f.completion_pct, expected=computed,
            implied={f"{f.id}.completion_pct": actual.quantize(Decimal("0.01")),
                     f.id: (f.budget * f.completion_pct / HUNDRED).quantize(Decimal("0.01"))})

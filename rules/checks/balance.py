"""Balances: 当期结余 = 收入 − 支出; 年末累计结余 = 年初累计结余 + 当期结余."""
from __future__ import annotations

from extractor.interval import Interval, fmt
from extractor.pipeline import Extraction

from extractor.models import Figure

from ..base import Rule, consensus, fund_name, index, make_finding


def _container(f: Figure) -> tuple:
    """The paragraph a figure is in, or its table: the figures a balance is stated beside."""
    return ("table", f.source.cell.table) if f.source.cell is not None else ("block", f.source.block)


def beside(target: Figure, candidates: list[Figure]) -> Figure | None:
    """The figure stated beside `target` (same paragraph or table); else the fund's consensus value."""
    if not candidates:
        return None
    same = [c for c in candidates if _container(c) == _container(target)]
    return same[0] if same else consensus(candidates)


def balance_identity_mismatch(rule: Rule, extraction: Extraction):
    """The current balance against income minus spending, per fund.

    Why: 当期结余 is by definition the year's income less its spending; when the three stated figures
    cannot be reconciled within rounding, one of them is wrong. The income and spending used are the
    ones stated beside the balance (same paragraph or table); elsewhere the fund's usual value.

    Fails: 2019年企业养老保险基金总收入57271万元，基金总支出47318万元，基金当期结余9853万元。
    Passes: 2019年生育保险基金总收入1980万元，基金总支出1983万元，基金当期结余-2.8万元。
    """
    groups = index(extraction).top_by_key
    for (fund, metric, basis), balances in groups.items():
        if metric != "balance.current":
            continue
        for balance in balances:
            income = beside(balance, groups.get((fund, "income.total", basis), []))
            spending = beside(balance, groups.get((fund, "expenditure.total", basis), []))
            if income is None or spending is None:
                continue
            computed = Interval.stated(income.value) - Interval.stated(spending.value)
            if computed.overlaps(Interval.stated(balance.value)):
                extraction.note_held([balance.id, income.id, spending.id])
                continue
            diff = income.value - spending.value
            yield make_finding(
                rule, f"{fund_name(fund)}收入{fmt(income.value)}万元−支出{fmt(spending.value)}万元="
                      f"{fmt(diff)}万元，与所述{balance.label}{fmt(balance.value)}万元相差{fmt(balance.value - diff)}万元",
                [balance, income, spending], fund=fund, stated=balance.value, expected=computed,
                location=balance.source,
                implied={balance.id: diff, income.id: balance.value + spending.value,
                         spending.id: income.value - balance.value})


def cumulative_balance_mismatch(rule: Rule, extraction: Extraction):
    """The closing cumulative balance against the opening balance plus the current balance.

    Why: 年末累计结余 = 年初累计结余 + 当期结余 wherever the report states all three; a gap means a
    figure is wrong or a transfer is unexplained.

    Fails: 2020年工伤保险基金年初累计结余10000万元，当期结余500万元，年末累计结余10600万元。
    Passes: 2020年工伤保险基金年初累计结余10000万元，当期结余500万元，年末累计结余10500万元。
    """
    groups = index(extraction).top_by_key
    for (fund, metric, basis), openings in groups.items():
        if metric != "balance.opening":
            continue
        currents = groups.get((fund, "balance.current", basis), [])
        closings = groups.get((fund, "balance.cumulative", basis), [])
        if not currents or not closings:
            continue
        closing = consensus(closings)
        opening, current = beside(closing, openings), beside(closing, currents)
        computed = Interval.stated(opening.value) + Interval.stated(current.value)
        if computed.overlaps(Interval.stated(closing.value)):
            extraction.note_held([closing.id, opening.id, current.id])
            continue
        expected = opening.value + current.value
        yield make_finding(
            rule, f"{fund_name(fund)}年初累计结余{fmt(opening.value)}万元+当期结余{fmt(current.value)}万元="
                  f"{fmt(expected)}万元，与年末累计结余{fmt(closing.value)}万元相差{fmt(closing.value - expected)}万元",
            [closing, opening, current], fund=fund, stated=closing.value, expected=computed,
            implied={closing.id: expected, opening.id: closing.value - current.value,
                     current.id: closing.value - opening.value})

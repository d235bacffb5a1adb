"""Budgets quoted in the execution sections against the budgets set in the budget-target section."""
from __future__ import annotations

from itertools import combinations

from extractor.interval import Interval, duplicate_status, fmt, total
from extractor.pipeline import Extraction

from ..base import Rule, children, fund_name, make_finding, where


def budget_quote_mismatch(rule: Rule, extraction: Extraction):
    """A budget quoted beside an actual figure (完成全年预算B的r%) that the budget section never set.

    Why: section 一（二） sets each fund's budget targets; the execution sections compare against
    them. A quoted budget that is none of the fund's budget figures, nor a sum of a budget's listed
    parts, was taken from elsewhere or mistyped. Suspicious, not provably wrong: a warning.

    Fails: 2019年预算企业养老保险基金总支出43257万元。2019年企业养老保险基金总支出47318万元，完成全年预算27429万元的172.5%。
    Passes: 2019年预算生育保险基金总支出1436万元，其中：生育医疗费支出208万元，生育津贴支出733万元。2019年生育保险基金支出1442万元，完成全年预算941万元的153.3%。
    """
    kids = children(extraction)
    for f in extraction.figures:
        if f.budget is None or f.basis != "actual":
            continue
        set_budgets = [g for g in extraction.figures if g.fund == f.fund and g.basis == "budget" and g.unit == "万元"]
        if not set_budgets:
            continue
        candidates = [(g.value, [g]) for g in set_budgets]
        for g in set_budgets:
            parts = kids.get(g.id, [])
            for n in range(2, len(parts) + 1):
                for combo in combinations(parts, n):
                    candidates.append((sum(p.value for p in combo), list(combo)))
        statuses = []
        for value, figs in candidates:
            if len(figs) == 1:
                status = duplicate_status(value, f.budget)
            else:
                status = "rounding" if total(p.value for p in figs).overlaps(Interval.stated(f.budget)) else "inconsistent"
                status = "consistent" if value == f.budget else status
            statuses.append(status)
        if "consistent" in statuses or "rounding" in statuses:
            continue
        listed = "；".join(f"{g.label}{fmt(g.value)}万元" for g in set_budgets)
        yield make_finding(
            rule, f"{fund_name(f.fund)}{f.label}所引全年预算{fmt(f.budget)}万元，不是预算目标部分所列的任何预算数"
                  f"（{listed}），也不是其分项之和",
            [f, *set_budgets], fund=f.fund, stated=f.budget, location=f.source)

"""Budgets quoted in the execution sections against the budgets set in the budget-target section."""
from __future__ import annotations

from itertools import combinations

from extractor.interval import Interval, fmt, total
from extractor.pipeline import Extraction

from ..base import Rule, children, fund_name, index, make_finding, metric_name, shared, where


def _unmatched_quotes(extraction: Extraction) -> list[tuple]:
    """(figure, the fund's budget-basis figures) for each budget quoted beside an actual figure that
    is none of those budgets (within rounding) nor a sum of a budget's listed parts.

    FQ01 and FQ02 share one search (see `shared`); each notes the budgets it confirms, as each did
    when each searched."""
    unmatched, held = shared(extraction, _search_quotes)
    for keys in held:
        extraction.note_held(keys)
    return unmatched


def _search_quotes(extraction: Extraction) -> tuple[list[tuple], list[list[str]]]:
    """The unmatched quotes, and the figure keys of each quote that matches a budget."""
    kids = children(extraction)
    by_fund = index(extraction).by_fund
    per_fund: dict[str, tuple[list, list]] = {}

    def budgets_of(fund: str) -> tuple[list, list]:
        """The fund's budget figures, and (interval, figures) for each and for each sum of a budget's parts."""
        if fund not in per_fund:
            set_budgets = [g for g in by_fund[fund] if g.basis == "budget" and g.unit == "万元"]
            groups = [[g] for g in set_budgets]
            for g in set_budgets:
                parts = kids.get(g.id, [])
                groups += [list(c) for n in range(2, len(parts) + 1) for c in combinations(parts, n)]
            per_fund[fund] = set_budgets, [(total(p.value for p in c), c) for c in groups]
        return per_fund[fund]

    unmatched, held = [], []
    for f in extraction.figures:
        if f.budget is None or f.basis != "actual":
            continue
        set_budgets, candidates = budgets_of(f.fund)
        if not set_budgets:
            continue    # no budget-target section: undecidable
        quoted = Interval.stated(f.budget)
        matched = next((c for interval, c in candidates if interval.overlaps(quoted)), None)
        if matched is not None:
            if len(matched) == 1:
                held.append([matched[0].id, f"{f.id}.budget"])
            continue
        unmatched.append((f, set_budgets))
    return unmatched, held


def _listed(budgets) -> str:
    return "；".join(f"{g.label}{fmt(g.value)}万元" for g in budgets)


def budget_quote_mismatch(rule: Rule, extraction: Extraction):
    """A budget quoted beside an actual figure (完成全年预算B的r%) that the budget section never set.

    Why: section 一（二） sets each fund's budget targets; the execution sections compare against
    them. A quoted budget that is none of the fund's budget figures, nor a sum of a budget's listed
    parts, was taken from elsewhere or mistyped. When the budget section sets no budget for that same
    metric (it budgets the total, the quote is about the benefits), that is suspicious but not
    provably wrong: a warning (FQ02 covers the same metric).

    Fails: 2019年预算企业养老保险基金总支出43257万元。2019年企业养老保险基金待遇支出26423万元，完成全年预算27429万元的96.3%。
    Passes: 2019年预算生育保险基金总支出1436万元，其中：生育医疗费支出208万元，生育津贴支出733万元。2019年生育保险基金支出1442万元，完成全年预算941万元的153.3%。
    """
    for f, budgets in _unmatched_quotes(extraction):
        if any(g.metric == f.metric for g in budgets):
            continue
        yield make_finding(
            rule, f"{fund_name(f.fund)}{f.label}所引全年预算{fmt(f.budget)}万元，不是预算目标部分所列的任何预算数"
                  f"（{_listed(budgets)}），也不是其分项之和",
            [f, *budgets], fund=f.fund, stated=f.budget, location=f.source)


def budget_restated_differently(rule: Rule, extraction: Extraction):
    """The budget of a quantity quoted in the execution sections differs from the budget the
    budget-target section sets for that same quantity.

    Why: 一（二） sets 失业保险基金总支出 at 1308万元; a later 基金支出…完成全年预算547万元 for the same
    fund's spending states a second budget for one quantity. One of the two is wrong, and the
    completion rate computed from it with it.

    Fails: 2019年预算失业保险基金总支出1308万元。2019年失业保险基金总支出457万元，完成全年预算547万元的84%。
    Passes: 2019年预算失业保险基金总支出1308万元。2019年失业保险基金总支出1590万元，完成全年预算1308万元的121.6%。
    """
    for f, budgets in _unmatched_quotes(extraction):
        same = [g for g in budgets if g.metric == f.metric and g.parent is None] or \
               [g for g in budgets if g.metric == f.metric]
        if not same:
            continue
        g = same[0]
        yield make_finding(
            rule, f"{fund_name(f.fund)}{metric_name(f.metric)}的预算在{where(g)}为{fmt(g.value)}万元（{g.label}），"
                  f"在{where(f)}引作{fmt(f.budget)}万元，同一预算两处不一致",
            [f, g], fund=f.fund, stated=f.budget, expected=g.value, location=f.source,
            implied={f"{f.id}.budget": g.value, g.id: f.budget})

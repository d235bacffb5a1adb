"""The funds add up to the all-funds figures the report states."""
from __future__ import annotations

from decimal import Decimal

from extractor.interval import Interval, fmt, total
from extractor.models import Figure
from extractor.pipeline import Extraction

from ..base import Rule, fund_name, index, make_finding, metric_name

# (metric, basis, attribute) triples that must add up over the funds
SUMMED = [
    ("income.total", "actual", "value"), ("expenditure.total", "actual", "value"),
    ("balance.current", "actual", "value"), ("balance.cumulative", "actual", "value"),
    ("income.total", "actual", "change"), ("expenditure.total", "actual", "change"),
    ("expenditure.total", "budget", "value"),
]


def _attr(f: Figure, attr: str) -> Decimal | None:
    return f.value if attr == "value" else getattr(f, attr)


def _stated(figures: list[Figure], fund: str, metric: str, basis: str, attr: str) -> list[tuple[Decimal, Figure]]:
    """(value, figure) for every statement of the quantity, in document order."""
    out = []
    for f in figures:
        if f.fund != fund or f.metric != metric or f.parent is not None:
            continue
        if basis == "budget" and attr == "value":
            # a budget is set in the budget-target section or quoted beside the actual (完成全年预算X)
            if f.basis == "budget":
                out.append((f.value, f))
            elif f.budget is not None:
                out.append((f.budget, f))
        elif f.basis == basis and _attr(f, attr) is not None:
            out.append((_attr(f, attr), f))
    return out


def _heads(extraction: Extraction) -> tuple[dict[tuple[str, str], list[Figure]], dict[int, set[str]]]:
    """The figures that are not a part, by (fund, metric) in document order, and the funds each table
    has figures of: one pass instead of a scan of every figure per metric, total and fund."""
    heads: dict[tuple[str, str], list[Figure]] = {}
    table_funds: dict[int, set[str]] = {}
    for f in extraction.figures:
        if f.source.cell is not None:
            table_funds.setdefault(f.source.cell.table, set()).add(f.fund)
        if f.parent is None:
            heads.setdefault((f.fund, f.metric), []).append(f)
    return heads, table_funds


def _table(f: Figure) -> int | None:
    return f.source.cell.table if f.source.cell is not None else None


def _principal(statements: list[tuple[Decimal, Figure]]) -> tuple[Decimal, Figure] | None:
    """The fund's figure as first stated (its own section); restatements that differ are FD01's."""
    return statements[0] if statements else None


def fund_sum_mismatch(rule: Rule, extraction: Extraction):
    """Each fund's figure against the all-funds figure: income, spending, balances, changes, budgets.

    Why: the all-funds paragraph is the sum of the fund paragraphs; a typo in either breaks the sum.
    Every fund the report covers must state the figure, else the sum is undecidable (unless the
    stated funds alone already exceed a non-negative total). A fund that states a quantity twice with
    different values (FD01) contributes the value it states first, in its own section. A table's 合计
    is the sum of that table's funds (a table of the medical funds only sums those).

    Fails: 各项社会保险基金总收入3000万元。工伤保险基金总收入1000万元。生育保险基金总收入1500万元。
    Passes: 各项社会保险基金总收入2500万元。工伤保险基金总收入1000.4万元。生育保险基金总收入1500万元。
    """
    members = extraction.vocab.members_of_all
    covered = [fund for fund in members if fund in index(extraction).by_fund]
    heads, table_funds = _heads(extraction)
    for metric, basis, attr in SUMMED:
        checked: set[tuple] = set()
        for total_value, total_fig in _stated(heads.get(("all", metric), []), "all", metric, basis, attr):
            # a table's 合计 sums that table's funds; a sentence's total sums the funds the report covers
            table = _table(total_fig)
            if (total_value, table) in checked:
                continue      # the same total restated in the same place of the document
            checked.add((total_value, table))
            funds = [fund for fund in members if fund in table_funds[table]] if table is not None else covered
            if len(funds) < 2:
                continue
            # the fund's figures in the same table as the total, or in the prose for a prose total
            principal = {fund: _principal(_stated([f for f in heads.get((fund, metric), []) if _table(f) == table],
                                                  fund, metric, basis, attr)) for fund in funds}
            present = [p for p in principal.values() if p is not None]
            finding = _check_sum(rule, extraction, metric, attr, total_value, total_fig, present,
                                 any(p is None for p in principal.values()))
            if finding is not None:
                yield finding


def _check_sum(rule, extraction, metric, attr, total_value, total_fig, present, incomplete):
    stated = Interval.stated(total_value)
    summed = total(v for v, _ in present)
    key = (lambda f: f.id) if attr == "value" else (lambda f: f"{f.id}.{attr}")
    if incomplete:
        # undecidable unless the funds stated already exceed a total that cannot go negative
        if metric.startswith("balance") or attr == "change" or summed.lo <= stated.hi:
            return None
    elif summed.overlaps(stated):
        extraction.note_held([key(total_fig), *(key(f) for _, f in present)])
        return None
    mid = sum((v for v, _ in present), Decimal(0))
    what = metric_name(metric) + ("较上年增减额" if attr == "change" else "") + ("预算" if metric and attr == "value"
                                                                            and total_fig.basis == "budget" else "")
    parts = "+".join(fmt(v) if v >= 0 else f"({fmt(v)})" for v, _ in present)
    implied = {key(total_fig): mid}
    for v, f in present:
        implied[key(f)] = total_value - (mid - v)
    return make_finding(
        rule, f"{len(present)}项基金{what}合计{parts}={fmt(mid)}万元，与{fund_name('all')}{what}"
              f"{fmt(total_value)}万元相差{fmt(total_value - mid)}万元",
        [total_fig] + [f for _, f in present], fund="all", stated=total_value, expected=summed, implied=implied)

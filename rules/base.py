"""What every rule shares: the `Rule` record, figure look-ups and the finding builder.

A rule is a small unit: a stable code (two letters + two digits, never reused), a kebab-case name
that says what is wrong, a one-line summary, a default severity, and a check function that yields
findings. The check's docstring is its documentation (Why / Fails / Passes).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable, Iterator

from extractor.interval import Interval, fmt
from extractor.models import Figure, Finding, Severity, Source
from extractor.pipeline import Extraction

FUND_NAMES = {
    "enterprise_pension": "企业职工基本养老保险基金", "public_pension": "机关事业单位基本养老保险基金",
    "resident_pension": "城乡居民基本养老保险基金", "employee_medical": "职工基本医疗保险基金",
    "resident_medical": "城乡居民基本医疗保险基金", "work_injury": "工伤保险基金", "maternity": "生育保险基金",
    "unemployment": "失业保险基金", "medical_assistance": "医疗救助基金", "all": "各项社会保险基金",
}
METRIC_NAMES = {
    "income.total": "基金收入", "income.contributions": "保险费收入", "income.fiscal_subsidy": "财政补贴收入",
    "income.interest": "利息收入", "income.transfer_in": "转移收入", "income.higher_subsidy": "上级补助收入",
    "income.other": "其他收入", "expenditure.total": "基金支出", "expenditure.benefits": "待遇支出",
    "expenditure.basic_pension": "基本养老金支出", "expenditure.base_pension": "基础养老金支出",
    "expenditure.account_pension": "个人账户养老金支出", "expenditure.funeral": "丧葬抚恤补助支出",
    "expenditure.maternity_medical": "生育医疗费支出", "expenditure.maternity_allowance": "生育津贴支出",
    "expenditure.medical_for_unemployed": "代缴医疗保险费支出", "expenditure.assessment": "劳动能力鉴定费支出",
    "expenditure.transfer_out": "转移支出", "expenditure.remit_higher": "上解上级支出",
    "expenditure.other": "其他支出", "balance.current": "当期结余", "balance.cumulative": "累计结余",
    "balance.opening": "年初累计结余", "balance.pooled": "统筹基金结余", "balance.individual": "个人账户结余",
    "coverage.months": "可支付月数", "people.insured": "参保人数", "people.retirees": "离退休人数",
    "people.deceased": "死亡人数", "people.beneficiaries": "享受待遇人数", "visits.inpatient": "住院人次",
    "visits.outpatient": "门诊人次",
}
ATTR_NAMES = {"value": "", "change": "较上年增减额", "growth_pct": "增长率", "budget": "预算数",
              "completion_pct": "预算完成率"}


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    severity: Severity
    check: Callable[["Rule", Extraction], Iterable[Finding]]
    options: dict = field(default_factory=dict)

    @property
    def doc(self) -> str:
        return (self.check.__doc__ or "").strip()

    def __call__(self, extraction: Extraction) -> Iterable[Finding]:
        return self.check(self, extraction)


def amount(value: Decimal, unit: str = "万元") -> str:
    return f"{fmt(value)}{unit}"


def fund_name(fund: str) -> str:
    return FUND_NAMES.get(fund, fund)


def metric_name(metric: str) -> str:
    return METRIC_NAMES.get(metric, metric)


def where(fig: Figure) -> str:
    """Where a figure is, the way a reader looks it up: 第3页 / 第12段 / 表1第2行第3列."""
    s = fig.source
    if s.cell is not None:
        place = f"表{s.cell.table + 1}第{s.cell.row + 1}行第{s.cell.col + 1}列"
    else:
        place = f"第{s.block + 1}段"
    return f"第{s.page}页{place}" if s.page else place


def make_finding(rule: Rule, message: str, figures: list[Figure], *, fund: str | None = None,
                 stated: Decimal | None = None, expected: Interval | Decimal | None = None,
                 severity: Severity | None = None, location: Source | None = None,
                 suggestion: str | None = None, implied: dict[str, Decimal] | None = None) -> Finding:
    low = high = mid = None
    if isinstance(expected, Interval):
        low, high = expected.lo, expected.hi
        mid = _round_like(expected.mid, stated)
    elif expected is not None:
        mid = expected
    return Finding(
        code=rule.code, name=rule.name, severity=severity or rule.options.get("severity", rule.severity),
        message=message, figures=[f.id for f in figures], stated=stated, expected=mid,
        expected_low=_round_like(low, stated, extra=2) if low is not None else None,
        expected_high=_round_like(high, stated, extra=2) if high is not None else None,
        fund=fund, suggestion=suggestion, implied=implied or {},
        location=location or (figures[0].source if figures else None),
    )


def _round_like(value: Decimal | None, like: Decimal | None, extra: int = 0) -> Decimal | None:
    if value is None:
        return None
    places = max(0, -like.as_tuple().exponent) if like is not None else 2
    return value.quantize(Decimal(1).scaleb(-(places + extra)))


def consensus(figures: list[Figure]) -> Figure:
    """The value stated most often (first statement wins a tie): the one to quote when values differ."""
    counts: dict[Decimal, int] = defaultdict(int)
    for f in figures:
        counts[f.value] += 1
    best = max(counts.values())
    return next(f for f in figures if counts[f.value] == best)


def by_key(figures: Iterable[Figure]) -> dict[tuple[str, str, str], list[Figure]]:
    groups: dict[tuple[str, str, str], list[Figure]] = defaultdict(list)
    for f in figures:
        groups[f.fund, f.metric, f.basis].append(f)
    return groups


def children(extraction: Extraction) -> dict[str, list[Figure]]:
    kids: dict[str, list[Figure]] = defaultdict(list)
    for f in extraction.figures:
        if f.parent:
            kids[f.parent].append(f)
    return kids


def distinct_values(figures: Iterable[Figure]) -> list[Figure]:
    """One figure per stated value, first statement first."""
    seen: dict[Decimal, Figure] = {}
    for f in figures:
        seen.setdefault(f.value, f)
    return list(seen.values())


def iter_rules(rules: Iterable[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Iterator[Rule]:
    """Rules whose code the longest matching prefix of select/ignore lets through."""
    select, ignore = list(select), list(ignore)
    for rule in rules:
        best_select = max((len(p) for p in select if rule.code.startswith(p)), default=-1 if select else 0)
        best_ignore = max((len(p) for p in ignore if rule.code.startswith(p)), default=-1)
        if best_select >= 0 and best_select > best_ignore:
            yield rule

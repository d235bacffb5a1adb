"""What every rule shares: the `Rule` record, figure look-ups and the finding builder.

A rule is a small unit: a stable code (two letters + two digits, never reused), a kebab-case name
that says what is wrong, a one-line summary, a default severity, and a check function that yields
findings. The check's docstring is its documentation (Why / Fails / Passes).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Iterable, Iterator, TypeVar
from weakref import WeakKeyDictionary

from extractor.interval import Interval, exponent
from extractor.models import Figure, Finding, Severity, Source
from extractor.names import fund_name, metric_name  # noqa: F401 - rules import them from here
from extractor.pipeline import Extraction

T = TypeVar("T")


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
    places = max(0, -exponent(like)) if like is not None else 2
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


class FigureIndex:
    """Look-ups several rules make over the same figures, built once per extraction (see `index`).

    Shared between rules: read them, never change them."""

    def __init__(self, figures: list[Figure]):
        self.figures = figures
        kids: dict[str, list[Figure]] = {}
        top: dict[tuple[str, str, str], list[Figure]] = {}
        funds: dict[str, list[Figure]] = {}
        for f in figures:
            if f.parent:
                kids.setdefault(f.parent, []).append(f)
            if f.parent is None:
                top.setdefault((f.fund, f.metric, f.basis), []).append(f)
            funds.setdefault(f.fund, []).append(f)
        self.children = kids        # parent id -> its parts, in document order
        self.top_by_key = top       # by_key of the figures that are not a part of another
        self.by_fund = funds        # fund -> its figures, in document order
        self.memo: dict[Callable, object] = {}      # see `shared`


# Ten rules group the same figures the same ways: the index is built once per extraction and dropped
# with it. It is rebuilt if the extraction's figure list is replaced.
_INDEXES: WeakKeyDictionary = WeakKeyDictionary()


def index(extraction: Extraction) -> FigureIndex:
    found = _INDEXES.get(extraction)
    if found is None or found.figures is not extraction.figures:
        found = _INDEXES[extraction] = FigureIndex(extraction.figures)
    return found


def shared(extraction: Extraction, build: Callable[[Extraction], T]) -> T:
    """build(extraction), computed once per extraction and figure list for the rules that share it.

    Only for a `build` that reads nothing but the extraction and changes nothing in it; the result is
    shared, so the rules must not change it either."""
    memo = index(extraction).memo
    if build not in memo:
        memo[build] = build(extraction)
    return memo[build]


def children(extraction: Extraction) -> dict[str, list[Figure]]:
    """Parent id -> its parts (shared: do not change it)."""
    return index(extraction).children


def iter_rules(rules: Iterable[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Iterator[Rule]:
    """Rules whose code the longest matching prefix of select/ignore lets through."""
    select, ignore = list(select), list(ignore)
    for rule in rules:
        best_select = max((len(p) for p in select if rule.code.startswith(p)), default=-1 if select else 0)
        best_ignore = max((len(p) for p in ignore if rule.code.startswith(p)), default=-1)
        if best_select >= 0 and best_select > best_ignore:
            yield rule

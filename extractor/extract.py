"""Figures out of sentences: a left-to-right scan over events (fund names, metric labels, numbers and
relation words) with a small state machine.

    2019年企业养老保险基金总收入57271万元，其中：保费收入19389万元，… 较上年增加5521万元，增长13.21%，
    └fund────────────────┘└label┘└num──┘    └其中 └label─┘└num──┘     └change────┘└num─┘ └verb┘└num─┘

- A number becomes a figure when a metric label stands right before it (only filler like 为/共计/: in
  between) or, for head counts, right after it (8420名离退休人员).
- ``其中`` opens a list: the following figures of the same family are parts of the figure before it.
- ``(含…)`` after a figure makes the next figure its sub-part (nested), not a sibling in the list.
- ``A、B、C基金收入分别为x、y、z`` gives the numbers to the funds named in a row, in order.
- ``收入预算数A，决算数B`` holds A as the budget of the figure B makes (决算 reports).
- Numbers in ``元/人`` (per-capita standards) and ``个百分点`` (a change of a rate) never become figures or
  changes.
- A change / growth / budget / completion clause is held until the scan knows what it can belong to,
  then bound to the list item or to the total the arithmetic fits (EXPECTED.md, traps).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal

import regex

from .firstchars import alternation
from .interval import agrees, growth_interval, ratio_pct_interval
from .segment import Paragraph
from .vocabulary import COUNT_UNITS, MONEY_UNITS, Term, Vocabulary

NUMBER = r"""
    (?P<neg>负|(?<![\d.])-)?                 # 负137, -137 (not the dash of a range 1-9月)
    (?<![\d.])(?P<digits>\d+(?:\.\d+)?)
    (?P<unit>亿元|万元|千元|元|万人次|人次|万人|人|名|万户|户|个月|个百分点|%)?
    (?P<per>/(?:人·?月|人|户|月|年|次))?     # 640元/人: a per-capita standard, never an amount of a fund
"""


# Han text right before a generic label (统筹基金 before 收入) and before an unknown list item's number.
QUALIFIER = regex.compile(r"\p{Han}{2,12}$")
ITEM_LABEL = regex.compile(r"[\p{Han}]{2,16}$")
# Words that make Han text before a number a change or a rate, not an item's label.
NOT_AN_ITEM_LABEL = regex.compile(r"增加|减少|增长|下降|较|比|同比|预算|人均")
# A bare number that reads as a year (2019), not as an amount.
YEAR_LIKE = regex.compile(r"(19|20)\d\d")

# Words before a head-count label that are not part of what is counted.
LABEL_LEAD = regex.compile(r"^(?:[,，、:;()\s]|\d{4}年(?:末|底|度)?|全年|年末|年底|预算|决算|本年|当年|共有|共|有|保障了?|其中)+")


@dataclass(slots=True)
class Draft:
    """A figure while the scan is still binding clauses to it."""
    fund: str
    metric: str
    basis: str
    value: Decimal
    unit: str
    stated_unit: str
    label: str
    paragraph: Paragraph
    start: int                       # span in the paragraph's normalised text
    end: int
    parent: "Draft | None" = None
    nested: bool = False             # a (含…) sub-part: not a sibling of the list items
    change: Decimal | None = None
    growth_pct: Decimal | None = None
    budget: Decimal | None = None
    completion_pct: Decimal | None = None
    cell: tuple[int, int, int] | None = None

    def extend(self, end: int) -> None:
        self.end = max(self.end, end)


@dataclass(slots=True)
class Num:
    value: Decimal
    unit: str            # normalised unit: 万元, 人, 人次, 户, 个月, %, or "" when none was written
    stated_unit: str
    start: int
    end: int
    kind: str = ""       # what the unit makes the number (kind_of), set once by parse_number_at


def kind_of(unit: str) -> str:
    if unit == "万元":
        return "money"
    if unit == "人次":
        return "visits"
    if unit in ("人", "户"):
        return "count"
    if unit == "个月":
        return "months"
    if unit == "%":
        return "pct"
    if unit == "个百分点":
        return "points"          # a change of a rate (增幅提高1.2个百分点), not of the figure
    if "/" in unit:
        return "per_unit"        # 640元/人
    return ""


@dataclass(slots=True)
class Clauses:
    """Change/growth and budget/completion clauses waiting to be bound to a figure."""
    change: Decimal | None = None
    growth: Decimal | None = None
    budget: Decimal | None = None
    completion: Decimal | None = None
    end: int = 0

    def empty(self) -> bool:
        return self.change is None and self.growth is None and self.budget is None and self.completion is None


def _fits_growth(fig: Draft, change: Decimal | None, growth: Decimal | None) -> bool | None:
    if change is None or growth is None:
        return None
    return agrees(growth_interval(fig.value, change), growth)


def _fits_completion(fig: Draft, budget: Decimal | None, completion: Decimal | None) -> bool | None:
    if budget is None or completion is None:
        return None
    return agrees(ratio_pct_interval(fig.value, budget), completion)


def _choose(candidates: list[Draft], fits) -> Draft:
    """The candidate the arithmetic fits; else the first (the preferred default)."""
    for fig in candidates:
        if fits(fig):
            return fig
    return candidates[0]


def _compiled(alternatives: list[tuple[str, str]]):
    """The scan pattern, compiled by `re` when it can be: the same match (the vocabulary's
    patterns use nothing `regex` adds), found about a third faster on this alternation of a few
    hundred terms, and behind guards of the characters a match can start with (firstchars), which
    halves it again. A vocabulary pattern written with `regex` syntax (\\p{Han}) keeps `regex`."""
    try:
        return re.compile(alternation(alternatives, re.VERBOSE, guard=True), re.VERBOSE)
    except re.error:
        return regex.compile(alternation(alternatives, regex.VERBOSE), regex.VERBOSE)


class Scanner:
    """Scans the sentences of one paragraph; keeps the fund named last across its sentences."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        w = vocab.words
        # (kind, pattern) in the order they are tried at a position; the kind is the match's lastgroup
        self.alternatives = [
            ("chg", f"{w['change_intro'].pattern}|{w['change_yoy'].pattern}"),
            ("cmp", w["completion_intro"].pattern),
            ("rate", w["execution_rate"].pattern),
            ("qz", "其中"),
            ("han", w["nested_intro"].pattern),
            ("percap", w["per_capita"].pattern),
            ("resp", w["respectively"].pattern),
            ("num", NUMBER),
            ("term", vocab.term_pattern.pattern),
            ("verb", w["change_verb"].pattern),
            ("budget", w["budget_marker"].pattern),
        ]
        self.pattern = _compiled(self.alternatives)
        self.filler = regex.compile(rf"{w['filler'].pattern}$")
        self.fund_joiner = w["fund_joiner"]
        self.not_a_qualifier = w["not_a_qualifier"]
        # 收入预算数A，决算数B: the words between a label and its budget, then between that budget and
        # the actual figure (whole gaps, filler allowed around the words)
        self.budget_gap = regex.compile(rf"{w['filler'].pattern}(?:{w['budget_figure'].pattern}){w['filler'].pattern}")
        self.actual_gap = regex.compile(
            rf"[,，;；]?{w['filler'].pattern}(?:{w['actual_figure'].pattern}){w['filler'].pattern}")
        self.delta = w["delta_before_label"]
        self.decrease = w["decrease"]

    # ---- one paragraph -------------------------------------------------------------------------
    def scan(self, paragraph: Paragraph, carried_fund: str | None = None) -> tuple[list[Draft], str | None]:
        """Figures of one paragraph, and the fund it ends on (the next paragraph may continue it)."""
        figures: list[Draft] = []
        fund = paragraph.fund or carried_fund
        for start, end in paragraph.sentences:
            fund = SentenceScan(self, paragraph, fund, figures).run(start, end)
        return figures, fund


@dataclass
class SentenceScan:
    scanner: Scanner
    paragraph: Paragraph
    fund: str | None
    out: list[Draft]
    label: tuple[Term, int, int, bool, str] | None = None   # pending label: term, start, end, is_delta, text
    count: Num | None = None                                 # a head count waiting for its label after it
    last: Draft | None = None
    list_parent: Draft | None = None
    nest_next: bool = False
    nest_at: int = 0                                         # where the (含… words start
    fund_series: list[str] = field(default_factory=list)    # 企业养老、居民养老、失业保险基金: funds named in a row
    fund_end: int = 0
    respective: list[str] | None = None                      # funds still waiting for their 分别为 number
    gap: str = ""                                            # the text before the pending label (its qualifier)
    held_budget: Decimal | None = None                       # 预算数A, waiting for the 决算数B of its label
    mode: str | None = None                                  # change | verb | completion | rate
    sign: int = 1
    per_capita: bool = False
    budget_basis: bool = False
    pending: Clauses = field(default_factory=Clauses)
    seen_figure: bool = False
    prev_end: int = 0

    @property
    def text(self) -> str:
        return self.paragraph.norm.text

    def run(self, start: int, end: int) -> str | None:
        self.prev_end = start
        for m in self.scanner.pattern.finditer(self.text, start, end):
            kind = m.lastgroup          # the outermost named group that matched (num wraps its parts)
            if kind == "num":
                self.on_number(parse_number_at(m))
            elif kind == "term":
                self.on_term(self.scanner.vocab.terms[m.group()], m.start(), m.end())
            elif kind == "chg":
                self.mode, self.sign = "change", self.sign_of(m.group())
            elif kind == "verb":
                if self.last is not None:
                    self.mode, self.sign = "verb", self.sign_of(m.group())
            elif kind == "cmp":
                self.mode = "completion"
            elif kind == "rate":
                self.mode = "rate"
            elif kind == "qz":
                self.on_qizhong()
            elif kind == "han":
                self.nest_next, self.nest_at = self.last is not None, m.end()
            elif kind == "percap":
                self.per_capita = True
            elif kind == "resp":
                if self.label is not None and len(self.fund_series) >= 2:
                    self.respective = list(self.fund_series)
            elif kind == "budget":
                # 2019年预算…总支出 makes the sentence a budget; 收入预算数A after a label only names A
                if not self.seen_figure and self.label is None:
                    self.budget_basis = True
            self.prev_end = m.end()
        self.bind(default_to_parent=True)
        return self.fund

    def sign_of(self, verb: str) -> int:
        return -1 if self.scanner.decrease.search(verb) else 1

    # ---- events ---------------------------------------------------------------------------------
    def on_term(self, term: Term, start: int, end: int) -> None:
        if term.kind == "fund":
            if term.id != self.fund and self.list_parent is not None:
                self.close_list()
            joined = self.fund_series and self.scanner.fund_joiner.fullmatch(self.text[self.fund_end:start])
            self.fund_series = [*self.fund_series, term.id] if joined else [term.id]
            self.fund_end = end
            self.fund = term.id
            self.label = None
            return
        if self.count is not None and self.unit_fits(term, self.count) and \
                self.text[self.count.end:start] in ("", "的"):
            # 8420名离退休人员: the label follows the head count
            self.make_figure(term, self.count, self.count.start, end, label=term.text)
            self.count = None
            return
        gap = self.text[self.prev_end:start]
        self.respective = None
        self.gap = gap
        is_delta = bool(self.scanner.delta.search(gap)) if gap else bool(
            self.scanner.delta.search(self.text[max(0, start - 2):start]))
        label = term.text
        if term.metric_kind in ("count", "visits"):
            # 生育津贴享受人数 and 医疗保险享受人数 are different head counts: keep the qualifier
            label = LABEL_LEAD.sub("", self.text[self.prev_end:end])[-16:] or term.text
        self.label = (term, start, end, is_delta, label)

    def on_number(self, num: Num) -> None:
        per_capita, self.per_capita = self.per_capita, False
        if self.mode is not None and self.last is not None:
            self.on_clause_number(num)
            return
        self.mode = None
        if per_capita:
            self.label = None
            return
        if self.respective and self.label is not None and self.on_respective_number(num):
            return
        if self.label is not None and self.on_budget_then_actual(num):
            return
        if self.label is not None:
            term, start, end, is_delta, label = self.label
            if self.scanner.filler.match(self.text[end:num.start]):
                self.label = None
                if is_delta:
                    return
                if self.unit_fits(term, num) and (qualifier := self.named_item_qualifier(term)):
                    # 其中：统筹基金收入13208万元: a named part of the total, not the total restated
                    self.make_item(num, qualifier + label, start - len(qualifier))
                    return
                if self.unit_fits(term, num):
                    self.make_figure(term, num, start, num.end, label=label)
                    return
                if self.list_parent is not None and self.item_unit_fits(num):
                    self.make_item(num, label, start)
                    return
                return
        if num.kind in ("count", "visits"):
            if self.list_parent is not None and self.item_unit_fits(num):
                label_start = self.item_label_start(num.start)
                if label_start is not None:
                    self.make_item(num, self.text[label_start:num.start], label_start)
                    return
            self.count = num
            return
        if num.kind == "money" and self.list_parent is not None and self.list_parent.unit == "万元":
            label_start = self.item_label_start(num.start)
            if label_start is not None:
                self.make_item(num, self.text[label_start:num.start], label_start)

    def on_respective_number(self, num: Num) -> bool:
        """企业养老、居民养老、失业保险基金收入分别为A、B、C: the numbers go to the funds in order."""
        term, start, end, is_delta, label = self.label
        if not self.unit_fits(term, num):
            return False
        first = len(self.respective) == len(self.fund_series)
        named, self.fund = self.fund, self.respective.pop(0)
        self.make_figure(term, num, start if first else num.start, num.end, label=label)
        self.fund = named
        if self.respective:
            self.label = (term, start, end, is_delta, label)   # the next number takes the same label
        else:
            self.respective, self.label = None, None
        return True

    def named_item_qualifier(self, term: Term) -> str:
        """The qualifier (统筹基金) of a generic total label (收入, 支出) inside a list of its own family's
        parts, which makes it a named part; "" otherwise. Read from the gap only here: it is rarely
        asked for."""
        parent = self.list_parent
        if parent is None or parent.unit != "万元":
            return ""
        family, _, item = term.id.partition(".")
        if item != "total" or parent.metric.partition(".")[0] != family:
            return ""
        m = QUALIFIER.search(self.gap)
        return m.group() if m and not self.scanner.not_a_qualifier.fullmatch(m.group()) else ""

    def on_budget_then_actual(self, num: Num) -> bool:
        """预算数A，决算数B after one label (决算 reports): A is held as the budget of the figure B makes."""
        term, start, end, is_delta, label = self.label
        gap = self.text[end:num.start]
        if self.held_budget is None and self.scanner.budget_gap.fullmatch(gap) and self.unit_fits(term, num):
            self.held_budget = num.value
            self.label = (term, start, num.end, is_delta, label)   # the actual's words follow the budget
            return True
        if self.held_budget is not None and self.scanner.actual_gap.fullmatch(gap) and self.unit_fits(term, num):
            budget, self.held_budget = self.held_budget, None
            self.label = None
            fig = self.make_figure(term, num, start, num.end, label=label, basis="actual")
            if fig is not None:
                fig.budget = budget
            return True
        return False

    def on_clause_number(self, num: Num) -> None:
        if num.kind in ("points", "per_unit"):
            self.mode, self.sign = None, 1      # 增幅较上年提高1.2个百分点 says nothing about the figure
            return
        value = num.value * self.sign if self.mode in ("change", "verb") else num.value
        if self.mode in ("change", "verb"):
            if num.kind == "pct":
                self.pending.growth = value
                self.mode = None
            elif num.kind in ("money", "count", "visits", ""):
                self.pending.change = value
                self.mode = None
        elif self.mode == "completion":
            if num.kind == "money" or (num.kind == "" and self.last and self.last.unit == "万元"):
                self.pending.budget = num.value
            elif num.kind == "pct":
                self.pending.completion = num.value
                self.mode = None
        elif self.mode == "rate":
            if num.kind == "pct":
                self.pending.completion = num.value
            self.mode = None
        self.pending.end = num.end
        self.sign = 1

    def on_qizhong(self) -> None:
        if self.last is None:
            return
        self.bind(default_to_parent=False)
        self.list_parent = self.last.parent if self.last.parent is not None and not self.last.nested else self.last
        self.label = None

    def close_list(self) -> None:
        self.bind(default_to_parent=True)
        self.list_parent = None

    # ---- figures --------------------------------------------------------------------------------
    def unit_fits(self, term: Term, num: Num) -> bool:
        kind = term.metric_kind
        if kind == "money":
            return num.kind == "money" or (num.kind == "" and self.unitless_is_money(num))
        if kind == "count":
            return num.kind == "count"
        if kind == "visits":
            return num.kind == "visits"
        if kind == "months":
            return num.kind == "months"
        return False

    def unitless_is_money(self, num: Num) -> bool:
        # 总收入133590，… : a bare number right after a money label, not a year, date or ordinal
        following = self.text[num.end:num.end + 1]
        return not following or following in ",，;、)" and not YEAR_LIKE.fullmatch(str(num.value))

    def item_unit_fits(self, num: Num) -> bool:
        parent = self.list_parent
        return parent is not None and num.unit == parent.unit

    def item_label_start(self, number_start: int) -> int | None:
        """Start of an unknown item label: Han text since the previous delimiter (在职职工3915人次)."""
        m = ITEM_LABEL.search(self.text[self.prev_end:number_start])
        if not m:
            return None
        label = m.group()
        if NOT_AN_ITEM_LABEL.search(label):
            return None
        return self.prev_end + m.start()

    def basis(self) -> str:
        return "budget" if self.paragraph.budget_section or self.budget_basis else "actual"

    def make_figure(self, term: Term, num: Num, start: int, end: int, label: str,
                    basis: str | None = None) -> Draft | None:
        if self.fund is None:
            return None
        value = num.value * term.sign
        fig = Draft(self.fund, term.id, basis or self.basis(), value, num.unit, num.stated_unit, label,
                    self.paragraph, start, end)
        parent = self.list_parent
        if self.nest_next and self.last is not None:
            fig.parent, fig.nested = self.last, True
            self.nest_next = False
            family, _, item = term.id.partition(".")
            if item == "total" and family in ("income", "expenditure"):
                # 支出47980万元（含上年清算支出1250万元）: a generic label inside is an item of the total,
                # named by all its words (上年清算支出), as unknown items are
                fig.metric = f"{family}.other"
                fig.label = self.text[self.nest_at:start] + label
        elif parent is not None and self.is_part_of(parent, fig):
            fig.parent = parent
        elif parent is not None:
            self.close_list()
        self.add(fig)
        return fig

    def make_item(self, num: Num, label: str, start: int) -> None:
        parent = self.list_parent
        if self.nest_next and self.last is not None:
            # 财政补助收入27100万元（含清算补助3200万元）: a sub-part of the item before, not a sibling
            parent, self.nest_next = self.last, False
        if parent is None or self.fund is None:
            return
        family = parent.metric.split(".")[0]
        if parent.unit == "万元":
            if family not in ("income", "expenditure"):
                return
            metric = f"{family}.other"
        else:
            metric = parent.metric
        fig = Draft(self.fund, metric, self.basis(), num.value, num.unit, num.stated_unit, label,
                    self.paragraph, start, num.end, parent=parent, nested=parent is not self.list_parent)
        self.add(fig)

    @staticmethod
    def is_part_of(parent: Draft, fig: Draft) -> bool:
        if fig.fund != parent.fund:
            return False
        if parent.unit != "万元":
            return fig.unit == parent.unit and fig.metric == parent.metric
        pf, _, pm = parent.metric.partition(".")
        ff, _, fm = fig.metric.partition(".")
        return pf == ff and fm != pm and fm != "total"

    def add(self, fig: Draft) -> None:
        # a new figure after a list item: clauses so far belonged to that item (more items follow)
        self.bind(default_to_parent=fig.parent is None)
        self.out.append(fig)
        self.last = fig
        self.seen_figure = True
        self.mode = None

    def bind(self, default_to_parent: bool) -> None:
        """Give pending clauses to the last figure or its list total, whichever the arithmetic fits."""
        clauses = self.pending
        if clauses.empty() or self.last is None:
            if clauses.end or not clauses.empty():      # something to forget (most binds have not)
                self.pending = Clauses()
            return
        last = self.last
        candidates = [last]
        if last.parent is not None and not last.nested:
            candidates = [last.parent, last] if default_to_parent else [last, last.parent]
        if clauses.change is not None or clauses.growth is not None:
            target = _choose(candidates, lambda f: _fits_growth(f, clauses.change, clauses.growth))
            if target.change is None and target.growth_pct is None:
                target.change, target.growth_pct = clauses.change, clauses.growth
                target.extend(clauses.end)
        if clauses.budget is not None or clauses.completion is not None:
            target = _choose(candidates, lambda f: _fits_completion(
                f, clauses.budget if clauses.budget is not None else f.budget, clauses.completion))
            # a figure may already hold its budget (预算数A，决算数B) and take only the rate
            if target.completion_pct is None and (target.budget is None or clauses.budget is None):
                if clauses.budget is not None:
                    target.budget = clauses.budget
                target.completion_pct = clauses.completion
                target.extend(clauses.end)
        self.pending = Clauses()


NUMBER_RE = regex.compile(rf"(?P<num>{NUMBER})", regex.VERBOSE)


def parse_number_at(m: regex.Match) -> Num:
    neg, digits, stated, per = m.group("neg", "digits", "unit", "per")
    value = -Decimal(digits) if neg else Decimal(digits)
    start, end = m.span("num")
    stated = stated or ""
    if per:
        unit = stated = stated + per
    elif stated in MONEY_UNITS:
        value, unit = value.scaleb(MONEY_UNITS[stated]), "万元"
    elif stated in COUNT_UNITS:
        unit, power = COUNT_UNITS[stated]
        value = value.scaleb(power)
    else:
        unit = stated
    return Num(value, unit, stated, start, end, kind_of(unit))


@lru_cache(maxsize=4)
def scanner_for(vocab: Vocabulary) -> Scanner:
    """Patterns are compiled once per vocabulary, not once per document."""
    return Scanner(vocab)


def extract_prose(paragraphs: list[Paragraph], vocab: Vocabulary) -> list[Draft]:
    scanner = scanner_for(vocab)
    drafts: list[Draft] = []
    carried: str | None = None
    section = None
    for paragraph in paragraphs:
        if paragraph.section != section or paragraph.heading is not None:
            carried = None   # a new section names its own fund
        section = paragraph.section
        figures, carried = scanner.scan(paragraph, carried)
        drafts.extend(figures)
    return drafts



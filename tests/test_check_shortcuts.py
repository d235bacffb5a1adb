"""The checks' caches and shortcuts give what the plain computation gives (issue 9).

Each shortcut is compared with the plain way over every fixture report, so a cache that answered for
the wrong key (1.0 for 1.00) or an index that missed a figure shows up here, not as a changed finding.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import report_extractions

from extractor.interval import Interval, _half_of_exponent, half_unit, total

ATTRS = ("value", "change", "growth_pct", "budget", "completion_pct")


@pytest.fixture(scope="module")
def extractions():
    return list(report_extractions())


def _plain_stated(value: Decimal) -> Interval:
    h = _half_of_exponent(value.as_tuple().exponent)
    return Interval(value - h, value + h)


def _stated_values(extractions) -> list[Decimal]:
    values = [Decimal("1.0"), Decimal("1.00"), Decimal("1"), Decimal("1E+1"), Decimal("10"), Decimal("-0"),
              Decimal("0"), Decimal("0.00"), Decimal("-2.80"), Decimal("1.5E+4")]
    for ex in extractions:
        for f in ex.figures:
            values += [getattr(f, a) for a in ATTRS if getattr(f, a) is not None]
        for ind in ex.indicators:
            values += [v for v in (ind.weight, ind.score, ind.target_value, ind.actual_value) if v is not None]
    return values


def test_fixtures_are_read(extractions):
    assert len(extractions) >= 30
    assert sum(len(ex.figures) for ex in extractions) > 1000


def test_stated_interval_cache_is_the_plain_interval(extractions):
    for value in _stated_values(extractions):
        for _ in range(2):          # the first call fills the cache, the second reads it
            got, plain = Interval.stated(value), _plain_stated(value)
            assert (got.lo, got.hi) == (plain.lo, plain.hi), value
            assert (str(got.lo), str(got.hi)) == (str(plain.lo), str(plain.hi)), value
            assert str(half_unit(value)) == str(_half_of_exponent(value.as_tuple().exponent)), value


def test_equal_decimals_of_other_precision_keep_their_own_interval():
    # 1.0 == 1.00 and hash alike: a cache keyed on the Decimal would answer one with the other
    assert Interval.stated(Decimal("1.0")) == Interval(Decimal("0.95"), Decimal("1.05"))
    assert Interval.stated(Decimal("1.00")) == Interval(Decimal("0.995"), Decimal("1.005"))
    assert Interval.stated(Decimal("1E+1")) == Interval(Decimal("5"), Decimal("15"))
    assert Interval.stated(Decimal("10")) == Interval(Decimal("9.5"), Decimal("10.5"))


def test_total_is_the_plain_sum(extractions):
    for ex in extractions:
        values = [f.value for f in ex.figures]
        plain = Interval.exact(Decimal(0))
        for v in values:
            plain = plain + _plain_stated(v)
        got = total(values)
        assert (str(got.lo), str(got.hi)) == (str(plain.lo), str(plain.hi))


def _ids(groups) -> dict:
    return {k: [f.id for f in v] for k, v in groups.items()}


def test_figure_index_is_the_plain_grouping(extractions):
    from collections import defaultdict

    from extract_rules.base import by_key, children, index

    for ex in extractions:
        kids = defaultdict(list)
        for f in ex.figures:
            if f.parent:
                kids[f.parent].append(f)
        funds = defaultdict(list)
        for f in ex.figures:
            funds[f.fund].append(f)
        assert _ids(children(ex)) == _ids(kids)
        assert list(_ids(index(ex).top_by_key).items()) == \
            list(_ids(by_key(f for f in ex.figures if f.parent is None)).items())      # same order too
        assert list(_ids(index(ex).by_fund).items()) == list(_ids(funds).items())
        assert index(ex) is index(ex)


def test_figure_index_follows_a_replaced_figure_list(extractions):
    from extract_rules.base import children

    ex = next(ex for ex in extractions if children(ex))
    saved = ex.figures
    try:
        ex.figures = [f for f in saved if not f.parent]
        assert children(ex) == {}
    finally:
        ex.figures = saved
    assert children(ex)


def _rule(code: str):
    from extract_rules.registry import RULES

    return next(r for r in RULES if r.code == code)


def _fresh(ex):
    from extractor.pipeline import Extraction

    return Extraction(ex.document, ex.paragraphs, ex.meta, ex.figures, ex.vocab,
                      table_sums=ex.table_sums, indicators=ex.indicators)


def test_shared_clusters_are_the_plain_clusters_and_stay_unchanged(extractions):
    from extract_rules.base import shared
    from extract_rules.checks.duplicates import _clusters, _clustered, _groups

    def plain(ex):
        every = [(key, [[f.id for f in c] for c in _clusters(figures)]) for key, figures in _groups(ex).items()]
        # a quantity left out is one cluster of one figure: nothing for FD01 or FD02 to note or report
        assert all(clusters == [[figures[0].id]] for (key, clusters), figures in zip(every, _groups(ex).values())
                   if len(figures) == 1)
        return [(key, clusters) for key, clusters in every if sum(map(len, clusters)) > 1]

    for ex in extractions:
        ex = _fresh(ex)
        before = plain(ex)
        for code in ("FD01", "FD02", "FD01"):
            list(_rule(code)(ex))
        assert [(key, [[f.id for f in c] for c in clusters]) for key, clusters in shared(ex, _clustered)] == before


def test_duplicate_rules_alone_and_together_agree(extractions):
    """A rule run alone (the shared clusters built for it) finds what it finds after the other."""
    for ex in extractions:
        alone = {code: [f.model_dump_json() for f in _rule(code)(_fresh(ex))] for code in ("FD01", "FD02")}
        both = _fresh(ex)
        together = {code: [f.model_dump_json() for f in _rule(code)(both)] for code in ("FD02", "FD01")}
        assert alone == together


def test_each_rule_alone_finds_and_confirms_what_it_does_in_the_full_run(extractions):
    """What rules share per extraction (groupings, clusters, the budget search) changes nothing a rule
    finds or confirms (extraction.held) whether it runs alone or after the others."""
    from collections import Counter

    from extract_rules.registry import RULES

    rules = [r for r in RULES if r.code.startswith("F")]
    for ex in extractions:
        together = _fresh(ex)
        found_together = {r.code: [f.model_dump_json() for f in r(together)] for r in rules}
        held_alone = Counter()
        for r in rules:
            alone = _fresh(ex)
            assert [f.model_dump_json() for f in r(alone)] == found_together[r.code], r.code
            held_alone.update(alone.held)
        assert held_alone == together.held


def test_fund_sum_look_ups_are_the_plain_scans(extractions):
    """FA01 reads each fund's statements of a metric in the total's table (or the prose) from one
    index, where it scanned every figure: the same figures in the same order."""
    from extract_rules.checks.funds import SUMMED, _heads, _stated, _table

    for ex in extractions:
        heads, table_funds = _heads(ex)
        tables = {None} | {f.source.cell.table for f in ex.figures if f.source.cell is not None}
        funds = {f.fund for f in ex.figures}
        for table in tables:
            pool = [f for f in ex.figures if f.source.cell is not None and f.source.cell.table == table] \
                if table is not None else [f for f in ex.figures if f.source.cell is None]
            if table is not None:
                assert table_funds[table] == {f.fund for f in pool}
            for metric, basis, attr in SUMMED:
                of_metric = [f for f in pool if f.metric == metric]
                for fund in funds:
                    plain = _stated(of_metric, fund, metric, basis, attr)
                    got = _stated([f for f in heads.get((fund, metric), []) if _table(f) == table],
                                  fund, metric, basis, attr)
                    assert [(str(v), f.id) for v, f in got] == [(str(v), f.id) for v, f in plain]
        for metric, basis, attr in SUMMED:
            assert _stated(heads.get(("all", metric), []), "all", metric, basis, attr) == \
                _stated(ex.figures, "all", metric, basis, attr)


def test_exponent_is_as_tuple_exponent(extractions):
    from extractor.interval import exponent

    for value in _stated_values(extractions):
        assert exponent(value) == value.as_tuple().exponent, value
    assert (exponent(Decimal("1.0")), exponent(Decimal("1.00")), exponent(Decimal("1E+1"))) == (-1, -2, 1)


def test_suspect_is_the_plain_max_of_suspicion(extractions):
    """add_hints tests the typo pattern only on a tie of blame and confirmations: the same suspect as
    the max over all three."""
    from collections import defaultdict

    from extract_rules.hints import _quantum, _suspect, _target
    from extract_rules.registry import RULES
    from extract_rules.typos import typo_pattern

    ties = 0
    for ex in extractions:
        ex = _fresh(ex)
        findings = [f for r in RULES if r.code.startswith("F") for f in r(ex)]
        errors = [f for f in findings if f.severity == "error" and f.implied]
        blame = defaultdict(list)
        for finding in errors:
            for key, value in finding.implied.items():
                blame[key].append(value)
        for finding in errors:
            def suspicion(k):
                stated_k = _target(k, ex)[2]
                typo = stated_k is not None and typo_pattern(
                    stated_k, finding.implied[k].quantize(_quantum(stated_k))) is not None
                return len(blame[k]), -ex.held[k], typo

            assert _suspect(finding, blame, ex) == max(finding.implied, key=suspicion)
            ranks = [suspicion(k)[:2] for k in finding.implied]
            ties += ranks.count(max(ranks)) > 1
    assert ties > 0         # the tie-break was exercised


def test_quantity_key_is_the_plain_key(extractions):
    from extract_rules.checks.duplicates import _core_label, _quantity_key

    for ex in extractions:
        for f in ex.figures:
            bound = f.unit != "万元" or f.metric.endswith(".other") or f.parent is not None and f.unit != "万元"
            assert _quantity_key(f) == (f.fund, f.metric, f.basis, _core_label(f.label) if bound else "")


def test_arithmetic_results_are_plain_frozen_intervals():
    import dataclasses

    a, b = Interval.stated(Decimal("1980")), Interval.stated(Decimal("1983.5"))
    for got, lo, hi in [(a + b, a.lo + b.lo, a.hi + b.hi), (a - b, a.lo - b.hi, a.hi - b.lo), (-a, -a.hi, -a.lo),
                        (a.scaled(Decimal(-2)), a.hi * -2, a.lo * -2)]:
        assert type(got) is Interval and got == Interval(lo, hi) and hash(got) == hash(Interval(lo, hi))
        assert repr(got) == repr(Interval(lo, hi))
        with pytest.raises(dataclasses.FrozenInstanceError):
            got.lo = Decimal(0)


def test_stated_cache_emptied_when_full_still_answers_right(monkeypatch):
    from extractor import interval

    monkeypatch.setattr(interval, "_STATED_MAX", 3)
    monkeypatch.setattr(interval, "_STATED", {})
    values = [Decimal(v) for v in ("1", "1.0", "1.00", "2.5", "-0", "0", "1E+1", "1.0")]
    for _ in range(3):
        for value in values:
            got, plain = Interval.stated(value), _plain_stated(value)
            assert (str(got.lo), str(got.hi)) == (str(plain.lo), str(plain.hi))
            assert len(interval._STATED) <= 3

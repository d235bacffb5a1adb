"""Checks across the reports of a batch: the same file twice, a region's consecutive years, and
text or figures copied between regions.

Each rule takes every report of the batch and yields (path, finding) pairs; the finding is added to
that report. All are warnings: a restatement, a transfer or a shared template can explain them.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from extractor.interval import Interval, fmt
from extractor.models import Figure, Finding, Report, Severity

from .base import fund_name, metric_name

Pair = tuple[str, Finding]
MIN_SHARED_FIGURES = 10      # figure sets this small say nothing about copying


@dataclass(frozen=True)
class CrossRule:
    code: str
    name: str
    summary: str
    severity: Severity
    check: Callable[["CrossRule", list[Report]], Iterator[Pair]]

    @property
    def doc(self) -> str:
        return (self.check.__doc__ or "").strip()


def _finding(rule: CrossRule, message: str, figures: list[Figure] = (), stated=None, expected=None,
             location=None, fund=None) -> Finding:
    return Finding(code=rule.code, name=rule.name, severity=rule.severity, message=message,
                   figures=[f.id for f in figures], stated=stated, expected=expected, fund=fund,
                   location=location or (figures[0].source if figures else None))


def _readable(reports: list[Report]) -> list[Report]:
    return [r for r in reports if r.document.error is None]


def _principal(report: Report) -> dict[tuple[str, str], Figure]:
    """Each (fund, metric) of the report as its own section first states it (actual, not a part)."""
    out: dict[tuple[str, str], Figure] = {}
    for f in report.figures:
        if f.basis == "actual" and f.parent is None:
            out.setdefault((f.fund, f.metric), f)
    return out


def duplicate_file(rule: CrossRule, reports: list[Report]) -> Iterator[Pair]:
    """The same file (same sha256) submitted twice.

    Why: a report counted twice inflates any aggregate; one of the copies is probably misnamed.
    Fails: two paths with identical bytes.
    Passes: two different reports.
    """
    by_hash: dict[str, list[Report]] = defaultdict(list)
    for r in reports:
        if r.document.sha256:
            by_hash[r.document.sha256].append(r)
    for group in by_hash.values():
        for r in group[1:]:
            yield r.document.path, _finding(rule, f"与{group[0].document.path}是同一个文件（SHA-256相同），重复提交")


def same_report_two_names(rule: CrossRule, reports: list[Report]) -> Iterator[Pair]:
    """The same report (same region, year and figures) under two file names or formats.

    Why: a report sent as .docx and again as .pdf, or renamed, is one report; counting both doubles it.
    Fails: two files of one region and year with the same figures.
    Passes: the same region in two different years.
    """
    seen: dict[tuple, Report] = {}
    for r in _readable(reports):
        key = (r.meta.region, r.meta.year, tuple(sorted((f.fund, f.metric, f.basis, str(f.value)) for f in r.figures)))
        if key[2] and key in seen and seen[key].document.sha256 != r.document.sha256:
            yield r.document.path, _finding(rule, f"与{seen[key].document.path}内容相同（地区、年度和全部数据一致），"
                                                  f"是同一报告的两个文件")
        seen.setdefault(key, r)


def year_over_year(rule: CrossRule, reports: list[Report]) -> Iterator[Pair]:
    """This year's stated change against the difference to last year's report of the same region.

    Why: 较上年增加A must be this year's value minus the value last year's report stated; a gap
    means a restatement, a typo in either year, or a change computed from another base.
    Fails: 2019 income 1000 (in the 2019 report), 2020 income 1200 较上年增加150 (in the 2020 report).
    Passes: 2020 income 1200 较上年增加200.
    """
    by_region = {(r.meta.region, r.meta.year): r for r in _readable(reports) if r.meta.region and r.meta.year}
    for (region, year), current in sorted(by_region.items()):
        previous = by_region.get((region, year - 1))
        if previous is None:
            continue
        before = _principal(previous)
        for key, fig in _principal(current).items():
            old = before.get(key)
            if fig.change is None or old is None or fig.unit != old.unit:
                continue
            computed = Interval.stated(fig.value) - Interval.stated(old.value)
            if computed.overlaps(Interval.stated(fig.change)):
                continue
            diff = fig.value - old.value
            yield current.document.path, _finding(
                rule, f"{fund_name(key[0])}{metric_name(key[1])}本年{fmt(fig.value)}{fig.unit}，较上年增减"
                      f"{fmt(fig.change)}{fig.unit}；而{year - 1}年报告（{previous.document.path}）所列为"
                      f"{fmt(old.value)}{fig.unit}，实际相差{fmt(diff)}{fig.unit}",
                [fig], stated=fig.change, expected=diff, fund=key[0])
        yield from _cumulative_continuity(rule, current, previous, before)


def _cumulative_continuity(rule: CrossRule, current: Report, previous: Report,
                           before: dict[tuple[str, str], Figure]) -> Iterator[Pair]:
    now = _principal(current)
    for fund in sorted({k[0] for k in now}):
        closing, flow = now.get((fund, "balance.cumulative")), now.get((fund, "balance.current"))
        opening = before.get((fund, "balance.cumulative"))
        if closing is None or flow is None or opening is None:
            continue
        computed = Interval.stated(opening.value) + Interval.stated(flow.value)
        if computed.overlaps(Interval.stated(closing.value)):
            continue
        expected = opening.value + flow.value
        yield current.document.path, _finding(
            rule, f"{fund_name(fund)}上年累计结余{fmt(opening.value)}万元（{previous.document.path}）+本年当期结余"
                  f"{fmt(flow.value)}万元={fmt(expected)}万元，与本年累计结余{fmt(closing.value)}万元相差"
                  f"{fmt(closing.value - expected)}万元（如有调剂、划转请在报告中说明）",
            [closing, flow], stated=closing.value, expected=expected, fund=fund)


def copied_between_regions(rule: CrossRule, reports: list[Report]) -> Iterator[Pair]:
    """Two reports of different regions sharing their figures or long paragraphs with figures in them.

    Why: a county that copies another's report and forgets to change the numbers sends figures that
    are not its own. Template sentences hold no figures and are not compared (see
    `document.fingerprints`).
    Fails: two regions with the same set of fund figures.
    Passes: two regions with their own figures.
    """
    readable = [r for r in _readable(reports) if r.meta.region]
    sets = {r.document.path: {(f.fund, f.metric, str(f.value)) for f in r.figures if f.unit == "万元"}
            for r in readable}
    # (block, digest) of each report's paragraphs, and the set of its digests: split once, not once per
    # pair of reports (a batch of hundreds makes tens of thousands of pairs)
    paragraphs = {r.document.path: [fp.split(":", 1) for fp in r.document.fingerprints] for r in readable}
    digests = {path: {digest for _, digest in pairs} for path, pairs in paragraphs.items()}
    for i, a in enumerate(readable):
        hashes_a = digests[a.document.path]
        for b in readable[i + 1:]:
            if a.meta.region == b.meta.region:
                continue
            sa, sb = sets[a.document.path], sets[b.document.path]
            shared = sa & sb
            if len(shared) >= MIN_SHARED_FIGURES and len(shared) * 10 >= 9 * min(len(sa), len(sb)):
                yield b.document.path, _finding(
                    rule, f"与{a.meta.region}的报告（{a.document.path}）有{len(shared)}个相同的基金数据"
                          f"（占{len(shared) * 100 // max(1, min(len(sa), len(sb)))}%），疑为照抄其他地区报告")
            if hashes_a.isdisjoint(digests[b.document.path]):
                continue
            for block, digest in paragraphs[b.document.path]:
                if digest in hashes_a:
                    yield b.document.path, _finding(
                        rule, f"第{int(block) + 1}段（含数据）与{a.meta.region}的报告（{a.document.path}）一字不差")


CROSS_RULES: tuple[CrossRule, ...] = (
    CrossRule("XD01", "duplicate-file", "同一文件重复提交", "warning", duplicate_file),
    CrossRule("XD02", "same-report-two-names", "同一报告以不同文件重复提交", "warning", same_report_two_names),
    CrossRule("XY01", "year-over-year-mismatch", "增减额与上年报告数据不符，或累计结余不衔接", "warning", year_over_year),
    CrossRule("XC01", "copied-between-regions", "与其他地区报告数据或段落雷同", "warning", copied_between_regions),
)


def cross_findings(reports: list[Report], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> dict[str, list[Finding]]:
    """Findings across the batch, by report path."""
    from .base import iter_rules

    out: dict[str, list[Finding]] = defaultdict(list)
    for rule in iter_rules(CROSS_RULES, select, ignore):
        for path, finding in rule.check(rule, reports):
            out[path].append(finding)
    return out

"""One quantity, one value: the same fund, metric and basis stated twice must agree."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from extractor.interval import Interval, duplicate_status, fmt
from extractor.models import Figure
from extractor.pipeline import Extraction

from ..base import Rule, children, fund_name, index, make_finding, metric_name, shared, where


def _quantity_key(f: Figure) -> tuple:
    # head counts and catch-all items are only the same quantity under the same label
    # (生育津贴享受人数 and 生育医疗享受人数 are both people.beneficiaries)
    label_bound = f.unit != "万元" or f.metric.endswith(".other")
    return (f.fund, f.metric, f.basis, _core_label(f.label) if label_bound else "")


def _core_label(label: str) -> str:
    for prefix in ("预算", "全年", "年末", "当年", "本年", "决算"):
        label = label.removeprefix(prefix)
    return label


def _groups(extraction: Extraction) -> dict[tuple, list[Figure]]:
    groups: dict[tuple, list[Figure]] = defaultdict(list)
    for f in extraction.figures:
        groups[_quantity_key(f)].append(f)
    return groups


def _clustered(extraction: Extraction) -> list[tuple[tuple, list[list[Figure]]]]:
    """(quantity key, its clusters) for each quantity stated more than once: what FD01 and FD02 both
    walk (see `shared`). A quantity stated once is one cluster of one: nothing to confirm or compare."""
    return [(key, _clusters(figures)) for key, figures in _groups(extraction).items() if len(figures) > 1]


def _clusters(figures: list[Figure]) -> list[list[Figure]]:
    """Figures grouped by rounding-compatible value (XBRL: consistent or within rounding)."""
    clusters: list[list[Figure]] = []
    for f in figures:
        for c in clusters:
            if all(duplicate_status(f.value, g.value) != "inconsistent" for g in c):
                c.append(f)
                break
        else:
            clusters.append([f])
    return clusters


def _explain(odd: Figure, extraction: Extraction, kids: dict[str, list[Figure]],
             others: list[Figure]) -> tuple[str, list[Figure]]:
    """What the odd value is, when another figure of the fund (or a total's parts) gives it."""
    same_fund = [g for g in index(extraction).by_fund[odd.fund] if g.basis == odd.basis
                 and g.unit == odd.unit and g.metric != odd.metric and g.id != odd.id]
    for g in same_fund:
        if duplicate_status(g.value, odd.value) != "inconsistent":
            return f"{fmt(odd.value)}{odd.unit}与{g.label}{fmt(g.value)}{g.unit}相同，疑将{g.label}误作{odd.label}", [g]
    for total in others:
        parts = kids.get(total.id, [])
        if len(parts) < 2:
            continue
        summed = sum((p.value for p in parts), Decimal(0))
        names = "+".join(f"{p.label}{fmt(p.value)}" for p in parts)
        if Interval.stated(odd.value).overlaps(sum((Interval.stated(p.value) for p in parts[1:]),
                                                   Interval.stated(parts[0].value))):
            return f"{fmt(odd.value)}{odd.unit}等于分项{names}={fmt(summed)}{odd.unit}，疑只计了部分分项", parts
        # close to the parts but not equal: a relative gap under 1% reads as the same items, mis-added
        if summed and abs(odd.value - summed) * 100 < abs(summed):
            return f"{fmt(odd.value)}{odd.unit}接近分项{names}={fmt(summed)}{odd.unit}，疑为分项之和而非{odd.label}", parts
    return "", []


def duplicate_value_conflict(rule: Rule, extraction: Extraction):
    """The same quantity stated with values that disagree beyond rounding.

    Why: a fund's spending stated as 1442 in one paragraph and 1983 in another cannot both be right;
    often one of them is another quantity under the wrong label (基金支出 that is really the benefit
    spending), which the message says when another figure of the fund has that value.

    Fails: 2019年生育保险基金总支出1983万元。2019年生育保险基金支出1442万元。
    Passes: 2019年企业养老保险基金总支出47318万元。2019年企业养老保险基金总支出47318万元。
    """
    kids = children(extraction)
    for key, shared_clusters in shared(extraction, _clustered):
        clusters = list(shared_clusters)        # sorted below: a copy, the list is FD02's too
        for cluster in clusters:
            if len(cluster) > 1:   # stated twice alike: each statement confirms the other
                extraction.note_held(f.id for f in cluster)
        if len(clusters) < 2:
            continue
        clusters.sort(key=len, reverse=True)
        main = clusters[0]
        fund = key[0]
        for cluster in clusters[1:]:
            odd = cluster[0]
            ref = main[0]
            note, extra = _explain(odd, extraction, kids, main)
            message = (f"{fund_name(fund)}{metric_name(key[1])}在{where(ref)}为{fmt(ref.value)}{ref.unit}"
                       f"（{ref.label}），在{where(odd)}为{fmt(odd.value)}{odd.unit}（{odd.label}），"
                       f"同一数据两处不一致，相差{fmt(abs(ref.value - odd.value))}{ref.unit}")
            if note:
                message += f"；{note}"
            yield make_finding(rule, message, [odd, *main, *extra], fund=fund, stated=odd.value,
                               expected=ref.value, location=odd.source,
                               implied={odd.id: ref.value, ref.id: odd.value})


def duplicate_within_rounding(rule: Rule, extraction: Extraction):
    """The same quantity stated with different figures that agree only within rounding.

    Why: 26423 and 26424 may both be roundings of 26423.5; not an error, but a reader sees two numbers
    for one quantity, and one of them was probably retyped.

    Fails: 企业养老保险基金基本养老金待遇支出26423万元。企业养老保险基金基本养老金待遇支出26424万元。
    Passes: 机关事业单位养老保险基金基本养老金待遇支出24845万元。机关事业单位养老保险基金基本养老金待遇支出24845万元。
    """
    for key, clusters in shared(extraction, _clustered):
        for cluster in clusters:
            if len(cluster) < 2:
                continue
            values = sorted({f.value for f in cluster})
            if len(values) < 2:
                continue
            shown = [next(f for f in cluster if f.value == v) for v in values]
            message = (f"{fund_name(key[0])}{metric_name(key[1])}先后写作"
                       + "、".join(f"{fmt(f.value)}{f.unit}（{where(f)}）" for f in shown)
                       + "，仅在四舍五入范围内一致")
            yield make_finding(rule, message, shown, fund=key[0], stated=shown[-1].value, expected=shown[0].value,
                               location=shown[-1].source)

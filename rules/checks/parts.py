"""Parts against their total: a 其中 list must add up when it names every part, and may never exceed."""
from __future__ import annotations

from decimal import Decimal

from extractor.interval import Interval, fmt, total
from extractor.models import Figure, Finding
from extractor.pipeline import Extraction

from ..typos import typo_pattern
from ..base import Rule, children, fund_name, make_finding


def completeness(parent: Figure, parts: list[Figure], extraction: Extraction) -> str | None:
    """How a list shows it names every part: "decomposition" (it covers one of the fund's
    decompositions in vocab/lists.yaml), "catch-all" (it has a 其他 item), or None."""
    vocab = extraction.vocab
    metrics = {p.metric for p in parts}
    options = vocab.decompositions.get(parent.fund, {}).get(parent.metric, [])
    if any(option <= metrics for option in options):
        return "decomposition"
    if metrics & vocab.catch_all:
        return "catch-all"
    return None


def describe(parts: list[Figure], unit: str = "万元") -> str:
    return "+".join(f"{p.label}{fmt(p.value)}" for p in parts) + unit


def parts_sum_mismatch(rule: Rule, extraction: Extraction):
    """Money parts listed after 其中 against their total.

    Why: a total that is not the sum of its parts means one of them was mistyped or an item is missing.
    A list that names every part (it has a catch-all 其他 item, or covers one of the fund's
    decompositions in ``vocab/lists.yaml``) must add up within rounding; a list that names only some
    parts must not exceed the total. A budget-target paragraph names the items it sets targets for,
    so only the second test applies to it.

    Fails: 2019年度机关事业单位养老保险基金收入25448万元，其中：保费收入13252万元、利息收入21万元、财政补助收入12134万元，其他收入30万元。
    Passes: 2019年基本医疗保险总收入23883万元，其中：基本医疗保险费收入16662万元，利息收入12万元，其他收入23万元。
    """
    kids = children(extraction)
    for parent in extraction.figures:
        if parent.unit != "万元" or parent.id not in kids:
            continue
        money = [k for k in kids[parent.id] if k.unit == "万元"]
        listed = [k for k in money if not k.included]
        if listed and (finding := _compare(rule, extraction, parent, listed, unit="万元")) is not None:
            yield finding
        included = [k for k in money if k.included]
        # (含…) names a part included in the figure: it may only not exceed it
        if included and (finding := _compare(rule, extraction, parent, included, unit="万元", partial=True)) is not None:
            yield finding


def count_parts_mismatch(rule: Rule, extraction: Extraction):
    """Head counts and visits split into groups (住院 6010 人次，其中在职 3915、退休 2095).

    Why: the groups of a partition (在职/退休, 男/女 …, listed in ``vocab/lists.yaml``) must add up to
    the whole; any list of groups must not exceed it.

    Fails: 2019年基本医疗保险基金参保人员住院就医6010人次，其中：在职职工3915人次、退休职工2000人次。
    Passes: 2019年基本医疗保险基金参保人员住院就医6010人次，其中：在职职工3915人次、退休职工2095人次。
    """
    kids = children(extraction)
    for parent in extraction.figures:
        if parent.unit == "万元" or parent.id not in kids:
            continue
        parts = [k for k in kids[parent.id] if k.unit == parent.unit]
        if parts and (finding := _compare(rule, extraction, parent, parts, unit=parent.unit)) is not None:
            yield finding


def _is_partition(parts: list[Figure], extraction: Extraction) -> bool:
    for words in extraction.vocab.count_partitions:
        if len(parts) == len(words) and all(sum(w in p.label for p in parts) == 1 for w in words):
            return True
    return False


def _plausible_slip(stated: Decimal, summed: Decimal, parts: list[Figure], how: str) -> bool:
    """Whether a complete list that falls short is a slip rather than a list of the main parts only.

    The total and the sum differing by a typo pattern (one digit, two digits swapped) is a slip.
    Otherwise the gap must be smaller than what the list itself names: than its largest part for a
    full decomposition, than its second-largest for a list closed by a 其他 item (总收入23883万元，
    其中：保险费收入16662万元，利息收入12万元，其他收入23万元 names only the main income).
    """
    if typo_pattern(stated, summed) is not None:
        return True
    sizes = sorted((abs(p.value) for p in parts), reverse=True) + [Decimal(0)]
    return stated - summed < (sizes[0] if how == "decomposition" else sizes[1])


def _compare(rule: Rule, extraction: Extraction, parent: Figure, parts: list[Figure], unit: str,
             partial: bool = False) -> Finding | None:
    """The finding on a list of parts against their total, None when there is none (a plain function,
    not a generator: most lists add up, and a generator per list cost more than the test)."""
    summed = total(p.value for p in parts)
    stated = Interval.stated(parent.value)
    if summed.lo > stated.hi:
        parts_mid, implied = _implied(parent, parts)
        return make_finding(
            rule, f"{fund_name(parent.fund)}{parent.label}{fmt(parent.value)}{unit}，其中所列分项合计"
                  f"{describe(parts, unit)}={fmt(parts_mid)}{unit}，超过总数{fmt(parts_mid - parent.value)}{unit}",
            [parent, *parts], fund=parent.fund, stated=parent.value, expected=summed, implied=implied)
    if summed.overlaps(stated):
        if not partial:
            extraction.note_held([parent.id, *(p.id for p in parts)])
        return None
    if partial:
        return None
    if unit != "万元":
        if not _is_partition(parts, extraction):
            return None
    elif parent.basis != "actual":
        return None   # a budget-target paragraph names the items it sets targets for
    else:
        how = completeness(parent, parts, extraction)
        if how is None or not _plausible_slip(parent.value, sum((p.value for p in parts), Decimal(0)), parts, how):
            return None
    parts_mid, implied = _implied(parent, parts)
    shortfall = parent.value - parts_mid
    return make_finding(
        rule, f"{fund_name(parent.fund)}{parent.label}{fmt(parent.value)}{unit}，分项合计{describe(parts, unit)}="
              f"{fmt(parts_mid)}{unit}，与总数相差{fmt(shortfall)}{unit}",
        [parent, *parts], fund=parent.fund, stated=parent.value, expected=summed, implied=implied)


def _implied(parent: Figure, parts: list[Figure]) -> tuple[Decimal, dict[str, Decimal]]:
    """The parts' sum, and the value each figure would need for the list to add up: only a finding
    needs them, and most lists add up."""
    parts_mid = sum((p.value for p in parts), Decimal(0))
    implied = {parent.id: parts_mid}
    for p in parts:
        implied[p.id] = parent.value - (parts_mid - p.value)
    return parts_mid, implied

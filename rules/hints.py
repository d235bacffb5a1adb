"""Which figure is probably wrong: error localisation over the broken relations.

In the spirit of Fellegi–Holt: find the fewest figures whose change mends the broken relations.
Each error finding carries, per figure, the value that figure would need for that relation to hold
(`implied`). A figure that several broken relations blame, with implied values that agree, is the
likely culprit; the hint names it, the value that would mend them all, and a typo pattern when the
difference looks like one (two digits swapped, one digit off, a dropped minus sign, 万元/元).
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from extractor.interval import duplicate_status, fmt
from extractor.models import Finding
from extractor.pipeline import Extraction

from .typos import typo_pattern

ATTR_LABEL = {"value": "", "change": "增减额", "growth_pct": "增长率", "budget": "预算数", "completion_pct": "完成率"}


def _target(key: str, extraction: Extraction) -> tuple[str, str, Decimal | None]:
    fig_id, _, attr = key.partition(".")
    attr = attr or "value"
    fig = extraction.by_id.get(fig_id)
    stated = None if fig is None else (fig.value if attr == "value" else getattr(fig, attr))
    return fig_id, attr, stated


def add_hints(extraction: Extraction, findings: list[Finding]) -> list[Finding]:
    errors = [f for f in findings if f.severity == "error" and f.implied]
    blame: dict[str, list[tuple[int, Decimal]]] = defaultdict(list)
    for i, finding in enumerate(errors):
        for key, value in finding.implied.items():
            blame[key].append((i, value))
    suspects: dict[int, tuple[str, Decimal, int]] = {}
    # most-blamed first; a figure blamed by one relation only is a suspect only if nothing else is
    for key, votes in sorted(blame.items(), key=lambda kv: -len(kv[1])):  # stable: ties keep finding order
        fig_id, attr, stated = _target(key, extraction)
        if stated is None:
            continue
        mended = votes[0][1]
        agreeing = [i for i, v in votes if duplicate_status(v.quantize(_quantum(stated)), mended.quantize(_quantum(stated))) != "inconsistent"]
        for i in agreeing:
            if i not in suspects or suspects[i][2] < len(agreeing):
                suspects[i] = (key, mended, len(agreeing))
    out = []
    index = {id(f): i for i, f in enumerate(errors)}
    for finding in findings:
        i = index.get(id(finding))
        if i is None or i not in suspects:
            out.append(finding)
            continue
        key, mended, support = suspects[i]
        fig_id, attr, stated = _target(key, extraction)
        fig = extraction.by_id[fig_id]
        mended = mended.quantize(_quantum(stated))
        unit = "%" if attr.endswith("pct") else fig.unit
        text = (f"最可能有误的是{fig.label}{ATTR_LABEL[attr]}{fmt(stated)}{unit}（{fig.source.text[:30]}）："
                f"若为{fmt(mended)}{unit}，则{support}处不成立的关系都成立")
        pattern = typo_pattern(stated, mended)
        if pattern:
            text += f"，{pattern}"
        out.append(finding.model_copy(update={"hint": text, "suspect": fig_id, "suspect_attr": attr,
                                              "suspect_value": mended}))
    return out


def _quantum(stated: Decimal) -> Decimal:
    return Decimal(1).scaleb(min(0, stated.as_tuple().exponent))

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
from functools import lru_cache

from extractor.interval import exponent, fmt
from extractor.models import Finding
from extractor.pipeline import Extraction

from .base import where
from .typos import typo_pattern

ATTR_LABEL = {"value": "", "change": "增减额", "growth_pct": "增长率", "budget": "预算数", "completion_pct": "完成率"}


def _target(key: str, extraction: Extraction) -> tuple[str, str, Decimal | None]:
    fig_id, _, attr = key.partition(".")
    attr = attr or "value"
    fig = extraction.by_id.get(fig_id)
    stated = None if fig is None else (fig.value if attr == "value" else getattr(fig, attr))
    return fig_id, attr, stated


def add_hints(extraction: Extraction, findings: list[Finding]) -> list[Finding]:
    """Name, on each error, the figure most broken relations blame and the value that mends them.

    A figure blamed by more broken relations is a better suspect than one blamed by fewer; among
    equally blamed ones, the figure fewer satisfied relations confirm (a total whose balance and
    fund sum hold is less suspect than a part nothing else checks); then the relation's own order
    (the derived rate before the figures it comes from, the odd value of a duplicate first)."""
    errors = [f for f in findings if f.severity == "error" and f.implied]
    blame: dict[str, list[Decimal]] = defaultdict(list)
    for finding in errors:
        for key, value in finding.implied.items():
            blame[key].append(value)
    out = []
    for finding in findings:
        if finding.severity != "error" or not finding.implied:
            out.append(finding)
            continue
        key = _suspect(finding, blame, extraction)
        fig_id, attr, stated = _target(key, extraction)
        if stated is None:
            out.append(finding)
            continue
        fig = extraction.by_id[fig_id]
        votes = sorted({v.quantize(_quantum(stated)) for v in blame[key]})
        mended = finding.implied[key].quantize(_quantum(stated))
        unit = "%" if attr.endswith("pct") else fig.unit
        text = f"最可能有误的是{fig.label}{ATTR_LABEL[attr]}{fmt(stated)}{unit}（{where(fig)}）"
        if len(blame[key]) > 1:
            text += f"：它所在的{len(blame[key])}处关系都不成立，按这些关系反推应为" + "/".join(
                f"{fmt(v)}{unit}" for v in votes)
        else:
            text += f"：按此关系反推应为{fmt(mended)}{unit}"
        pattern = typo_pattern(stated, mended)
        if pattern:
            text += f"，{pattern}"
        out.append(finding.model_copy(update={"hint": text, "suspect": fig_id, "suspect_attr": attr,
                                              "suspect_value": mended}))
    return out


def _suspect(finding: Finding, blame: dict[str, list[Decimal]], extraction: Extraction) -> str:
    """The key of `finding.implied` most blamed by broken relations, then least confirmed by relations
    that hold, then one whose mended value differs from the stated one by a typo pattern; first on a
    tie. The typo test, the costly part, runs only on a tie of the first two."""
    def typo(k: str) -> bool:
        stated_k = _target(k, extraction)[2]
        return stated_k is not None and typo_pattern(
            stated_k, finding.implied[k].quantize(_quantum(stated_k))) is not None

    rank = {k: (len(blame[k]), -extraction.held[k]) for k in finding.implied}
    best = max(rank.values())
    tied = [k for k, r in rank.items() if r == best]
    return tied[0] if len(tied) == 1 else max(tied, key=typo)


def _quantum(stated: Decimal) -> Decimal:
    return _quantum_of(min(0, exponent(stated)))


@lru_cache(maxsize=64)
def _quantum_of(exp: int) -> Decimal:
    return Decimal(1).scaleb(exp)

"""The performance self-evaluation table (绩效自评表): weights, scores, targets, and the prose.

Weights (分值) and scores (得分) are points as allotted and awarded: exact numbers, not roundings of a
measurement (an integer score of 10 is not [9.5, 10.5], or eight of them could absorb any total). A
stated total, a target and an actual value stand for their rounding interval (extractor/interval.py).
"""
from __future__ import annotations

from decimal import Decimal

import regex

from extractor.interval import HUNDRED, Interval, fmt, ratio_pct_interval
from extractor.models import Finding, Indicator
from extractor.pipeline import Extraction

from ..base import Rule, fund_name, make_finding


def _tables(extraction: Extraction) -> list[tuple[list[Indicator], Indicator | None]]:
    """The indicators of each self-evaluation table, with its 总分 row (None when it states none)."""
    out, current = [], []
    for ind in extraction.indicators:
        if ind.kind == "total":
            out.append((current, ind))
            current = []
        else:
            current.append(ind)
    if current:
        out.append((current, None))
    return out


def _finding(rule: Rule, message: str, ind: Indicator, where: str = "score", **kw) -> Finding:
    return make_finding(rule, message, [], location=ind.cells.get(where, ind.source), **kw)


def weights_sum_mismatch(rule: Rule, extraction: Extraction):
    """The weights (分值) of a self-evaluation table against the total its 总分 row states.

    Why: the indicators share out the table's points (usually 100, the 预算执行率 row included); a
    total that is not the sum of the weights means a weight or the total was mistyped, and every
    score is then out of the wrong base. Without a 总分 row, or with a row that has no weight, the
    rule cannot decide.

    Fails: 绩效自评表
        |一级指标|二级指标|三级指标|分值|得分|
        |产出指标|数量指标|参保人数|40|40|
        |满意度指标|满意度指标|参保群众满意率|50|50|
        |总分| | |100|90|
    Passes: 绩效自评表
        |一级指标|二级指标|三级指标|分值|得分|
        |产出指标|数量指标|参保人数|50|40|
        |满意度指标|满意度指标|参保群众满意率|50|50|
        |总分| | |100|90|
    """
    yield from _column_sum_mismatch(rule, extraction, "weight", "分值")


def score_exceeds_weight(rule: Rule, extraction: Extraction):
    """An indicator scored more points than its weight.

    Why: a score is out of the indicator's weight (分值); more than the weight is a slip in the score
    or in the weight, and it inflates the total score.

    Fails: 绩效自评表
        |一级指标|二级指标|三级指标|分值|得分|
        |产出指标|数量指标|参保人数|10|12|
    Passes: 绩效自评表
        |一级指标|二级指标|三级指标|分值|得分|
        |产出指标|数量指标|参保人数|10|9.5|
    """
    for ind in extraction.indicators:
        if ind.kind == "total" or ind.weight is None or ind.score is None:
            continue
        if Interval.exact(ind.score).lo > ind.weight:
            yield _finding(rule, f"「{ind.name}」得分{fmt(ind.score)}分，超过该指标分值{fmt(ind.weight)}分",
                           ind, stated=ind.score, expected=ind.weight)


def scores_sum_mismatch(rule: Rule, extraction: Extraction):
    """The scores (得分) of a self-evaluation table against the total score its 总分 row states.

    Why: the total score is the sum of the indicators' scores; a total that no rounding of the
    scores gives was added up wrong, or a score was changed without the total.

    Fails: 绩效自评表
        |一级指标|二级指标|三级指标|分值|得分|
        |产出指标|数量指标|参保人数|50|48|
        |满意度指标|满意度指标|参保群众满意率|50|45|
        |总分| | |100|95|
    Passes: 绩效自评表
        |一级指标|二级指标|三级指标|分值|得分|
        |产出指标|数量指标|参保人数|50|48|
        |满意度指标|满意度指标|参保群众满意率|50|45|
        |总分| | |100|93|
    """
    yield from _column_sum_mismatch(rule, extraction, "score", "得分")


def _column_sum_mismatch(rule: Rule, extraction: Extraction, column: str, word: str):
    """FE01 and FE03: a column of points (weight 分值 or score 得分) summed over a table's indicators
    against the 总分 row. Points are exact, so the sum is exact and only the total is a rounding."""
    for indicators, stated in _tables(extraction):
        total = getattr(stated, column) if stated is not None else None
        if total is None or not indicators:
            continue
        points = [getattr(i, column) for i in indicators]
        if any(p is None for p in points):
            continue
        summed = sum(points, Decimal(0))
        if Interval.exact(summed).overlaps(Interval.stated(total)):
            continue
        yield _finding(rule, f"自评表{len(points)}项指标{word}合计{'+'.join(fmt(p) for p in points)}={fmt(summed)}分，"
                             f"与总分栏{word}{fmt(total)}分相差{fmt(total - summed)}分",
                       stated, column, stated=total, expected=summed)


def _meets(op: str, actual: Decimal, target: Decimal) -> bool | None:
    """Whether the actual value meets the target, read at the precision both are stated; None when
    the comparison cannot say (an equality target the actual exceeds)."""
    a, t = Interval.stated(actual), Interval.stated(target)
    if op in (">=", ">"):
        return a.hi >= t.lo
    if op in ("<=", "<"):
        return a.lo <= t.hi
    if a.overlaps(t):
        return True
    return False if a.hi < t.lo else None


def target_score_inconsistent(rule: Rule, extraction: Extraction):
    """An indicator that meets its target but lost points, or misses it and got full marks.

    Why: an indicator's score follows from how its actual value compares with its target (年度指标值);
    full marks for a missed target, or points taken off a met one, usually mean the target, the
    actual value or the score was copied wrong. Scoring rules may allow it (partial credit for a
    near miss, points off for quality): a warning.

    Fails: 绩效自评表
        |一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|
        |产出指标|时效指标|待遇按时发放率|≥98%|99.5%|10|8|
    Passes: 绩效自评表
        |一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|
        |效益指标|社会效益指标|基金征缴率|≥95%|93.6%|10|8|
    """
    for ind in extraction.indicators:
        if ind.kind != "indicator" or None in (ind.target_op, ind.target_value, ind.actual_value, ind.weight, ind.score):
            continue
        if ind.target_unit and ind.actual_unit and ind.target_unit != ind.actual_unit:
            continue
        met = _meets(ind.target_op, ind.actual_value, ind.target_value)
        lost = Interval.exact(ind.score).hi < ind.weight
        full = not lost
        said = f"「{ind.name}」年度指标值{ind.target_text}，实际完成值{ind.actual_text}"
        if met is True and lost:
            yield _finding(rule, f"{said}，已达到目标，但得分{fmt(ind.score)}分低于分值{fmt(ind.weight)}分",
                           ind, stated=ind.score, expected=ind.weight)
        elif met is False and full:
            yield _finding(rule, f"{said}，未达到目标，却得满分{fmt(ind.score)}分", ind,
                           stated=ind.score, expected=ind.weight)


def indicator_disagrees_with_prose(rule: Rule, extraction: Extraction):
    """An indicator's actual value against the same figure in the prose or the fund figures.

    Why: the table restates what the report says: a 预算执行率 is the spending's completion of its
    budget (the funds row's own 全年执行数 ÷ 全年预算数, and the completion the prose states or
    implies for the fund's spending); a 满意率, 准确率 … is stated in the prose too. Two values for
    one rate mean one of them is wrong. A prose rate that is a target (以上, 不低于, 目标) is not
    compared.

    Fails: 2021年全县参保群众满意率为92%。
        |一级指标|二级指标|三级指标|实际完成值|分值|得分|
        |满意度指标|满意度指标|参保群众满意率|96%|20|20|
    Passes: 2021年全县参保群众满意率为96%。
        |一级指标|二级指标|三级指标|实际完成值|分值|得分|
        |满意度指标|满意度指标|参保群众满意率|96%|20|20|
    """
    spec = extraction.vocab.selfeval
    budget_words = sorted(spec.get("budget_rates", []), key=len, reverse=True)
    rate_words = sorted(spec.get("rates", []), key=len, reverse=True)
    target_words = regex.compile(spec.get("target_words", "(?!)"))
    for ind in extraction.indicators:
        if ind.kind == "total" or ind.actual_value is None or ind.actual_unit != "%":
            continue
        if ind.kind == "funds" or any(w in ind.name for w in budget_words):
            finding = _budget_rate(rule, extraction, ind)
        else:
            word = next((w for w in rate_words if w in ind.name), None)
            finding = _prose_rate(rule, extraction, ind, word, target_words) if word else None
        if finding is not None:
            yield finding


def _budget_rate(rule: Rule, extraction: Extraction, ind: Indicator) -> Finding | None:
    stated = Interval.stated(ind.actual_value)
    if ind.budget and ind.executed is not None:
        computed = ratio_pct_interval(ind.executed, ind.budget)
        if computed is not None and not computed.overlaps(stated):
            mid = ind.executed / ind.budget * HUNDRED
            return _finding(rule, f"自评表{ind.name}{fmt(ind.actual_value)}%，而全年执行数{fmt(ind.executed)}万元÷"
                                  f"全年预算数{fmt(ind.budget)}万元={fmt(mid, 2)}%", ind, "actual",
                            stated=ind.actual_value, expected=computed)
    fund = ind.fund or "all"
    for f in extraction.figures:
        if f.fund != fund or f.metric != "expenditure.total" or f.basis != "actual" or f.source.cell is not None:
            continue
        if f.completion_pct is not None:
            if not Interval.stated(f.completion_pct).overlaps(stated):
                return _finding(rule, f"自评表{ind.name}{fmt(ind.actual_value)}%，与正文{fund_name(fund)}支出完成预算的"
                                      f"{fmt(f.completion_pct)}%不符", ind, "actual",
                                stated=ind.actual_value, expected=f.completion_pct)
            return None
        if f.budget:
            computed = ratio_pct_interval(f.value, f.budget)
            if computed is not None and not computed.overlaps(stated):
                return _finding(rule, f"自评表{ind.name}{fmt(ind.actual_value)}%，而正文{fund_name(fund)}支出"
                                      f"{fmt(f.value)}万元÷预算{fmt(f.budget)}万元={fmt(f.value / f.budget * HUNDRED, 2)}%",
                                ind, "actual", stated=ind.actual_value, expected=computed)
            return None
    return None


def _prose_rate(rule: Rule, extraction: Extraction, ind: Indicator, word: str, target_words) -> Finding | None:
    pattern = regex.compile(rf"{regex.escape(word)}(?:为|是|达到|达|了|:)*(?P<num>\d+(?:\.\d+)?)%(?P<after>.{{0,4}})")
    stated: list[Decimal] = []
    for p in extraction.paragraphs:
        text = p.norm.text
        for m in pattern.finditer(text):
            clause_start = max((text.rfind(ch, 0, m.start()) for ch in ",，。;；"), default=-1) + 1
            clause = text[clause_start:m.end("num")] + regex.split(r"[,，。;；]", m.group("after"))[0]
            if target_words.search(clause):
                continue                                # 满意率95%以上: a target, not what was achieved
            stated.append(Decimal(m.group("num")))
    if not stated or any(Interval.stated(v).overlaps(Interval.stated(ind.actual_value)) for v in stated):
        return None
    prose = stated[0]
    return _finding(rule, f"自评表「{ind.name}」实际完成值{fmt(ind.actual_value)}%，与正文所述{word}{fmt(prose)}%不符",
                    ind, "actual", stated=ind.actual_value, expected=prose)

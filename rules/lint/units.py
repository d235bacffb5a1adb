"""Money units within one paragraph or one table."""
from __future__ import annotations

from collections import defaultdict

import regex

from extractor.pipeline import Extraction

from ..base import Rule
from .common import Text, lint_finding, lint_words, norm_source, pattern, texts

AMOUNT = regex.compile(r"(?<![\d.])\d+(?:\.\d+)?(?P<unit>亿元|万元|千元|元)(?![/每])")
LAST_CLAUSE_MARK = regex.compile(r"(?r)[,，。;；]")   # searched from the end: the clause an amount is in
CAPTION = regex.compile(r"单位[:：]?\s*(?:人民币)?\s*(?:亿元|万元|千元|元)")


def _amounts(text: Text, per_unit: regex.Pattern) -> list[tuple[regex.Match, str]]:
    """(match, unit) of the fund amounts in a text; per-person and per-unit rates (人均…元) left out."""
    norm = text.norm.text
    if "元" not in norm:
        return []   # every unit AMOUNT takes ends in 元
    found = []
    for m in AMOUNT.finditer(norm):
        unit = m.group("unit")
        if unit == "元":
            mark = LAST_CLAUSE_MARK.search(norm, 0, m.start())
            if per_unit.search(norm[mark.end() if mark else 0:m.end() + 2]):
                continue
        found.append((m, unit))
    return found


def _may_mix(norm: str) -> bool:
    """Whether a text has both an amount's 亿元/万元/千元 and a 元 that is none of them (an amount in
    元 has its digits right before the 元): a paragraph without both mixes no units."""
    larger = norm.count("亿元") + norm.count("万元") + norm.count("千元")
    return 0 < larger < norm.count("元")


def mixed_money_units(rule: Rule, extraction: Extraction):
    """Amounts in 元 and in 万元 mixed in one paragraph, or in one table without a unit caption.

    Why: a fund amount in 元 next to others in 万元 is the usual source of a 10,000-fold error (the
    reader, or a sum, takes 4730000元 as 万元). Per-person and per-unit rates (人均月领取974.08元,
    标准由115元提高到140元) are in 元 by nature and are not counted. A table whose caption states its
    unit (单位：万元) is left alone.

    Fails: 基金总支出1049万元，其中工伤保险待遇支出4730000元。
    Passes: 基金总支出1590万元。人均月领取失业金974.08元。
    """
    tables: dict[int, list[tuple[Text, regex.Match, str]]] = defaultdict(list)
    captioned: set[int] = set()
    recent: list[Text] = []
    per_unit = pattern(lint_words()["per_unit"])
    for text in texts(extraction):
        if text.paragraph is None:
            table = text.block.cell.table
            if CAPTION.search(text.norm.text) or any(CAPTION.search(t.norm.text) for t in recent[-3:]):
                captioned.add(table)
            tables[table].extend((text, m, unit) for m, unit in _amounts(text, per_unit))
            continue
        recent.append(text)
        if not _may_mix(text.norm.text):
            continue
        found = _amounts(text, per_unit)
        yuan = [m for m, unit in found if unit == "元"]
        wan = [m for m, unit in found if unit != "元"]
        if yuan and wan:
            m = yuan[0]
            yield lint_finding(rule, f"同一段中金额单位混用：「{m.group()}」以元计，其余以{wan[0].group('unit')}计"
                                     f"（如「{wan[0].group()}」）", norm_source(text, m.start(), m.end()),
                               suggestion="统一金额单位，或核对是否应为万元")
    for table, amounts in sorted(tables.items()):
        yuan = [(t, m) for t, m, unit in amounts if unit == "元"]
        wan = [(t, m) for t, m, unit in amounts if unit != "元"]
        if table in captioned or not yuan or not wan:
            continue
        t, m = yuan[0]
        yield lint_finding(rule, f"表{table + 1}中金额单位混用且没有单位说明：「{m.group()}」以元计，"
                                 f"「{wan[0][1].group()}」以{wan[0][1].group('unit')}计",
                           norm_source(t, m.start(), m.end()), suggestion="统一金额单位，并注明「单位：万元」")

"""Years against the report year: figures of another year, plans for a year already past."""
from __future__ import annotations

from functools import lru_cache

import regex

from extractor.pipeline import Extraction

from ..base import Rule
from .common import lint_finding, lint_words, norm_source, pattern, texts

YEAR = regex.compile(r"(?<!\d)(?P<year>(?:19|20)\d\d)(?=年)")
# A sentence that opens with its year: 2018年企业养老保险基金总收入… (an optional list number first).
OPENING_YEAR = regex.compile(r"^\s*(?:\d{1,2}[、.]|\(\d{1,2}\)|[一二三四五六七八九十]+、)?(?P<year>(?:19|20)\d\d)年(?:度)?")
MONEY = regex.compile(r"\d(?:亿元|万元|元)")
# Words that make another year's figure a comparison, a baseline or a budget, not a leftover.
OTHER_YEAR_OK = regex.compile(r"上年|去年|同期|以来|截至|截止|年末|年初|年底|预算|计划|较|比|与")


PLAN_OPENING = regex.compile(r"\s*(?:下一步|今后|明年|下一年)")


def _plan_sentence(paragraph, sentence: str) -> bool:
    return _plan_section(paragraph.section) or bool(PLAN_OPENING.match(sentence))


@lru_cache(maxsize=256)
def _plan_section(section: tuple) -> bool:
    """Whether a heading of the section path names a plan (the headings are frozen: cached)."""
    plan = pattern(lint_words()["plan_headings"])
    return any(plan.search(h.text) for h in section)


def year_mismatch(rule: Rule, extraction: Extraction):
    """A sentence stating fund figures for another year than the report's.

    Why: in a 2019 report, 2018年企业养老保险基金总收入57271万元 is either last year's paragraph left in or
    a wrong year; a comparison (较上年, 同期, 年末, 预算) is not reported. Plan sections are left to
    plan-for-past-year.

    Fails: 2019年度社会保险基金运行情况良好。2018年企业养老保险基金总收入57271万元。
    Passes: 2019年度社会保险基金运行情况良好。2019年企业养老保险基金总收入57271万元。
    """
    year = extraction.meta.year
    if year is None:
        return
    for text in texts(extraction, cells=False):
        p = text.paragraph
        norm = p.norm.text
        if "年" not in norm:
            continue   # OPENING_YEAR reads a year only before 年
        for start, end in p.sentences:
            sentence = norm[start:end]
            m = OPENING_YEAR.match(sentence)
            if (m is None or int(m.group("year")) == year or not MONEY.search(sentence)
                    or OTHER_YEAR_OK.search(sentence) or _plan_sentence(p, sentence)):
                continue
            a, b = start + m.start("year"), start + m.end("year") + 1
            yield lint_finding(rule, f"本报告为{year}年度，此句却以「{m.group('year')}年」陈述基金数据："
                                     f"「{text.norm.original_text(start, min(end, start + 30))}」",
                               norm_source(text, a, b), suggestion=f"核对年份，是否应为{year}年")


def plan_for_past_year(rule: Rule, extraction: Extraction):
    """Plans (后续工作计划, 下一步) for the report's own year or an earlier one.

    Why: a 2019 report written in 2020 that plans 2019年工作要点 repeats last year's plan: the plan
    section was not updated. Only years tied to a plan count (2019年工作要点, 将于2019年); 在2019年工作
    基础上 is history, not a plan.

    Fails: 2019年度基金运行平稳。下一步，制定2019年医疗保障工作计划。
    Passes: 2019年度基金运行平稳。下一步，制定2020年医疗保障工作计划。
    """
    year = extraction.meta.year
    if year is None:
        return
    words = lint_words()
    after, before = pattern(words["plan_year_after"]), pattern(words["plan_year_before"])
    section, in_plan = None, False
    for text in texts(extraction, cells=False):
        p = text.paragraph
        norm = p.norm.text
        if "年" not in norm:
            continue   # YEAR reads a year only before 年
        if p.section is not section:   # paragraphs under one heading share its section path
            section, in_plan = p.section, _plan_section(p.section)
        for start, end in p.sentences:
            sentence = norm[start:end]
            if "年" not in sentence or not (in_plan or PLAN_OPENING.match(sentence)):
                continue
            for m in YEAR.finditer(sentence):
                planned = int(m.group("year"))
                planned_as = after.match(sentence[m.end():])
                if planned > year or not (planned_as or before.search(sentence[:m.start()])):
                    continue
                a, b = start + m.start(), start + m.end() + 1
                tail = planned_as.group() if planned_as else "年"
                when = "本年度" if planned == year else "以前年度"
                yield lint_finding(rule, f"后续工作计划写的是{when}「{m.group()}{tail}」，报告年度为{year}年，"
                                         f"计划应针对{year + 1}年及以后",
                                   norm_source(text, a, b), suggestion=f"核对年份，是否应为{year + 1}年")

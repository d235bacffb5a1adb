"""Text left in from a template or from another report: placeholders, another administrative
level's words, another region's name."""
from __future__ import annotations

import re
from functools import lru_cache

import regex

from extractor.meta import FOLLOWS, LEVEL_BY_SUFFIX, NOT_A_NAME, REGION
from extractor.pipeline import Extraction

from ..base import Rule
from .common import any_of, lint_finding, lint_words, norm_source, option, pattern, source, texts

LEVEL_CN = {"province": "省（自治区）级", "city": "市（州）级", "county": "县级", "district": "区级"}
GENERIC_NAMES = {"自治区", "自治州", "自治县", "特别行政区"}


def placeholder_left(rule: Rule, extraction: Extraction):
    """A template placeholder left in the text: ***, XX, ×××, 【】, （单位名称）.

    Why: placeholders stand for a name or number the writer meant to fill in (自治区***社会保险支出绩效
    自评表); left in, the report says nothing where it should say something. The patterns are data
    (lint_words.yaml `placeholders`); option `extra_patterns` adds more.

    Fails: 五、附表 自治区***社会保险支出绩效自评表
    Passes: 五、附表 奇台县社会保险基金支出绩效自评表
    """
    specs = list(lint_words()["placeholders"]) + [{"pattern": p, "what": "占位符"}
                                                   for p in option(rule, "extra_patterns", ())]
    # one search for all of them first: most texts have no placeholder at all
    screen = any_of(spec["pattern"] for spec in specs)
    for text in texts(extraction):
        if screen is not None and not screen.search(text.original):
            continue
        hits = sorted((m.start(), m.end(), spec["what"]) for spec in specs
                      for m in pattern(spec["pattern"]).finditer(text.original))
        last_end = -1
        for start, end, what in hits:
            if start < last_end:
                continue
            last_end = end
            context = text.original[max(0, start - 8):end + 8].strip()
            yield lint_finding(rule, f"「{context}」中留有{what}「{text.original[start:end]}」",
                               source(text, start, end), suggestion="填入实际内容")


def foreign_admin_level(rule: Rule, extraction: Extraction):
    """Words of another administrative level than the report's: 自治区本级 in a county report.

    Why: county reports are often written over the region's or city's report; 保障自治区本级8420名离退休
    人员 in a county report is a sentence from the region's template that was never adapted. The
    phrases per level are data (lint_words.yaml `admin_levels`); the report's level comes from its
    name (奇台县 → county). Without a known level the rule says nothing.

    Fails: 奇台县2019年度全年保障自治区本级8420名离退休人员的基本养老金待遇发放。
    Passes: 新疆维吾尔自治区2019年度全年保障自治区本级8420名离退休人员的基本养老金待遇发放。
    """
    own = extraction.meta.level
    if own is None:
        return
    level_of, phrases = _admin_phrases()
    for text in texts(extraction):
        for m in phrases.finditer(text.norm.text):
            level = level_of[m.group()]
            if level == own:
                continue
            yield lint_finding(
                rule, f"{LEVEL_CN[own]}报告（{extraction.meta.region}）中出现「{m.group()}」，疑为套用"
                      f"{LEVEL_CN[level]}材料的遗留文字", norm_source(text, m.start(), m.end()),
                suggestion=f"改为本{LEVEL_CN[own][0]}的表述")


@lru_cache(maxsize=1)
def _admin_phrases() -> tuple[dict[str, str], re.Pattern]:
    """Each admin-level phrase's level, and one pattern for them all, the longest first (plain
    words: `re` finds them faster than `regex`)."""
    levels = lint_words()["admin_levels"]
    level_of = {phrase: level for level, phrases in levels.items() for phrase in phrases}
    return level_of, re.compile("|".join(re.escape(p) for p in sorted(level_of, key=len, reverse=True)))


def foreign_region_name(rule: Rule, extraction: Extraction):
    """Another region of the report's own level named where a report names itself.

    Why: 礼泉县2020年各项社会保险基金… in Wugong County's report is a paragraph copied from a neighbour's
    report. Only names in the self-naming position count (a place name right before a year, 社会保险,
    各项, 本级 … at the start of a clause, as the report's own name is found), of the same level as the
    report's own name, and not a short or long form of it (木垒县 / 木垒哈萨克自治县).

    Fails: 武功县2019年度社会保险基金运行平稳。礼泉县2019年各项社会保险基金总收入207273万元。
    Passes: 武功县2019年度社会保险基金运行平稳。武功县2019年各项社会保险基金总收入207273万元。
    """
    own, level = extraction.meta.region, extraction.meta.level
    if not own or level is None:
        return
    own_stem = _stem(own)
    screen = _suffix_before_follower(level)
    for text in texts(extraction, cells=False):
        if not screen.search(text.norm.text):
            continue  # no suffix of the report's level where a self-naming name ends
        for m in REGION.finditer(text.norm.text):
            name = m.group("name")
            if (name == own or name in GENERIC_NAMES or NOT_A_NAME.match(name)
                    or LEVEL_BY_SUFFIX[m.group("suffix")] != level):
                continue
            stem = _stem(name)
            if stem in own_stem or own_stem in stem or stem[:2] == own_stem[:2]:
                continue
            yield lint_finding(rule, f"本报告是{own}的报告，此处却写「{name}」，疑为抄自其他地区材料的遗留文字",
                               norm_source(text, m.start("name"), m.end("name")), suggestion=f"改为「{own}」")


@lru_cache(maxsize=8)
def _suffix_before_follower(level: str) -> regex.Pattern:
    """A suffix of `level` followed by what follows a report's own name: where a name REGION finds
    and this rule can report ends (REGION's lookahead, read with the same engine)."""
    suffixes = sorted((s for s, lv in LEVEL_BY_SUFFIX.items() if lv == level), key=len, reverse=True)
    return regex.compile(f"(?:{'|'.join(map(regex.escape, suffixes)) or '(?!)'})(?={FOLLOWS})")


def _stem(name: str) -> str:
    for suffix in ("自治县", "自治州", "自治区", "县", "市", "区", "旗", "盟", "省"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)]
    return name

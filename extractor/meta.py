"""Who wrote the report and about when: region, administrative level, year, title, period."""
from __future__ import annotations

from collections import Counter

import regex

from .models import Meta
from .segment import Paragraph

# A place name: 2-10 汉字 ending in an administrative suffix, at the start of a line or after
# punctuation, followed by what reports put after their own name (a year, 社会保险, 人社局 …).
SUFFIX = "自治县|自治州|自治区|县|市|区|旗|盟|省"
FOLLOWS = r"\d{4}年|社会保险|社保|各项|人力资源|人社|财政|医疗保障|医保|本级|城乡居民|机关事业|企业职工"
REGION = regex.compile(
    rf"""
    (?:^|(?<=[,，。;:\s]))
    (?P<name>[\p{{Han}}]{{1,10}}?(?P<suffix>{SUFFIX}))
    (?={FOLLOWS})
    """,
    regex.VERBOSE,
)
# The last character of a suffix and what follows it: a text without one names no region. Most
# paragraphs have none, and this is one pass of a plain pattern instead of a lazy match at every
# character (the lint rule LR02 reads every paragraph).
# (`regex`, like REGION: `re` reads \d differently for some digits.)
_REGION_END = regex.compile(rf"[{''.join(sorted({s[-1] for s in SUFFIX.split('|')}))}](?={FOLLOWS})")


def regions(text: str):
    """REGION's matches in `text`, in order."""
    return REGION.finditer(text) if _REGION_END.search(text) else iter(())


# Words that end in a suffix but are not a place's name.
NOT_A_NAME = regex.compile(r"^(?:本|全|我|各|该|市县|县区|县级|市级|省级|区县|旗县|自治区本级|城区|辖区|社区|园区|地区)")
LEVEL_BY_SUFFIX = {"省": "province", "自治区": "province", "市": "city", "自治州": "city", "盟": "city",
                   "县": "county", "自治县": "county", "旗": "county", "区": "district"}
YEAR = regex.compile(r"(?<!\d)(20\d\d|19\d\d)年(?:度)?")
PERIOD = regex.compile(
    r"""
      (?P<upto>截至|截止)(?:到)?(?P<y>\d{4})年(?P<m>\d{1,2})月(?:\d{1,2}日)?   # 截至2025年3月31日
    | (?P<range>(?P<m1>\d{1,2})-(?P<m2>\d{1,2})月)                           # 1-9月
    | 第(?P<q>[一二三四1-4])季度
    | (?P<half>上半年)
    """,
    regex.VERBOSE,
)


def find_region(paragraphs: list[Paragraph]) -> tuple[str | None, str | None]:
    for p in paragraphs[:40]:
        for m in regions(p.norm.text):
            name = m.group("name")
            if not NOT_A_NAME.match(name):
                return name, LEVEL_BY_SUFFIX[m.group("suffix")]
    return None, None


def find_year(paragraphs: list[Paragraph]) -> int | None:
    # the title or the first paragraphs name the report year; later text names plans and history
    for p in paragraphs[:3]:
        m = YEAR.search(p.norm.text)
        if m and ("报告" in p.norm.text or "情况" in p.norm.text or "年度" in m.group()):
            return int(m.group(1))
    counts = Counter(int(m.group(1)) for p in paragraphs[:30] for m in YEAR.finditer(p.norm.text))
    return counts.most_common(1)[0][0] if counts else None


def find_period(paragraphs: list[Paragraph]) -> tuple[str, int]:
    for p in paragraphs[:15]:
        m = PERIOD.search(p.norm.text)
        if not m:
            continue
        if m.group("upto"):
            return m.group(), int(m.group("m"))
        if m.group("range"):
            return m.group(), int(m.group("m2")) - int(m.group("m1")) + 1
        if m.group("q"):
            return m.group(), 3
        if m.group("half"):
            return m.group(), 6
    return "year", 12


def find_title(paragraphs: list[Paragraph]) -> str | None:
    for p in paragraphs[:3]:
        text = p.norm.text.strip()
        if len(text) <= 60 and regex.search(r"报告|情况|决算|预算|自评", text) and not p.heading:
            return p.block.text.strip()
    return None


def read_meta(paragraphs: list[Paragraph]) -> Meta:
    region, level = find_region(paragraphs)
    period, months = find_period(paragraphs)
    return Meta(region=region, level=level, year=find_year(paragraphs), title=find_title(paragraphs),
                period=period, months=months)

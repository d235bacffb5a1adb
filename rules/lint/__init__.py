"""Lint rules: the writing of a report rather than its arithmetic (headings, sections, duplicated or
cut words, placeholders, left-overs from other templates, years, punctuation, units).

One module per family; this table lists them all. Same `Rule` record, same findings as the checks.
Severity: `warning` where the rule is sure, `info` for style; never `error` (errors are for broken
relations between figures).
"""
from __future__ import annotations

from ..base import Rule
from .headings import heading_numbering_out_of_sequence
from .leftovers import foreign_admin_level, foreign_region_name, placeholder_left
from .punctuation import ascii_punctuation, mixed_percent_sign, space_before_punctuation, unbalanced_brackets
from .sections import attachment_without_content, required_section_missing
from .units import mixed_money_units
from .words import duplicated_word, truncated_label
from .years import plan_for_past_year, year_mismatch

LINT_RULES: tuple[Rule, ...] = (
    Rule("LH01", "heading-numbering-out-of-sequence", "标题编号跳号、重复或越级", "warning",
         heading_numbering_out_of_sequence),
    Rule("LS01", "required-section-missing", "缺少模板要求的部分", "warning", required_section_missing,
         options={"skip": []}),
    Rule("LS02", "attachment-without-content", "附表（自评表）只有标题没有内容", "warning",
         attachment_without_content),
    Rule("LD01", "duplicated-word", "词语或标签重复", "warning", duplicated_word,
         options={"allow": [], "max_chars": 12}),
    Rule("LT01", "truncated-label", "数字前的指标名称残缺", "warning", truncated_label),
    Rule("LP01", "placeholder-left", "残留模板占位符", "warning", placeholder_left, options={"extra_patterns": []}),
    Rule("LR01", "foreign-admin-level", "出现与报告层级不符的行政层级用语", "warning", foreign_admin_level),
    Rule("LR02", "foreign-region-name", "出现其他地区名称", "warning", foreign_region_name),
    Rule("LY01", "year-mismatch", "基金数据的年份与报告年度不符", "info", year_mismatch),
    Rule("LY02", "plan-for-past-year", "后续工作计划针对本年度或以前年度", "warning", plan_for_past_year),
    Rule("LU01", "ascii-punctuation", "中文句子中使用英文标点", "info", ascii_punctuation, options={"marks": ".,;"}),
    Rule("LU02", "space-before-punctuation", "中文标点前有空格", "info", space_before_punctuation),
    Rule("LU03", "mixed-percent-sign", "全角％与半角%混用", "info", mixed_percent_sign),
    Rule("LU04", "unbalanced-brackets", "括号或引号不成对", "info", unbalanced_brackets),
    Rule("LM01", "mixed-money-units", "同一段落或表格中元与万元混用", "info", mixed_money_units),
)

"""The template's sections: each one present, and an announced attachment with content."""
from __future__ import annotations

from extractor.pipeline import Extraction

from ..base import Rule
from .common import Text, lint_finding, lint_words, norm_source, option, pattern, quote, texts


def _follows_template(extraction: Extraction, found: dict[str, Text]) -> bool:
    title = pattern(lint_words()["template_title"])
    opening = [p.norm.text for p in extraction.paragraphs[:3]]
    if extraction.meta.title:
        opening.append(extraction.meta.title)
    return any(title.search(t) for t in opening) or len(found) >= 3


def _sections(extraction: Extraction) -> dict[str, Text]:
    """Template section number -> the level-1 heading (numbered or not) that carries it."""
    found: dict[str, Text] = {}
    for text in texts(extraction, cells=False):
        heading = text.paragraph.heading
        if heading is None or heading.level != 1:
            continue
        for section in lint_words()["required_sections"]:
            if section["number"] not in found and any(w in heading.text for w in section["words"]):
                found[section["number"]] = text
                break
    return found


def required_section_missing(rule: Rule, extraction: Extraction):
    """A section the performance self-evaluation template asks for is not in the report.

    Why: the Ministry of Finance template has five parts: 一 收支余总体情况, 二 各项基金预算完成及运行情况,
    三 支出组织实施情况和绩效管理情况, 四 其他需要说明的问题, 五 附表 (the 绩效自评表). A reviewer looks for
    each; a missing one is usually a section dropped while editing. Only reports that follow the
    template (their title says 绩效自评, or three of the sections are there) are checked. A section
    counts as present when a top-level heading, numbered or not, names it. Option `skip`: section
    numbers not to require (e.g. ["五"] where the 自评表 is filed separately).

    Fails: 奇台县2019年度社会保险基金预算绩效自评报告
    Passes: 2019年企业养老保险基金总收入57271万元。
    """
    found = _sections(extraction)
    if not extraction.paragraphs or not _follows_template(extraction, found):
        return
    skip = set(option(rule, "skip", ()))
    sections = lint_words()["required_sections"]
    paragraphs = list(texts(extraction, cells=False))
    for i, section in enumerate(sections):
        if section["number"] in found or section["number"] in skip:
            continue
        after = next((found[s["number"]] for s in sections[i + 1:] if s["number"] in found), None)
        at = after or paragraphs[-1]
        where = f"应在「{quote(at.original, 20)}」之前" if after else "应在文末"
        yield lint_finding(rule, f"缺少模板要求的「{section['number']}、{section['name']}」部分（{where}）",
                           norm_source(at, 0, len(at.norm.text)),
                           suggestion=f"补写「{section['number']}、{section['name']}」")


def attachment_without_content(rule: Rule, extraction: Extraction):
    """An attachment (附表, 自评表) announced by a heading or a reference, with nothing in it.

    Why: 五、附表 followed only by the table's title (自治区***社会保险支出绩效自评表) means the table
    was never pasted in; 详见附表1 in a document without any table points at nothing.

    Fails: 五、附表
    Passes: 2019年企业养老保险基金总收入57271万元。
    """
    words = lint_words()
    title = pattern(words["attachment_title"])
    all_texts = list(texts(extraction))
    has_table = any(t.paragraph is None for t in all_texts)
    for i, text in enumerate(all_texts):
        heading = text.paragraph.heading if text.paragraph else None
        if heading is None or heading.level != 1 or not pattern("附表|自评表|附件").search(heading.text):
            continue
        body: list[Text] = []
        for later in all_texts[i + 1:]:
            h = later.paragraph.heading if later.paragraph else None
            if h is not None and h.level == 1 and h.marker:
                break
            body.append(later)
        if any(t.paragraph is None or not title.search(t.norm.text.strip()) for t in body):
            continue
        titles = "、".join(f"「{quote(t.original)}」" for t in body)
        message = f"「{quote(text.original)}」下" + (f"只有标题{titles}，没有表格内容" if body else "没有任何内容")
        yield lint_finding(rule, message, norm_source(text, 0, len(text.norm.text)),
                           suggestion="补上附表内容，或删去该部分")
        return
    if has_table:
        return
    reference = pattern(words["attachment_reference"])
    for text in all_texts:
        for m in reference.finditer(text.norm.text):
            yield lint_finding(rule, f"正文提到「{m.group()}」，但文件中没有任何表格",
                               norm_source(text, m.start(), m.end()), suggestion="补上所引附表，或删去引用")

"""Lint on real files: every lint item a reviewer finds in the seed (EXPECTED.md L1–L8), in each
input format and each output format; nothing above info on the corpus but what is really there."""
from __future__ import annotations

import json

import pytest
from extract_rules.engine import run_checks
from extract_rules.lint import LINT_RULES
from extract_rules.registry import RULES

from conftest import CORPUS, FIXTURES, extraction_of

from extractor.pipeline import analyse
from extractor.reporters import json as json_reporter
from extractor.reporters import sarif as sarif_reporter
from extractor.reporters import text as text_reporter

# EXPECTED.md "Lint": (id, code, text the finding must quote in its location or message)
SEED_LINT = [
    ("L1", "LH01", "各项社会保险基金支出组织实施情况和绩效管理情况"),
    ("L1", "LH01", "缺少「三、」"),
    ("L2", "LD01", "其中：其中："),
    ("L2", "LD01", "其中： 其中："),
    ("L3", "LD01", "基金基金"),
    ("L4", "LT01", "总支出"),
    ("L5", "LR01", "自治区本级"),
    ("L6", "LP01", "***"),
    ("L6", "LS02", "五、附表"),
    ("L7", "LU01", "623人.生育"),
    ("L7", "LU01", "525人.人均"),
    ("L7", "LU01", "万元.全年保障"),
    ("L7", "LU02", "1049万元 ，"),
    ("L8", "LY02", "2019年工作要点"),
    ("L8", "LY02", "2019年医疗保障工作计划"),
]


@pytest.fixture(scope="module")
def seed_reports():
    checks = run_checks(select=["L"])
    return {fmt: analyse(FIXTURES / f"qitai-2019.{fmt}", *checks) for fmt in ("txt", "docx", "pdf")}


def _compact(text: str) -> str:
    # a PDF export puts spaces between 汉字 and digits: 1049 万元 ，
    return text.replace(" ", "") if text else ""


def _found(findings, code: str, quoted: str) -> bool:
    want = _compact(quoted)
    return any(f.code == code and (want in _compact(f.message) or want in _compact(f.location.text))
               for f in findings)


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf"])
@pytest.mark.parametrize("item, code, quoted", SEED_LINT, ids=[f"{i}-{c}-{q}" for i, c, q in SEED_LINT])
def test_seed_lint_items(seed_reports, fmt, item, code, quoted):
    assert _found(seed_reports[fmt].findings, code, quoted), f"{item} {code} {quoted} missing in {fmt}"


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf"])
def test_seed_lint_items_in_every_output_format(seed_reports, fmt):
    report = seed_reports[fmt]
    text = _compact(text_reporter.render(report))
    data = json.loads(json_reporter.render(report))
    sarif = json.loads(sarif_reporter.render([report], RULES))
    results = sarif["runs"][0]["results"]
    for item, code, quoted in SEED_LINT:
        want = _compact(quoted)
        assert want in text, f"text output lacks {item} {quoted}"
        assert any(f["code"] == code and (want in _compact(f["message"]) or want in _compact(f["location"]["text"]))
                   for f in data["findings"]), f"JSON output lacks {item} {quoted}"
        assert any(r["ruleId"] == code and (want in _compact(r["message"]["text"]) or want in
                   _compact(r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"]))
                   for r in results), f"SARIF output lacks {item} {quoted}"


def test_lint_never_reports_errors(seed_reports):
    assert all(rule.severity != "error" for rule in LINT_RULES)
    assert all(f.severity != "error" for report in seed_reports.values() for f in report.findings)


def test_lint_spans_point_into_the_original_text(seed_reports):
    for fmt, report in seed_reports.items():
        for f in report.findings:
            assert f.location is not None and f.location.text, (fmt, f.code)
            assert f.location.end > f.location.start


CORPUS_FILES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".docx", ".pdf"))


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_corpus_lint_above_info_is_only_the_missing_attachment(path):
    """The corpus reports end at 四、; the template's 五、附表 (绩效自评表) is really missing. Nothing
    else above info: their headings, words, years and punctuation are in order."""
    report = analyse(path, *run_checks(select=["L"]))
    above_info = [f for f in report.findings if f.severity != "info"]
    assert [(f.code, "五、附表" in f.message) for f in above_info] == [("LS01", True)], \
        [f.message for f in above_info]


def test_table_mixing_units_without_caption(vocab):
    from extractor.blocks import Block, CellRef, Document
    from extractor.pipeline import extract_document

    rule = next(r for r in LINT_RULES if r.code == "LM01")

    def table(caption: str | None):
        blocks = [Block(0, caption)] if caption else []
        for row, (label, amount) in enumerate([("项目", "金额"), ("基金收入", "1186万元"), ("基金支出", "10490000元")]):
            for col, text in enumerate((label, amount)):
                blocks.append(Block(len(blocks), text, kind="cell", cell=CellRef(0, row, col)))
        return extract_document(Document("t.txt", "txt", tuple(blocks)), vocab)

    found = list(rule(table(None)))
    assert [f.location.text for f in found] == ["10490000元"]
    assert found[0].location.cell is not None
    assert list(rule(table("单位：万元"))) == []


def test_tokenizer_uses_the_small_dictionary(vocab):
    from extract_rules.lint.common import INIT_SECONDS, tokenizer

    tk = tokenizer(vocab.jieba_words)
    assert tk is tokenizer(vocab.jieba_words)           # once per process
    assert len(tk.FREQ) < 5000                           # not jieba's 350,000-word dictionary
    assert "tokenizer" in INIT_SECONDS
    words = [w for w, _, _ in tk.tokenize("企业养老保险基金基金总支出", HMM=False)]
    assert words[0] == "企业养老保险基金"


def test_config_severity_reaches_lint_findings(vocab):
    from dataclasses import replace

    rule = next(r for r in LINT_RULES if r.code == "LU01")
    text = "全年领取失业金人数525人.人均月领取失业金974.08元。"
    assert {f.severity for f in rule(extraction_of(text, vocab))} == {"info"}
    louder = replace(rule, options={**rule.options, "severity": "warning"})
    assert {f.severity for f in louder(extraction_of(text, vocab))} == {"warning"}

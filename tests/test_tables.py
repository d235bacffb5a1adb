"""Figures in tables and the 绩效自评表 (issue 7): the table fixtures in docx and PDF (made by
tests/fixtures/tables/make_table_fixtures.py), and the table-bearing reports of the corpus.

See every miss:  python tests/scoring.py tests/fixtures/tables --show
"""
from __future__ import annotations

import json
from collections import Counter

import pytest
from extract_rules.engine import run_checks

from conftest import CORPUS, FIXTURES
from scoring import score_folder, score_report

from extractor.pipeline import analyse

TABLES = FIXTURES / "tables"
FORMATS = ("docx", "pdf")
SERIOUS = ("error", "warning")
# planted problems per fixture: (code, a number the finding states)
PLANTED = {
    "t01_fund_table": [],
    "t02_rotated_yuan": [("FT01", 36942.85009), ("FB01", -68.5), ("FA01", 9621.72003)],
    "t03_long_budget": [("FC01", 98.12)],
    "t04_long_no_header": [],
    "t05_selfeval_clean": [],
    "t06_selfeval_errors": [("FE02", 12), ("FE04", 8)],
    "t07_selfeval_prose": [("FE03", 96.9), ("FE05", 97), ("FE05", 96)],
}


@pytest.fixture(scope="module")
def reports():
    checks = run_checks()
    return {(name, fmt): json.loads(analyse(TABLES / f"{name}.{fmt}", *checks).model_dump_json())
            for name in PLANTED for fmt in FORMATS}


def _expected(name: str) -> dict:
    return json.loads((TABLES / f"{name}.expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", PLANTED)
def test_every_table_figure_has_its_cell(reports, name, fmt):
    report = reports[name, fmt]
    in_cells = [f for f in report["figures"] if f["source"]["cell"] is not None]
    if "selfeval" in name:
        assert not in_cells, "the 绩效自评表 is not a fund table"
        return
    assert in_cells, "no figure read from the table"
    for f in in_cells:
        cell = f["source"]["cell"]
        assert {"table", "row", "col"} <= set(cell)
        if fmt == "pdf":
            assert f["source"]["page"] is not None
        digits = "".join(ch for ch in f["source"]["text"] if ch.isdigit())
        assert digits, f["source"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", PLANTED)
def test_figures_match_expected(reports, name, fmt):
    score = score_report(reports[name, fmt], _expected(name), name)
    assert score.figure_recall == 100.0, score.misses
    assert score.value_precision == 100.0


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", PLANTED)
def test_planted_problems_found_and_nothing_else(reports, name, fmt):
    findings = [f for f in reports[name, fmt]["findings"] if f["severity"] in SERIOUS]
    for code, number in PLANTED[name]:
        assert any(f["code"] == code and number in (f["stated"], f["expected"]) for f in findings), \
            (code, number, [(f["code"], f["message"]) for f in findings])
    assert Counter(f["code"] for f in findings) == Counter(code for code, _ in PLANTED[name]), \
        [(f["code"], f["message"]) for f in findings]


def test_table_fixture_scores():
    score, docs = score_folder(TABLES)
    assert docs == 2 * len(PLANTED)
    assert score.figure_recall == 100.0, score.misses
    assert score.value_precision == 100.0
    assert score.finding_recall == 100.0, score.misses
    assert score.false_errors == 0
    assert score.clean_errors == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_split_table_is_read_as_one(reports, fmt):
    """The long tables run over a page break: the PDF has two tables, with and without a repeated
    header row, and a fund cell the break cut in two; every fund's four lines are read."""
    for name in ("t03_long_budget", "t04_long_no_header"):
        figures = [f for f in reports[name, fmt]["figures"] if f["source"]["cell"] is not None]
        per_fund = Counter(f["fund"] for f in figures)
        assert set(per_fund.values()) == {4}, per_fund
        assert len(per_fund) == 8
        assert all(f["budget"] is not None and f["completion_pct"] is not None for f in figures)
        if fmt == "pdf":
            assert {f["source"]["cell"]["table"] for f in figures} == {0, 1}
            assert {f["source"]["page"] for f in figures} == {1, 2}


@pytest.mark.parametrize("fmt", FORMATS)
def test_part_rows_take_their_total_as_parent(reports, fmt):
    figures = reports["t01_fund_table", fmt]["figures"]
    by_id = {f["id"]: f for f in figures}
    parts = [f for f in figures if f["source"]["cell"] and f["metric"] in ("income.contributions", "income.interest",
                                                                             "expenditure.benefits", "expenditure.other")]
    assert parts
    for part in parts:
        parent = by_id[part["parent"]]
        assert parent["metric"] == part["metric"].split(".")[0] + ".total"
        assert parent["fund"] == part["fund"]
        assert parent["source"]["cell"]["col"] == part["source"]["cell"]["col"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_indicators_in_the_json(reports, fmt):
    indicators = reports["t06_selfeval_errors", fmt]["indicators"]
    kinds = Counter(i["kind"] for i in indicators)
    assert kinds == {"funds": 1, "indicator": 8, "total": 1}
    first = next(i for i in indicators if i["kind"] == "indicator")
    assert (first["level1"], first["level2"], first["name"]) == ("产出指标", "数量指标", "参保人数")
    assert (first["target_op"], first["target_value"], first["target_unit"]) == (">=", 50000, "人")
    assert (first["actual_value"], first["weight"], first["score"]) == (52310, 10, 12)
    assert first["source"]["cell"] is not None and first["cells"]["score"]["cell"] is not None
    if fmt == "pdf":
        assert first["source"]["page"] is not None
    satisfaction = next(i for i in indicators if i["name"] == "参保群众满意率")
    assert satisfaction["level1"] == "满意度指标"          # merged down from the rows above
    funds = next(i for i in indicators if i["kind"] == "funds")
    assert (funds["budget"], funds["executed"], funds["actual_value"]) == (52000, 51480, 99)
    total = next(i for i in indicators if i["kind"] == "total")
    assert (total["weight"], total["score"]) == (100, 97.9)


CORPUS_TABLES = {"r101_006.txt": 36, "r101_010.docx": 36, "r101_005.pdf": 32}


@pytest.mark.parametrize("name, cells", CORPUS_TABLES.items())
def test_corpus_table_figures_have_their_cell(name, cells):
    report = json.loads(analyse(CORPUS / name, *run_checks()).model_dump_json())
    in_cells = [f for f in report["figures"] if f["source"]["cell"] is not None]
    assert len(in_cells) == cells
    assert len({(f["source"]["cell"]["row"], f["source"]["cell"]["col"]) for f in in_cells}) == cells
    if name.endswith(".pdf"):
        assert all(f["source"]["page"] for f in in_cells)


def test_corpus_scores_unchanged():
    score, _ = score_folder(CORPUS)
    assert score.figure_recall == 100.0, score.misses
    assert score.finding_recall == 100.0, score.misses
    assert score.clean_errors == 0
    assert score.false_errors == 0

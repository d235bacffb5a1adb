"""Acceptance on real reports: the seed in three formats and the corpus (issue 2 and 3 numbers)."""
from __future__ import annotations

import json

import pytest
from extract_rules.engine import run_checks

from conftest import CORPUS, FIXTURES
from scoring import score_folder, score_report

from extractor.pipeline import analyse

SEED = {fmt: FIXTURES / f"qitai-2019.{fmt}" for fmt in ("txt", "docx", "pdf")}
SEED_EXPECTED = json.loads((FIXTURES / "qitai-2019.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_reports():
    checks = run_checks()
    return {fmt: json.loads(analyse(path, *checks).model_dump_json()) for fmt, path in SEED.items()}


@pytest.mark.parametrize("fmt", SEED)
def test_seed_figures(seed_reports, fmt):
    report = seed_reports[fmt]
    score = score_report(report, SEED_EXPECTED)
    assert score.figure_recall >= 98.0, score.misses
    assert report["meta"]["region"] == "奇台县"
    assert report["meta"]["year"] == 2019


@pytest.mark.parametrize("fmt", SEED)
def test_seed_findings(seed_reports, fmt):
    score = score_report(seed_reports[fmt], SEED_EXPECTED)
    assert score.finding_recall == 100.0, score.misses
    assert score.false_errors == 0


def test_three_formats_give_the_same_figures(seed_reports):
    def key(report):
        return sorted(json.dumps([f["fund"], f["metric"], f["basis"], f["value"], f["change"], f["growth_pct"],
                                  f["budget"], f["completion_pct"], f["parent"] is not None]) for f in report["figures"])
    assert key(seed_reports["txt"]) == key(seed_reports["docx"]) == key(seed_reports["pdf"])


@pytest.mark.parametrize("fmt", SEED)
def test_every_figure_points_at_its_number(seed_reports, fmt):
    from extractor.readers import read_document

    blocks = read_document(SEED[fmt]).blocks
    for figure in seed_reports[fmt]["figures"]:
        source = figure["source"]
        block = blocks[source["block"]]
        assert block.text[source["start"]:source["end"]] == source["text"]
        digits = "".join(ch for ch in source["text"] if ch.isdigit())
        stated = format(abs(figure["value"]), "f").rstrip("0").rstrip(".") if figure["stated_unit"] in ("万元", "") \
            else None
        if stated:
            assert stated.replace(".", "") in digits.replace(".", ""), (stated, source["text"])
        if fmt == "pdf":
            assert source["page"] >= 1


def test_seed_errors_and_traps(seed_reports):
    """No error may come only from the trap groups of EXPECTED.md."""
    report = seed_reports["txt"]
    trap_only = {-2.8, 1980.0, 1983.0, -3.0, 43.14, 153.3, 138.08, 23883.0, 16662.0, 12.0, 23.0}
    by_id = {f["id"]: f for f in report["figures"]}
    for finding in report["findings"]:
        if finding["severity"] != "error":
            continue
        values = {float(by_id[i]["value"]) for i in finding["figures"]}
        assert not values <= trap_only, finding["message"]


def test_corpus_scores():
    score, docs = score_folder(CORPUS)
    assert docs == 12
    assert score.figure_recall >= 95.0, score.misses
    assert score.value_precision >= 98.0
    assert score.finding_recall >= 95.0, score.misses
    assert score.clean_errors == 0
    assert score.false_errors <= 2


def test_planted_typos_are_named_by_the_hint():
    checks = run_checks()
    for expected_path in sorted(CORPUS.glob("*.expected.json")):
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        if not expected.get("mutated_values"):
            continue
        doc = next(p for p in CORPUS.iterdir() if p.name.startswith(expected_path.name.split(".")[0] + ".")
                   and not p.name.endswith(".json"))
        report = json.loads(analyse(doc, *checks).model_dump_json())
        by_id = {f["id"]: f for f in report["figures"]}
        named = set()
        for finding in report["findings"]:
            if finding.get("suspect"):
                fig = by_id[finding["suspect"]]
                named.add(float(fig[finding["suspect_attr"]]))
        for kind, value in zip(expected["mutations"], expected["mutated_values"]):
            if kind.startswith("label_swap"):
                continue   # a label swap moves a figure; no single stated number is wrong
            assert value in named, (doc.name, kind, value, named)

"""The variant corpus (tests/fixtures/variants): reports that word their figures the ways real reports
do (periods, 预算数/决算数, (其中:A;B), (含…), 缺口/赤字, 元 tables, full-width digits, GBK, docx),
scored in-process the way the project is judged (tests/scoring.py).

See every miss:  python tests/scoring.py tests/fixtures/variants --show
"""
from __future__ import annotations

from conftest import FIXTURES
from scoring import score_folder


def test_variants_score():
    score, docs = score_folder(FIXTURES / "variants")
    assert docs >= 10
    assert score.figure_recall >= 95.0, score.misses
    assert score.value_precision >= 98.0
    assert score.finding_recall >= 95.0, score.misses
    assert score.clean_errors == 0
    assert score.false_errors == 0

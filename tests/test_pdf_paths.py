"""The two PDF text paths give the same report: pdfium (the default: fast) and pdfplumber (every
page through pdfminer, the reference). Same figures, same findings, same block text, boxes within
pdfium's single-precision rounding; unreadable files fail with the same code on both."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from extract_rules.engine import run_checks
from extractor.errors import ReadError
from extractor.pipeline import analyse_document
from extractor.readers.pdf import read_pdf

FIXTURES = Path(__file__).parent / "fixtures"
PDFS = [FIXTURES / "qitai-2019.pdf", *sorted((FIXTURES / "corpus").glob("*.pdf")),
        *sorted((FIXTURES / "readers").glob("*.pdf"))]
FIGURE_FIELDS = ("fund", "metric", "basis", "value", "change", "growth_pct", "budget", "completion_pct")
BOX_SLACK = 0.01   # points: pdfium keeps coordinates as floats, pdfminer as doubles


def read(path: Path, engine: str):
    try:
        return read_pdf(path.read_bytes(), str(path), text_engine=engine)
    except ReadError as error:
        return error.code


@pytest.fixture(scope="module")
def checks():
    return run_checks()


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_pdfium_and_pdfplumber_paths_give_the_same_report(path, checks):
    by_pdfium, by_pdfplumber = read(path, "pdfium"), read(path, "pdfplumber")
    if isinstance(by_pdfplumber, str) or isinstance(by_pdfium, str):
        assert by_pdfium == by_pdfplumber   # the same error code
        return
    assert [(b.kind, b.cell, b.text, b.char_pages) for b in by_pdfium.blocks] == \
           [(b.kind, b.cell, b.text, b.char_pages) for b in by_pdfplumber.blocks]
    for fast, reference in zip(by_pdfium.blocks, by_pdfplumber.blocks):
        for a, b in zip(fast.char_boxes, reference.char_boxes):
            assert (a is None) == (b is None)
            assert a is None or max(abs(p - q) for p, q in zip(a, b)) < BOX_SLACK, (fast.text, a, b)
    reports = [analyse_document(replace(document, sha256="-"), *checks) for document in (by_pdfium, by_pdfplumber)]
    fast, reference = ([tuple(getattr(f, name) for name in FIGURE_FIELDS) for f in r.figures] for r in reports)
    assert fast == reference
    assert [(f.code, f.message) for f in reports[0].findings] == [(f.code, f.message) for f in reports[1].findings]
    if path.parent.name == "corpus" or path.name == "qitai-2019.pdf":
        assert fast and reports[0].findings      # a real report: there was something to compare


def test_line_end_minus_sign_stays_a_minus_sign():
    # pdfium marks a hyphen that ends a line with U+0002; here it is the sign of a negative balance.
    document = read(FIXTURES / "corpus" / "r101_002.pdf", "pdfium")
    assert any("结余-1984" in block.text for block in document.blocks)


def test_unknown_text_engine_is_refused():
    with pytest.raises(ValueError):
        read_pdf((FIXTURES / "qitai-2019.pdf").read_bytes(), text_engine="ocr")

"""The shortcuts the lint rules take for speed (issue 9) find exactly what the plain way finds.

Each screen (a cheap test that skips a text, or a number, before the costly work) is compared with
the plain computation over every text of every fixture report, as lint reads it (paragraphs and
cells, original and normalised text) and as the .txt files and the rule fixtures write it, plus
hand-written strings that must get through."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from extract_rules.lint import words
from extract_rules.lint.common import lint_words, texts

from conftest import FIXTURES

from extractor.normalize import normalise
from extractor.pipeline import extract_document
from extractor.readers import read_document

REPORTS = sorted(p for d in (FIXTURES, FIXTURES / "corpus", FIXTURES / "tables", FIXTURES / "variants")
                 for p in d.iterdir() if p.suffix in (".txt", ".docx", ".pdf"))


@lru_cache(maxsize=1)
def _lint_texts() -> tuple[str, ...]:
    from extract_rules import vocabulary

    vocab = vocabulary()
    found: list[str] = []
    for path in REPORTS:
        for text in texts(extract_document(read_document(path), vocab)):
            found += [text.original, text.norm.text]
    return tuple(found)


def fixture_texts() -> list[str]:
    """Every text the lint rules read in the fixture reports, the .txt reports and their lines,
    the rule fixtures' texts, each also normalised, and characters of every kind."""
    found = list(_lint_texts())
    raw = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(FIXTURES.glob("**/*.txt"))]
    found += raw + [line for text in raw for line in text.splitlines()]
    for path in sorted((FIXTURES / "rules").glob("L*.yaml")):
        found += [case["text"] for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]]
    found += [normalise(text).text for text in found]
    found.append("".join(chr(c) for c in range(0, 0x3000, 7)) + "-12.5%（含3人）负-7")
    assert len(found) > 1000
    return found


# --- LT01 truncated_label: the screen for a cut ending before a number, the clause before a number


def _plain_clause(norm: str, end: int) -> tuple[int, str]:
    """The rule as first written: filler dropped from the whole text before the number."""
    head = words.FILLER.sub("", norm[:end])
    last = words.LAST_CLAUSE_START.search(head)
    start = last.end() if last else 0
    return start, head[start:]


def _candidate(clause: str, cut_endings) -> bool:
    """What truncated_label asks of a clause before it tokenizes it."""
    return bool(clause) and bool(words.HAN.match(clause[-1])) and clause.endswith(cut_endings)


CUT_ENDINGS = [tuple(ending[:-1] for ending in lint_words()["label_endings"]),
               ("到",), ("计",), ("支",), ("",)]     # made-up endings: filler ones, the empty one

TRUNCATED = ["基金总支24845万元", "基金总支为24845万元", "总收:1186万元", "当期结共计137万元",
             "参保人达到-5人", "总支达到约为12", "2019年工伤保险基金当期结137万元。"]


@pytest.mark.parametrize("cut_endings", CUT_ENDINGS)
def test_clause_before_a_number_is_the_plain_clause_wherever_it_can_matter(cut_endings):
    screen = words._cut_before_number(cut_endings)
    candidates = 0
    for text in fixture_texts() + TRUNCATED + ["收到12", "x计为3", "到:\n到5"]:
        found = False
        for m in words.NUMBER_WITH_UNIT.finditer(text):
            plain = _plain_clause(text, m.start())
            got = words._clause_before(text, m.start(), cut_endings)
            if _candidate(plain[1], cut_endings):
                assert got == plain, (text, m.start())
                found = True
            else:
                assert not _candidate(got[1], cut_endings), (text, m.start())
        assert found <= bool(screen.search(text)), text
        candidates += found
    assert candidates >= 8


def test_cut_label_screen_passes_the_truncated_labels():
    cut_endings = CUT_ENDINGS[0]
    screen = words._cut_before_number(cut_endings)
    for text in TRUNCATED:
        assert screen.search(text), text
        assert any(_candidate(words._clause_before(text, m.start(), cut_endings)[1], cut_endings)
                   for m in words.NUMBER_WITH_UNIT.finditer(text)), text
    assert not screen.search("基金总支出24845万元，基金总收入1186万元，收支平衡。")

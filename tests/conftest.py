"""Shared helpers: run the real pipeline on text, the way a .txt report is read; the fixture
reports and texts the tests of the speed shortcuts compare over."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus"


@pytest.fixture(scope="session")
def vocab():
    from extract_rules import vocabulary

    return vocabulary()


def extraction_of(text: str, vocab):
    """Extraction of a report given as text, one paragraph a line (the .txt reader's blocks)."""
    from extractor.blocks import Document
    from extractor.pipeline import extract_document
    from extractor.readers.txt import text_blocks

    return extract_document(Document("inline.txt", "txt", tuple(text_blocks(text))), vocab)


# The fixture reports: the seed in three formats, the corpus, the table reports, the wording variants.
REPORTS = tuple(sorted(p for folder in (FIXTURES, CORPUS, FIXTURES / "tables", FIXTURES / "variants")
                       for p in folder.iterdir() if p.suffix in (".txt", ".docx", ".pdf")))


@lru_cache(maxsize=1)
def report_extractions() -> tuple:
    """The extraction of every report of REPORTS, made once per test run and shared by the tests
    that compare a shortcut with the plain way over all of them."""
    from extract_rules import vocabulary

    from extractor.pipeline import extract_document
    from extractor.readers import read_document

    vocab = vocabulary()
    return tuple(extract_document(read_document(path), vocab) for path in REPORTS)


def fixture_texts() -> list[str]:
    """Text as the fixtures write it: every .txt fixture whole and line by line, and runs of
    characters of every kind."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(FIXTURES.glob("**/*.txt"))]
    texts += [line for text in texts for line in text.splitlines()]
    texts += ["".join(chr(c) for c in range(start, 0x3000, 7)) + "-12.5%（含3人）负-7" for start in (0, 32)]
    assert len(texts) > 100
    return texts

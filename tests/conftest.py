"""Shared helpers: run the real pipeline on text, the way a .txt report is read."""
from __future__ import annotations

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

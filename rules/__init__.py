"""The project's rules: the vocabulary (data, in ``vocab/``) and the check rules (``checks/``).

Installed as ``extract_rules`` so the wheel does not claim the generic top-level name ``rules``.
"""
from __future__ import annotations

from pathlib import Path

VOCAB_DIR = Path(__file__).resolve().parent / "vocab"


def vocabulary():
    """The project's vocabulary, compiled once per process."""
    from extractor.vocabulary import load_vocabulary

    return load_vocabulary(VOCAB_DIR)

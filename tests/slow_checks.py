"""A checks factory for the batch tests: the real vocabulary and rules, plus a check that misbehaves
on purpose (sleeps, or eats memory) for files whose name says so. Importable by worker processes."""
from __future__ import annotations

import time


def misbehaving_checks(**kwargs):
    from extract_rules.engine import run_checks

    vocab, checks, finalize = run_checks(**kwargs)

    def misbehave(extraction):
        name = extraction.document.path
        if "slow" in name:
            time.sleep(60)
        if "hog" in name:
            hoard = []
            while True:
                hoard.append(bytearray(64 * 1024 * 1024))
        return []

    return vocab, [*checks, misbehave], finalize

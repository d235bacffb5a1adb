"""Wordings real reports use, one sentence each (tests/fixtures/patterns.yaml): the figures found,
the text their sources quote, and the values no figure may take."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from conftest import extraction_of

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "patterns.yaml").read_text(encoding="utf-8"))
ATTRS = ("value", "change", "growth_pct", "budget", "completion_pct")


def tuples(figures) -> list[tuple]:
    return [(f.fund, f.metric, attr, float(getattr(f, attr))) for f in figures for attr in ATTRS
            if getattr(f, attr) is not None]


def has(found: list[tuple], want: list) -> bool:
    return any(g[:3] == tuple(want[:3]) and math.isclose(g[3], want[3], rel_tol=1e-9, abs_tol=1e-9) for g in found)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_pattern(case, vocab):
    figures = extraction_of(case["text"], vocab).figures
    found = tuples(figures)
    for want in case["figures"]:
        assert has(found, want), f"missing {want}; found {found}"
    for unwanted in case.get("absent_figures", []):
        assert not has(found, unwanted), f"unexpected {unwanted}"
    for value in case.get("absent", []):
        assert not any(math.isclose(float(f.value), value, abs_tol=1e-9) for f in figures), f"a figure took {value}"
    quoted = [f.source.text for f in figures]
    for text in case.get("matched", []):
        assert text in quoted, f"no figure quotes {text!r}; quotes {quoted}"
    by_id = {f.id: f for f in figures}
    for part, total in case.get("parents", {}).items():
        fig = next((f for f in figures if f.source.text == part), None)
        assert fig is not None, f"no figure quotes {part!r}"
        assert fig.parent is not None and by_id[fig.parent].source.text == total, \
            f"{part!r} should be a part of {total!r}"

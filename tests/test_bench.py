"""The benchmark script runs and measures what it says (bench/bench.py, issue 9). No time is
asserted: speed targets live in the benchmark's output, not in tests."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("read", "segment", "extract", "check", "check_relations", "check_lint", "render", "end_to_end",
          "end_to_end_call")


@pytest.mark.parametrize("name, bare", [("qitai-2019.docx", ("bare_docx",)),
                                        ("qitai-2019.pdf", ("bare_pdfplumber", "bare_pdfium"))])
def test_bench_child_measures_every_stage_and_the_bare_read(name, bare):
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "bench.py"), "--child",
                          str(ROOT / "tests" / "fixtures" / name), "1"],
                         capture_output=True, text=True, timeout=300, check=True)
    result = json.loads(out.stdout)
    assert result["file"] == name
    for key in (*STAGES, *bare, *(f"{b}_call" for b in bare)):
        assert result[key] > 0, key
    assert 10 < result["peak_mb"] < 2000

"""One direction: extractor/ never imports rules/ or the CLI (STYLE.md, "The shape")."""
from __future__ import annotations

import ast
from pathlib import Path

LIBRARY = Path(__file__).resolve().parents[1] / "extractor"
FORBIDDEN = ("extract_rules", "rules", "extract_cli", "cli")


def test_library_does_not_import_rules_or_cli():
    offenders = []
    for path in LIBRARY.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_heavy_parsers_are_not_imported_at_startup():
    import subprocess
    import sys

    code = ("import sys, extract_cli.cli, extractor.pipeline, extractor.readers;"
            "print([m for m in ('pdfplumber', 'docx', 'jieba', 'pdfminer') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

"""The command as a user runs it: exit codes, JSON, schema, one-line errors without tracebacks."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES

# the console script installed beside this interpreter (pyenv shims may not know it yet)
EXTRACT = str(Path(sys.executable).with_name("extract")) if Path(sys.executable).with_name("extract").exists() \
    else shutil.which("extract")

SEED_DOCX = FIXTURES / "qitai-2019.docx"
CLEAN = FIXTURES / "corpus" / "r101_001.docx"


def run(*args, cwd=None):
    return subprocess.run([EXTRACT, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_json_of_a_report_with_errors_exits_1(tmp_path):
    result = run(SEED_DOCX, "--json", cwd=tmp_path)     # from another directory: vocabulary is found
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["meta"]["region"] == "奇台县"
    assert report["document"]["format"] == "docx"
    assert any(f["code"] == "FS01" for f in report["findings"])


def test_clean_report_exits_0_and_fail_on_never():
    assert run(CLEAN, "--json").returncode == 0
    assert run(SEED_DOCX, "--fail-on", "never").returncode == 0


def test_several_files_give_json_lines():
    result = run(CLEAN, SEED_DOCX, "--json")
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert [json.loads(line)["document"]["path"] for line in lines] == sorted([str(CLEAN), str(SEED_DOCX)])


def test_text_output_lists_findings_with_place_and_quote():
    out = run(SEED_DOCX).stdout
    assert "FS01" in out and "第20段" in out and "原文" in out
    assert "25437" in out


def test_unreadable_file_one_line_error_exit_2(tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    result = run(bad, "--json")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "broken.docx" in lines[0]
    assert json.loads(result.stdout)["document"]["error"]["code"] == "corrupt-docx"


def test_missing_file_and_not_a_report(tmp_path):
    result = run(tmp_path / "nope.pdf")
    assert result.returncode == 2 and "nope.pdf" in result.stderr and "Traceback" not in result.stderr
    text = tmp_path / "notes.txt"
    text.write_text("会议纪要：下周二讨论办公用品采购。\n", encoding="utf-8")
    result = run(text, "--json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["document"]["error"]["code"] == "not-a-report"


def test_bad_input_in_a_batch_does_not_stop_it(tmp_path):
    bad = tmp_path / "empty.pdf"
    bad.write_bytes(b"")
    result = run(bad, CLEAN, "--json")
    assert result.returncode == 2
    reports = {json.loads(line)["document"]["path"]: json.loads(line) for line in result.stdout.strip().splitlines()}
    assert reports[str(bad)]["document"]["error"]["code"] == "empty-file"
    assert reports[str(CLEAN)]["figures"]


def test_schema_and_version():
    schema = json.loads(run("--schema").stdout)
    assert "Figure" in schema["$defs"] and "Finding" in schema["$defs"]
    assert run("--version").stdout.startswith("extract")


def test_usage_error_exit_2():
    assert run().returncode == 2
    assert run(CLEAN, "--fail-on", "sometimes").returncode == 2

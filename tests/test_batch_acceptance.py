"""Issue 6 acceptance: a folder of good, bad and duplicate reports with two consecutive years of one
region; a 200-report run killed halfway and resumed."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import CORPUS, FIXTURES

EXTRACT = str(Path(sys.executable).with_name("extract")) if Path(sys.executable).with_name("extract").exists() \
    else shutil.which("extract")
SEED_TXT = (FIXTURES / "qitai-2019.txt").read_text(encoding="utf-8")


def run(*args, **kw):
    return subprocess.run([EXTRACT, *map(str, args)], capture_output=True, text=True, timeout=600, **kw)


def seed_next_year() -> str:
    """The seed as if written a year later: same figures, so its changes on last year are wrong, and
    a cumulative balance that does not follow from last year's."""
    text = SEED_TXT.replace("2019", "2020").replace("2018", "2019")
    return text.replace("累计结余10113万元", "累计结余20000万元")


def test_mixed_folder(tmp_path):
    folder = tmp_path / "received"
    (folder / "2019").mkdir(parents=True)
    (folder / "2020").mkdir()
    shutil.copy(FIXTURES / "qitai-2019.docx", folder / "2019" / "qitai.docx")
    (folder / "2020" / "qitai.txt").write_text(seed_next_year(), encoding="utf-8")
    shutil.copy(FIXTURES / "qitai-2019.docx", folder / "2019" / "qitai-copy.docx")      # submitted twice
    shutil.copy(CORPUS / "r101_001.docx", folder / "muli.docx")                          # clean report
    shutil.copy(FIXTURES / "readers" / "truncated.pdf", folder / "broken.pdf")            # bad file
    (folder / "empty.txt").write_bytes(b"")
    paper = tmp_path / "paper.xlsx"
    result = run(folder, "--json", "-q", "--xlsx", paper, "--select", "F", "--select", "X")
    assert result.returncode == 2                       # unreadable input present
    assert "Traceback" not in result.stderr
    reports = {Path(json.loads(l)["document"]["path"]).relative_to(folder).as_posix(): json.loads(l)
               for l in result.stdout.splitlines()}
    assert sorted(reports) == ["2019/qitai-copy.docx", "2019/qitai.docx", "2020/qitai.txt", "broken.pdf",
                               "empty.txt", "muli.docx"]
    assert reports["broken.pdf"]["document"]["error"]["code"] == "corrupt-pdf"
    assert reports["empty.txt"]["document"]["error"]["code"] == "empty-file"
    codes = {name: [f["code"] for f in r["findings"]] for name, r in reports.items()}
    assert "XD01" in codes["2019/qitai-copy.docx"] + codes["2019/qitai.docx"]
    later = [f["message"] for f in reports["2020/qitai.txt"]["findings"] if f["code"] == "XY01"]
    assert any("10113" in m and "9953" in m and "20000" in m for m in later), later   # 10113 + 9953 ≠ 20000
    assert any("133590" in m and "16663" in m for m in later), later                 # change vs last year
    assert not [c for c in codes["muli.docx"] if c.startswith("F")]

    from openpyxl import load_workbook

    book = load_workbook(paper)
    reports_sheet, findings_sheet, figures_sheet = (book[n] for n in ("报告", "发现", "数据"))
    assert reports_sheet.max_row == 1 + 6
    assert findings_sheet.max_row == 1 + sum(len(r["findings"]) for r in reports.values())
    assert figures_sheet.max_row == 1 + 6


def test_killed_run_resumes_to_the_same_output(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    source = (CORPUS / "r101_003.txt").read_text(encoding="utf-8")
    for i in range(200):
        (folder / f"r{i:03d}.txt").write_text(source, encoding="utf-8")
    full = tmp_path / "full.jsonl"
    assert run(folder, "--json", "-o", full, "-q", "-j", "2", "--select", "F").returncode == 0

    partial = tmp_path / "partial.jsonl"
    process = subprocess.Popen([EXTRACT, str(folder), "--json", "-o", str(partial), "-q", "-j", "2",
                                "--select", "F"], start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        if partial.exists() and partial.read_text(encoding="utf-8").count("\n") >= 100:
            break
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)              # the run and its workers, halfway
    process.wait()
    done = partial.read_text(encoding="utf-8").count("\n")
    assert 0 < done < 200, done

    resumed = run(folder, "--json", "-o", partial, "-q", "-j", "2", "--select", "F", "--resume")
    assert resumed.returncode == 0
    assert partial.read_text(encoding="utf-8") == full.read_text(encoding="utf-8")


def test_output_file_is_what_stdout_gets_with_the_cross_findings(tmp_path):
    """The JSON lines written while the batch runs are reused for the final file only for reports
    that did not change afterwards: the duplicate's line gains XD01."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURES / "qitai-2019.docx", folder / "a.docx")
    shutil.copy(FIXTURES / "qitai-2019.docx", folder / "b.docx")
    shutil.copy(CORPUS / "r101_001.docx", folder / "c.docx")
    out = tmp_path / "out.jsonl"
    assert run(folder, "--json", "-o", out, "-q", "-j", "2", "--select", "F", "--select", "X").returncode == 1
    printed = run(folder, "--json", "-q", "-j", "1", "--select", "F", "--select", "X")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines == printed.stdout.splitlines()
    codes = {Path(json.loads(line)["document"]["path"]).name: [f["code"] for f in json.loads(line)["findings"]]
             for line in lines}
    assert "XD01" in codes["a.docx"] + codes["b.docx"]
    assert "XD01" not in codes["c.docx"]

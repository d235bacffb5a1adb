"""Batch runs: isolation per file, timeouts and memory caps that really stop a worker, resume,
deterministic order, the working paper and the cross-report checks."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path


from conftest import CORPUS, FIXTURES
from extractor.batch import BatchOptions, find_reports, run_batch

EXTRACT = str(Path(sys.executable).with_name("extract")) if Path(sys.executable).with_name("extract").exists() \
    else shutil.which("extract")


def run(*args, cwd=None):
    return subprocess.run([EXTRACT, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_folders_are_searched_recursively(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    shutil.copy(CORPUS / "r101_000.txt", tmp_path / "a" / "b" / "x.txt")
    shutil.copy(CORPUS / "r101_001.docx", tmp_path / "a" / "y.docx")
    (tmp_path / "a" / "notes.md").write_text("not a report")
    assert [p.name for p in find_reports([tmp_path])] == ["x.txt", "y.docx"]


def _options(**kw):
    from slow_checks import misbehaving_checks

    return BatchOptions(factory=misbehaving_checks, **kw)


def test_a_slow_file_is_killed_and_the_rest_goes_on(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    slow = tmp_path / "slow.txt"
    shutil.copy(CORPUS / "r101_000.txt", slow)
    files = [slow, CORPUS / "r101_003.txt", CORPUS / "r101_006.txt"]
    results = dict(run_batch(files, 2, _options(timeout=3.0)))
    assert results[0].document.error["code"] == "timeout"
    assert results[1].figures and results[2].figures


def test_a_memory_hog_is_stopped(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    hog = tmp_path / "hog.txt"
    shutil.copy(CORPUS / "r101_000.txt", hog)
    results = dict(run_batch([hog, CORPUS / "r101_003.txt"], 1, _options(timeout=60, memory_mb=512)))
    assert results[0].document.error["code"] in ("too-large", "internal-error")
    assert results[1].figures


def test_output_is_sorted_and_streams_to_a_file(tmp_path):
    out = tmp_path / "out.jsonl"
    result = run(CORPUS / "r101_003.txt", CORPUS / "r101_000.txt", CORPUS / "r101_001.docx",
                 "-j", "2", "--json", "-o", out, "-q")
    assert result.returncode == 1      # r101_000 has planted errors
    paths = [json.loads(line)["document"]["path"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert paths == sorted(paths)


def test_resume_equals_an_uninterrupted_run(tmp_path):
    files = [CORPUS / "r101_000.txt", CORPUS / "r101_003.txt", CORPUS / "r101_006.txt"]
    full = tmp_path / "full.jsonl"
    run(*files, "--json", "-o", full, "-q")
    partial = tmp_path / "partial.jsonl"
    lines = full.read_text(encoding="utf-8").splitlines()
    partial.write_text(lines[1] + "\n" + lines[2][:200], encoding="utf-8")   # killed while writing
    run(*files, "--json", "-o", partial, "--resume", "-q")
    assert partial.read_text(encoding="utf-8") == full.read_text(encoding="utf-8")


def test_resume_redoes_a_changed_file(tmp_path):
    from extractor.run import load_previous

    report = tmp_path / "r.txt"
    shutil.copy(CORPUS / "r101_003.txt", report)
    out = tmp_path / "out.jsonl"
    run(report, "--json", "-o", out, "-q")
    assert load_previous(out, [report])
    report.write_text(report.read_text(encoding="utf-8") + "\n补充说明。", encoding="utf-8")
    assert load_previous(out, [report]) == {}


def test_working_paper(tmp_path):
    from openpyxl import load_workbook

    paper, csv_dir = tmp_path / "paper.xlsx", tmp_path / "csv"
    run(CORPUS / "r101_000.txt", CORPUS / "r101_001.docx", FIXTURES / "readers" / "truncated.pdf",
        "--xlsx", paper, "--csv", csv_dir, "-q", "--select", "F")
    book = load_workbook(paper)
    assert book.sheetnames == ["报告", "发现", "数据"]
    reports, findings, figures = (book[n] for n in book.sheetnames)
    assert reports.max_row == 4 and reports.freeze_panes == "B2" and reports.auto_filter.ref
    statuses = [reports.cell(row=r, column=5).value for r in range(2, 5)]
    assert statuses == ["有错误", "通过", "失败：corrupt-pdf"]
    assert findings.max_row == 1 + 3        # r101_000's three planted errors
    header = [c.value for c in figures[1]]
    assert "employee_medical/income.total" in header
    assert sorted(p.name for p in csv_dir.iterdir()) == ["figures.csv", "findings.csv", "reports.csv"]


def test_cross_report_checks(tmp_path):
    original = (CORPUS / "r101_000.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(original, encoding="utf-8")
    (tmp_path / "a-copy.txt").write_text(original, encoding="utf-8")              # same file twice
    (tmp_path / "b.txt").write_text(original.replace("武功县", "乾县"), encoding="utf-8")   # another region's copy
    result = run(tmp_path, "--json", "-q")
    reports = {Path(json.loads(l)["document"]["path"]).name: json.loads(l) for l in result.stdout.splitlines()}
    codes = {name: {f["code"] for f in r["findings"]} for name, r in reports.items()}
    assert "XD01" in codes["a.txt"] or "XD01" in codes["a-copy.txt"]
    assert "XC01" in codes["b.txt"]


def test_consecutive_years_of_a_region(tmp_path):
    (tmp_path / "2019.txt").write_text("某某县2019年度社会保险基金报告\n2019年工伤保险基金总收入1000万元，累计结余500万元。\n",
                                       encoding="utf-8")
    (tmp_path / "2020.txt").write_text("某某县2020年度社会保险基金报告\n2020年工伤保险基金总收入1200万元，较上年增加150万元，"
                                       "增长15%。当期结余20万元，累计结余600万元。\n", encoding="utf-8")
    result = run(tmp_path, "--json", "-q")
    later = [json.loads(l) for l in result.stdout.splitlines()][1]
    messages = [f["message"] for f in later["findings"] if f["code"] == "XY01"]
    assert any("1000" in m and "200" in m for m in messages), messages       # change 150 vs 1200 - 1000
    assert any("520" in m and "600" in m for m in messages), messages        # 500 + 20 vs 600


def test_resume_with_a_baseline_reports_no_stale_entries(tmp_path):
    report = tmp_path / "seed.docx"
    shutil.copy(FIXTURES / "qitai-2019.docx", report)
    baseline, out = tmp_path / "baseline.json", tmp_path / "out.jsonl"
    run(report, "--write-baseline", baseline, "-q")
    first = run(report, "--baseline", baseline, "--json", "-o", out, "-q")
    resumed = run(report, "--baseline", baseline, "--json", "-o", out, "-q", "--resume")
    assert "基线中的记录已不再出现" not in first.stderr
    assert "基线中的记录已不再出现" not in resumed.stderr     # its accepted findings were already removed
    assert resumed.returncode == 0


def test_findings_appended_to_a_json_line_are_what_rendering_gives(vocab):
    """with_more_findings splices cross-report findings into a report's written JSON line: the same
    text as rendering the report with them, whether it had findings before or none."""
    from extract_rules.engine import run_checks

    from extractor.models import Finding
    from extractor.pipeline import analyse
    from extractor.reporters import json as json_reporter

    _, checks, finalize = run_checks()
    extra = [Finding(code="XD01", name="duplicate-file", severity="warning", message="与「a.docx」内容完全相同"),
             Finding(code="XY01", name="year-over-year-mismatch", severity="warning",
                     message='较上年增减"引号"],"indicators":', figures=["f1"])]   # the marker, quoted
    with_findings = analyse(FIXTURES / "qitai-2019.txt", vocab, checks, finalize)
    without = analyse(FIXTURES / "qitai-2019.txt", vocab)
    assert with_findings.findings and not without.findings
    for report in (with_findings, without):
        line = json_reporter.render(report)
        grown = report.model_copy(update={"findings": report.findings + extra})
        assert json_reporter.with_more_findings(line, extra) == json_reporter.render(grown)
        assert json_reporter.with_more_findings(line, []) == line
        # spliced into a line that already holds the quoted marker
        twice = report.model_copy(update={"findings": report.findings + extra + extra})
        assert json_reporter.with_more_findings(json_reporter.render(grown), extra) == json_reporter.render(twice)

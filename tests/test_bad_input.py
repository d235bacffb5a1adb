"""Bad input never crashes a run or loses a result: every class of unreadable, odd or hostile file
gives a stable code and a one-line Chinese message naming the reason, and the per-file worker
(extractor.isolation) turns timeouts, the memory cap, crashes and exceptions into reports too.

Files come from tests/fixtures/make_bad_inputs.py (tests/fixtures/bad/) and
tests/fixtures/make_reader_fixtures.py (tests/fixtures/readers/). The LibreOffice and OCR tests
need `soffice` and `tesseract` with chi_sim (.ci/apt-packages.txt); they skip on a machine without
them, but fail under CI (the CI variable set) rather than skip.
"""
from __future__ import annotations

import functools
import multiprocessing
import os
import re
import shutil
import signal
import time
import tracemalloc
from pathlib import Path

import pytest
from lxml import etree

from extractor.errors import READ_ERROR_CODES, ReadError
from extractor.batch import analyse_isolated
from extractor.readers import read_document
from extractor.readers.sniff import detect_format

FIXTURES = Path(__file__).parent / "fixtures"
BAD = FIXTURES / "bad"
READERS = FIXTURES / "readers"
SEED = FIXTURES / "qitai-2019"

FUND_TABLE = [
    ["项目", "企业职工养老", "职工医保", "合计"],
    ["基金收入", "57271", "21491.42", "78762.42"],
    ["基金支出", "47318", "20271.50", "67589.50"],
]


def run_checks_factory():
    from extract_rules.engine import run_checks

    return functools.partial(run_checks, select=(), ignore=())


def require(tool: str, package: str, problem: str | None = None) -> None:
    """Skip without the tool on a developer's machine; under CI a missing tool is a failure."""
    if problem is None and shutil.which(tool) is None:
        problem = f"{tool} is not installed"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"{problem}: CI must install {package} (.ci/apt-packages.txt)")
        pytest.skip(f"{problem} (apt-get install {package})")


def require_tesseract() -> None:
    from extractor.readers.ocr import tesseract_problem

    require("tesseract", "tesseract-ocr tesseract-ocr-chi-sim", tesseract_problem())


def read_error(path: Path, **options) -> ReadError:
    with pytest.raises(ReadError) as raised:
        read_document(path, **options)
    return raised.value


def assert_one_chinese_line(code: str, message: str, reason: str) -> None:
    assert code in READ_ERROR_CODES
    assert "\n" not in message and "Traceback" not in message
    assert re.search(r"[\u4e00-\u9fff]", message)
    assert reason in message, message


def cells(document, table: int = 0) -> dict[tuple[int, int], str]:
    return {(b.cell.row, b.cell.col): b.text for b in document.blocks if b.cell and b.cell.table == table}


def seed_paragraphs(count: int) -> list[str]:
    lines = SEED.with_suffix(".txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip()][:count]


# --- every class of unreadable file: its code and a message that names the reason --------------

@pytest.mark.parametrize("path, code, reason", [
    (BAD / "empty.docx", "empty-file", "0 字节"),
    (READERS / "truncated.docx", "corrupt-docx", "损坏"),
    (READERS / "truncated.pdf", "corrupt-pdf", "不完整"),
    (READERS / "damaged.pdf", "corrupt-pdf", "损坏"),
    (READERS / "encrypted.pdf", "encrypted", "--password"),
    (READERS / "encrypted.docx", "encrypted", "密码"),
    (READERS / "scanned.pdf", "no-text-layer", "--ocr"),
    (READERS / "garbled.pdf", "garbled-text", "乱码"),
    (BAD / "zip-bomb.docx", "too-large", "压缩炸弹"),          # 64 MB inflated from 64 KB
    (BAD / "huge-declared.docx", "too-large", "解压后"),       # a member claiming 4 GB
    (BAD / "billion-laughs.docx", "unsafe-content", "实体"),   # entities in document.xml's DTD
    (BAD / "deep-nesting.docx", "too-large", "嵌套"),          # 20000 nested content controls
    (BAD / "many-pages.pdf", "too-large", "5000 页"),          # over the default cap of 500
    (BAD / "object-loop.pdf", "corrupt-pdf", "循环引用"),       # 5 0 R -> 6 0 R -> 5 0 R
], ids=lambda value: value.name if isinstance(value, Path) else None)
def test_unreadable_file_gives_code_and_one_line_reason(path, code, reason):
    error = read_error(path)
    assert error.code == code
    assert_one_chinese_line(error.code, error.message, reason)


def test_zip_bomb_is_refused_before_it_is_inflated():
    tracemalloc.start()
    try:
        error = read_error(BAD / "zip-bomb.docx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "too-large"
    assert peak < 8 * 2**20, f"{peak / 2**20:.0f} MB allocated: the 64 MB member was inflated"


def test_python_docx_parser_does_not_expand_entities():
    # The DTD check refuses the file first; this is the layer beneath it, verified on its own.
    import zipfile

    from docx.oxml.parser import oxml_parser

    with zipfile.ZipFile(BAD / "billion-laughs.docx") as archive:
        xml = archive.read("word/document.xml")
    tracemalloc.start()
    try:
        try:
            root = etree.fromstring(xml, oxml_parser)
            text = "".join(root.itertext())
        except etree.XMLSyntaxError as error:  # libxml2's own amplification limit
            text = str(error)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert text.count("lol") < 100
    assert peak < 8 * 2**20


def test_page_cap_is_configurable():
    error = read_error(SEED.with_suffix(".pdf"), max_pages=5)
    assert error.code == "too-large"
    assert_one_chinese_line(error.code, error.message, "共 13 页")
    assert "--max-pages" in error.message
    assert read_document(SEED.with_suffix(".pdf"), max_pages=13).pages == 13


# --- passwords ----------------------------------------------------------------------------------

def test_encrypted_pdf_opens_with_its_password():
    document = read_document(READERS / "encrypted.pdf", password="secret")
    assert cells(document)[(1, 1)] == "57271"


def test_wrong_pdf_password_says_so():
    error = read_error(READERS / "encrypted.pdf", password="not-it")
    assert error.code == "encrypted"
    assert_one_chinese_line(error.code, error.message, "密码不正确")


# --- the real format from the bytes -------------------------------------------------------------

def test_word_html_page_saved_as_doc_is_read_as_a_web_page():
    document = read_document(BAD / "html-report.doc")
    assert document.format == "html"
    assert document.encoding == "gb18030"  # declared gb2312, decoded with its superset
    paragraphs = [b.text for b in document.blocks if b.kind == "paragraph"]
    # Source lines broken inside Chinese text join up again, and runs of spaces are one space,
    # as a browser shows them.
    assert paragraphs[:6] == [" ".join(line.split()) for line in seed_paragraphs(6)]
    assert "1、单位：万元\n填报日期：2020年3月" in paragraphs
    assert paragraphs[-1] == "注：表中金额单位为万元。"
    table = cells(document)
    assert {key: table[key] for key in table if key[0] < 3} == {
        (row, col): text for row, values in enumerate(FUND_TABLE) for col, text in enumerate(values)}
    # 本年收支结余 spans two columns, so the next cell is at column 2
    assert {key: table[key] for key in table if key[0] == 3} == {
        (3, 0): "本年收支结余", (3, 2): "1219.92", (3, 3): "11172.92"}
    assert not any(re.search(r"</?\w|mso|WordDocument", b.text) for b in document.blocks)


def test_single_file_web_page_saved_as_doc_reads_like_the_html():
    mht = read_document(BAD / "mht-report.doc")
    html = read_document(BAD / "html-report.doc")
    assert mht.format == "mht"
    assert [(b.kind, b.cell, b.text) for b in mht.blocks] == [(b.kind, b.cell, b.text) for b in html.blocks]


def test_docx_named_doc_is_read_as_docx():
    document = read_document(BAD / "docx-named.doc")
    assert document.format == "docx"
    assert cells(document)[(1, 1)] == "57271"


@pytest.mark.parametrize("data, expected", [
    (b"<!DOCTYPE html>\n<html><body><p>x</p></body></html>", "html"),
    (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- saved --><html xmlns="http://www.w3.org/1999/xhtml">', "html"),
    ("<html><body>总收入</body></html>".encode("utf-16"), "html"),
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"x\"\r\n\r\n--x\r\n", "mht"),
    (b'<?xml version="1.0"?>\n<?mso-application progid="Word.Document"?>\n<w:wordDocument/>', "doc"),
    ("<表一>基金收入133590万元\n".encode("utf-8"), "txt"),
    ("各项基金总收入133590万元\n".encode("gbk"), "txt"),
], ids=["doctype", "xml-declaration", "utf16", "mht", "word-2003-xml", "text-starting-with-bracket", "gbk-text"])
def test_sniffing_markup(data, expected):
    assert detect_format(data) == expected


def test_ole2_spreadsheet_is_unsupported():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "Workbook".encode("utf-16-le") + bytes(64)
    with pytest.raises(ReadError) as raised:
        detect_format(data)
    assert raised.value.code == "unsupported-format" and "Excel" in raised.value.message


# --- legacy .doc / .wps through LibreOffice -----------------------------------------------------

def test_legacy_doc_is_converted_with_libreoffice():
    require("soffice", "libreoffice-writer-nogui")
    document = read_document(READERS / "legacy.doc")
    assert document.format == "doc"
    assert cells(document)[(1, 2)] == "21491.42"
    assert document.blocks[0].text == "2019年各项社会保险基金收支情况如下表："


def test_word_2003_xml_saved_as_doc_is_converted_with_libreoffice():
    require("soffice", "libreoffice-writer-nogui")
    document = read_document(BAD / "word-2003-xml.doc")
    assert document.format == "doc"
    assert cells(document)[(2, 3)] == "67589.50"


def test_legacy_doc_without_libreoffice_names_the_package(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no soffice on it
    error = read_error(READERS / "legacy.doc")
    assert error.code == "legacy-format"
    assert_one_chinese_line(error.code, error.message, "libreoffice-writer-nogui")


# --- OCR ----------------------------------------------------------------------------------------

def test_ocr_reads_a_scanned_report_and_marks_its_figures():
    require_tesseract()
    from extract_rules.engine import run_checks

    from extractor.pipeline import analyse

    report = analyse(BAD / "scanned-report.pdf", *run_checks(), ocr=True)
    assert report.document.error is None
    assert report.figures and all(figure.ocr for figure in report.figures)
    income = next(f for f in report.figures if f.metric == "income.total" and f.fund == "all")
    assert str(income.value) == "133590" and income.source.page == 1
    assert "133590" in income.source.text


def test_ocr_blocks_know_page_and_boxes():
    require_tesseract()
    document = read_document(BAD / "scanned-report.pdf", ocr=True)
    block = next(b for b in document.blocks if "133590" in b.text)
    assert block.ocr and block.page == 1
    assert len(block.char_boxes) == len(block.char_pages) == len(block.text)
    x0, top, x1, bottom = block.char_boxes[block.text.index("133590")]
    assert 0 < x0 < x1 < 612 and 0 < top < bottom < 792


def test_ocr_of_a_blank_scan_says_nothing_was_recognised():
    require_tesseract()
    error = read_error(READERS / "scanned.pdf", ocr=True)
    assert error.code == "no-text-layer"
    assert_one_chinese_line(error.code, error.message, "OCR 也没有识别出文字")


def test_ocr_without_tesseract_names_the_packages(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    error = read_error(READERS / "scanned.pdf", ocr=True)
    assert error.code == "no-text-layer"
    assert_one_chinese_line(error.code, error.message, "tesseract-ocr-chi-sim")


# --- the isolated worker: nothing a file does reaches the caller --------------------------------

def isolated(path: Path, **options):
    options.setdefault("checks_factory", run_checks_factory())
    return analyse_isolated(path, **{"timeout": 60.0, "memory_mb": 2048, **options})


def test_isolated_report_equals_the_in_process_one():
    from extract_rules.engine import run_checks

    from extractor.pipeline import analyse

    path = SEED.with_suffix(".docx")
    assert isolated(path) == analyse(path, *run_checks())


def test_read_error_in_the_worker_is_the_files_error_record():
    report = isolated(BAD / "zip-bomb.docx")
    assert report.document.error["code"] == "too-large"
    assert report.figures == [] and report.document.path.endswith("zip-bomb.docx")


def test_timeout_kills_the_worker():
    # 3 million characters on one page: minutes of work that only the deadline ends.
    started = time.monotonic()
    report = isolated(BAD / "slow-content.pdf", timeout=1.0)
    elapsed = time.monotonic() - started
    assert report.document.error["code"] == "timeout"
    assert_one_chinese_line("timeout", report.document.error["message"], "1 秒")
    assert elapsed < 30  # generous: 1 s, then SIGTERM and at most 2 s more before SIGKILL
    assert multiprocessing.active_children() == []


def test_memory_cap_turns_into_too_large(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(400 * 2**20)  # sparse: nothing written to disk, 400 MB to read
    report = isolated(big, memory_mb=200)
    assert report.document.error["code"] == "too-large"
    assert_one_chinese_line("too-large", report.document.error["message"], "内存")


def test_exception_in_the_worker_is_an_internal_error_with_its_type(capfd):
    report = isolated(SEED.with_suffix(".txt"), checks_factory=functools.partial(int, "not a number"))
    assert report.document.error["code"] == "internal-error"
    assert_one_chinese_line("internal-error", report.document.error["message"], "ValueError")
    assert "Traceback" not in capfd.readouterr().err


def test_worker_killed_by_a_signal_is_reported():
    report = isolated(SEED.with_suffix(".txt"), checks_factory=functools.partial(signal.raise_signal, signal.SIGUSR1))
    assert report.document.error["code"] == "internal-error"
    assert_one_chinese_line("internal-error", report.document.error["message"], "SIGUSR1")


def test_a_batch_goes_on_after_bad_files():
    paths = [SEED.with_suffix(".docx"), BAD / "slow-content.pdf", BAD / "billion-laughs.docx",
             READERS / "truncated.pdf", SEED.with_suffix(".txt")]
    # A short deadline for the slow file only: the others must not race it on a loaded machine.
    reports = [isolated(path, timeout=1.0 if path.name == "slow-content.pdf" else 60.0) for path in paths]
    codes = [r.document.error["code"] if r.document.error else None for r in reports]
    assert codes == [None, "timeout", "unsafe-content", "corrupt-pdf", None]
    assert reports[0].figures and reports[-1].figures


def test_a_folder_of_every_bad_file_and_the_seed(tmp_path):
    """Acceptance 2: the CLI over a folder mixing all bad files with the seed reports."""
    import json
    import shutil
    import subprocess
    import sys

    folder = tmp_path / "received"
    folder.mkdir()
    for source in [*BAD.iterdir(), *READERS.iterdir()]:
        if source.is_file() and source.suffix in (".docx", ".doc", ".pdf", ".txt", ".wps"):
            shutil.copy(source, folder / f"{source.parent.name}-{source.name}")
    for ext in ("txt", "docx", "pdf"):
        shutil.copy(SEED.with_suffix(f".{ext}"), folder / f"seed.{ext}")
    exe = Path(sys.executable).with_name("extract")
    result = subprocess.run([str(exe if exe.exists() else shutil.which("extract")), str(folder), "--json", "-q",
                             "--timeout", "5", "-j", "2", "--select", "F"],
                            capture_output=True, text=True, timeout=600)
    assert "Traceback" not in result.stderr
    reports = {Path(json.loads(line)["document"]["path"]).name: json.loads(line) for line in result.stdout.splitlines()}
    assert len(reports) == len(list(folder.iterdir()))
    for ext in ("txt", "docx", "pdf"):
        seed = reports[f"seed.{ext}"]
        assert seed["document"]["error"] is None and len(seed["figures"]) >= 150
    failed = {name: r["document"]["error"]["code"] for name, r in reports.items() if r["document"]["error"]}
    assert failed["bad-zip-bomb.docx"] == "too-large"
    assert failed["bad-billion-laughs.docx"] == "unsafe-content"
    assert failed["bad-slow-content.pdf"] == "timeout"
    assert failed["readers-truncated.pdf"] == "corrupt-pdf"
    assert "internal-error" not in failed.values()
    for name, code in failed.items():       # every bad file is listed on stderr with its code
        assert any(name in line and code in line for line in result.stderr.splitlines()), (name, code)
    assert result.returncode == 2


FUZZ = BAD / "fuzz"


@pytest.mark.parametrize("name, codes", [
    ("zip-version.docx", {"corrupt-docx"}),           # zipfile: NotImplementedError for a mangled version field
    ("malformed-bbox.pdf", {"corrupt-pdf"}),          # pdfplumber: MalformedPDFException
    ("pdfminer-index.pdf", {"corrupt-pdf"}),          # an IndexError deep inside pdfminer
])
def test_parser_failures_found_by_fuzzing_have_stable_codes(name, codes):
    report = isolated(FUZZ / name)
    assert report.document.error is not None and report.document.error["code"] in codes


def test_a_pdf_that_aborts_the_native_reader_is_retried_without_it(monkeypatch):
    """pdfium is C: on some damaged PDFs (the fuzz run found several) it aborts the whole worker.
    Such a file gets one more try on the pure-Python pdfplumber path in a fresh worker. Here the
    abort is forced for every pdfium read; workers are forked, so they inherit the patch."""
    import os

    import extractor.readers.pdf as pdf_reader

    real = pdf_reader.read_pdf

    def aborting(data, path="", *, text_engine="pdfium", **options):
        if text_engine == "pdfium":
            os.abort()
        return real(data, path, text_engine=text_engine, **options)

    import faulthandler

    monkeypatch.setattr(pdf_reader, "read_pdf", aborting)
    enabled = faulthandler.is_enabled()
    faulthandler.disable()          # pytest's handler would print the forced abort into the log
    try:
        report = isolated(SEED.with_suffix(".pdf"))
    finally:
        if enabled:
            faulthandler.enable()
    assert report.document.error is None
    assert len(report.figures) >= 150

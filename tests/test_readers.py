"""Readers on real files: the seed report in three formats, generated fixtures
(tests/fixtures/make_reader_fixtures.py) and the corpus (tests/fixtures/corpus)."""
from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import pytest

from extractor.blocks import CellRef, Document
from extractor.errors import READ_ERROR_CODES, ReadError
from extractor.readers import read_document

FIXTURES = Path(__file__).parent / "fixtures"
READERS = FIXTURES / "readers"
SEED = FIXTURES / "qitai-2019"
CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"

FUND_TABLE = [
    ["项目", "企业职工养老", "职工医保", "合计"],
    ["基金收入", "57271", "21491.42", "78762.42"],
    ["基金支出", "47318", "20271.50", "67589.50"],
    ["本年收支结余", "9953", "1219.92", "11172.92"],
]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def seed_lines() -> list[str]:
    text = SEED.with_suffix(".txt").read_text(encoding="utf-8")
    return [squash(line) for line in text.splitlines() if line.strip()]


def paragraphs(document: Document) -> list[str]:
    return [squash(block.text) for block in document.blocks if block.kind == "paragraph"]


def cells(document: Document, table: int = 0) -> dict[tuple[int, int], str]:
    return {(b.cell.row, b.cell.col): b.text for b in document.blocks if b.cell and b.cell.table == table}


def block_with(document: Document, text: str):
    return next(block for block in document.blocks if text in block.text)


@pytest.fixture(scope="module")
def seed_pdf() -> Document:
    return read_document(SEED.with_suffix(".pdf"))


# --- the seed report in three formats -----------------------------------------------------------

def test_txt_paragraphs_are_the_non_blank_lines():
    document = read_document(SEED.with_suffix(".txt"))
    assert document.format == "txt" and document.encoding == "utf-8"
    assert paragraphs(document) == seed_lines()


def test_docx_paragraphs_match_the_txt_in_order():
    document = read_document(SEED.with_suffix(".docx"))
    assert document.format == "docx"
    assert paragraphs(document) == seed_lines()


def test_pdf_rebuilds_every_paragraph_of_the_txt(seed_pdf):
    got = set(paragraphs(seed_pdf))
    missing = [line for line in seed_lines() if line not in got]
    assert not missing, f"{len(missing)} seed lines are not a PDF block: {missing}"
    assert paragraphs(seed_pdf) == seed_lines()


def test_every_reader_reports_format_hash_and_consecutive_indexes():
    for suffix, file_format in ((".txt", "txt"), (".docx", "docx"), (".pdf", "pdf")):
        path = SEED.with_suffix(suffix)
        document = read_document(path)
        assert document.format == file_format
        assert document.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert [block.index for block in document.blocks] == list(range(len(document.blocks)))


def test_pdf_blocks_know_the_page_and_box_of_every_character(seed_pdf):
    assert seed_pdf.pages == 13
    for block in seed_pdf.blocks:
        assert block.page is not None and 1 <= block.page <= 13
        assert len(block.char_pages) == len(block.char_boxes) == len(block.text)
        assert block.char_pages[0] == block.page
        for character, box in zip(block.text, block.char_boxes):
            assert (box is None) == character.isspace(), (block.text, character)
    balance = block_with(seed_pdf, "滚存结余 30112 万元")
    offset = balance.text.index("30112")
    x0, top, x1, bottom = balance.char_boxes[offset]
    assert balance.page_at(offset) == 1
    assert 0 < x0 < x1 < 612 and 0 < top < bottom < 792


def test_pdf_keeps_its_own_spaces_between_chinese_and_digits(seed_pdf):
    # Removing them is the normaliser's job, with an offset map; the reader keeps the text as is.
    assert "各项基金总收入 133590 万元" in block_with(seed_pdf, "133590").text


def test_pdf_paragraph_runs_over_a_page_break(seed_pdf):
    block = block_with(seed_pdf, "做好内部控制风险防控工作")
    assert block.page == 12
    assert block.page_at(block.text.index("规范经办机构")) == 13
    assert set(block.char_pages) == {12, 13}


def test_pdf_drops_running_header_and_page_number_footer():
    # Seed paragraphs printed under a running header and a "- N -" footer: the header would
    # otherwise be a block of its own on every page and cut the paragraphs at page breaks.
    document = read_document(READERS / "running-header.pdf")
    assert document.pages == 5
    assert paragraphs(document) == seed_lines()[:30]
    crossing = [block for block in document.blocks if len(set(block.char_pages)) > 1]
    assert len(crossing) >= 2


# --- docx structure -----------------------------------------------------------------------------

def test_docx_reads_tables_revisions_text_boxes_and_content_controls_in_order():
    document = read_document(READERS / "features.docx")
    got = [(block.kind, block.origin, block.cell, block.text) for block in document.blocks]
    assert got == [
        ("paragraph", "body", None, "一、社会保险基金收支情况"),
        # row 0: 项目 spans grid columns 0-1, so 合计 is at grid column 2
        ("cell", "body", CellRef(0, 0, 0), "项目"),
        ("cell", "body", CellRef(0, 0, 2), "合计"),
        ("cell", "body", CellRef(0, 1, 0), "基金收入"),
        ("cell", "body", CellRef(0, 1, 1), "133590"),
        # 13004 is merged down over row 2, which does not repeat it
        ("cell", "body", CellRef(0, 1, 2), "13004"),
        ("cell", "body", CellRef(0, 2, 0), "基金支出"),
        # the table nested in 基金支出's cell comes right after that cell
        ("cell", "body", CellRef(1, 0, 0), "其中"),
        ("cell", "body", CellRef(1, 0, 1), "47318"),
        ("cell", "body", CellRef(0, 2, 1), "120586"),
        ("paragraph", "body", None, "二、各项基金运行情况"),
        # the tracked insertion is read, the tracked deletion (9999) is not
        ("paragraph", "body", None, "基金当期结余13004万元。"),
        # hyperlink, smart tag, tab, simple field, complex field result (not its code), inline control
        ("paragraph", "body", None, "奇台县人社局\t第3页2019年总收入133590万元"),
        # the text box follows its anchor paragraph, once although Word stores it twice
        ("paragraph", "body", None, "收入构成见下图（单位：万元）"),
        ("paragraph", "textbox", None, "图1 基金收入133590万元"),
        ("paragraph", "sdt", None, "填报单位：奇台县社会保险事业管理局"),
        ("paragraph", "body", None, "五、附表"),
    ]


def test_docx_table_cells():
    document = read_document(READERS / "fund-table.docx")
    expected = {(row, col): text for row, values in enumerate(FUND_TABLE) for col, text in enumerate(values)}
    assert cells(document) == expected


# --- txt ----------------------------------------------------------------------------------------

def test_gbk_text_is_decoded_as_gb18030():
    document = read_document(READERS / "gbk.txt")
    assert document.encoding == "gb18030"
    assert [block.text for block in document.blocks] == [
        "一、社会保险基金收支余总体情况", "2019年本县各项基金总收入133590万元。"]


@pytest.mark.parametrize("data, encoding", [
    ("\ufeff总收入133590万元\n".encode("utf-8"), "utf-8-sig"),     # the BOM is not part of the text
    ("总收入133590万元\r\n".encode("utf-16"), "utf-16"),           # Notepad's "Unicode"
], ids=["utf8-bom", "utf16-notepad"])
def test_text_with_a_byte_order_mark_is_decoded(tmp_path, data, encoding):
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    document = read_document(path)
    assert document.encoding == encoding
    assert [block.text for block in document.blocks] == ["总收入133590万元"]


def test_pipe_tables_become_cells():
    document = read_document(READERS / "pipe-table.txt")
    assert paragraphs(document) == ["各项基金收支情况如下：", "注：单位为万元。"]
    assert cells(document, table=0) == {
        (0, 0): "项目", (0, 1): "企业职工养老", (0, 2): "职工医保", (0, 3): "合计",
        # the |---| rule is not a row; the empty cell is skipped but keeps its column
        (1, 0): "基金收入", (1, 1): "57271", (1, 2): "21491.42", (1, 3): "78762.42",
        (2, 0): "基金支出", (2, 1): "47318", (2, 3): "67589.50",
    }
    assert cells(document, table=1) == {(0, 0): "失业", (0, 1): "1590"}
    assert [block.kind for block in document.blocks][:2] == ["paragraph", "cell"]


# --- PDF tables and format sniffing -------------------------------------------------------------

def test_pdf_table_cells_are_cell_blocks_with_their_numbers():
    # fund-table.docx exported by LibreOffice: a ruled table between two paragraphs.
    document = read_document(READERS / "fund-table.pdf")
    expected = {(row, col): text for row, values in enumerate(FUND_TABLE) for col, text in enumerate(values)}
    assert cells(document) == expected
    assert paragraphs(document) == ["2019年各项社会保险基金收支情况如下表：", "注：表中金额单位为万元。"]
    income = block_with(document, "21491.42")
    assert income.kind == "cell" and income.page == 1
    assert len(income.char_boxes) == len(income.text) and None not in income.char_boxes
    # the table sits between the paragraphs in reading order
    assert [block.kind for block in document.blocks] == ["paragraph"] + ["cell"] * 16 + ["paragraph"]


def test_pdf_named_docx_is_read_as_pdf():
    document = read_document(READERS / "pdf-named.docx")
    assert document.format == "pdf"
    assert cells(document)[(1, 1)] == "57271"


# --- unreadable files ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, code", [
    ("empty.txt", "empty-file"),
    ("truncated.docx", "corrupt-docx"),
    ("truncated.pdf", "corrupt-pdf"),     # cut short: no %%EOF
    ("damaged.pdf", "corrupt-pdf"),       # cut short but ends with %%EOF: the parser fails
    ("encrypted.docx", "encrypted"),
    ("encrypted.pdf", "encrypted"),
    ("scanned.pdf", "no-text-layer"),
    ("garbled.pdf", "garbled-text"),
    ("no-such-file.docx", "not-found"),
])
def test_unreadable_files_raise_read_error_with_code(name, code):
    with pytest.raises(ReadError) as raised:
        read_document(READERS / name)
    assert_read_error(raised.value, code)


def test_scanned_pdf_message_points_to_ocr():
    with pytest.raises(ReadError) as raised:
        read_document(READERS / "scanned.pdf")
    assert "--ocr" in raised.value.message


@pytest.mark.parametrize("name, data, code", [
    ("image.docx", b"\x89PNG\r\n\x1a\n" + bytes(64), "unsupported-format"),
    ("binary.txt", b"\x01\x02\x00\x00\x07" * 20, "unsupported-format"),
    ("bad.txt", "总收入".encode("utf-8") + b"\xff\xfe\x80", "decode-error"),
    ("report.rtf", b"{\\rtf1\\ansi text}", "unsupported-format"),
], ids=["png-named-docx", "binary", "neither-utf8-nor-gb18030", "rtf"])
def test_unreadable_bytes_raise_read_error_with_code(tmp_path, name, data, code):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ReadError) as raised:
        read_document(path)
    assert_read_error(raised.value, code)


@pytest.mark.parametrize("member, code", [
    ("docProps/app.xml", "corrupt-docx"),       # a zip without word/document.xml: a damaged Word file
    ("xl/workbook.xml", "unsupported-format"),  # an Excel workbook named .docx
], ids=["zip-without-word-document", "excel-workbook"])
def test_zip_packages_that_are_no_word_document(tmp_path, member, code):
    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<x/>")
    with pytest.raises(ReadError) as raised:
        read_document(path)
    assert_read_error(raised.value, code)


def assert_read_error(error: ReadError, code: str) -> None:
    assert error.code == code
    assert code in READ_ERROR_CODES
    assert "\n" not in error.message and re.search(r"[\u4e00-\u9fff]", error.message)


# --- the shared corpus --------------------------------------------------------------------------

CORPUS_FILES = sorted(p for p in CORPUS.glob("r101_*") if p.suffix in {".txt", ".docx", ".pdf"})


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_corpus_reports_read_into_paragraphs(path):
    document = read_document(path)
    texts = paragraphs(document)
    assert any(text.startswith("一、") for text in texts)
    assert any("社会保险基金" in text for text in texts)
    # A paragraph cut in two at a line or page break leaves a piece that holds a full stop
    # but does not end with one; whole paragraphs end with one or are headings and titles.
    cut = [text for text in texts if "。" in text and not text.endswith(("。", "."))]
    assert not cut


def test_corpus_pdf_fund_table_is_read_as_cells():
    document = read_document(CORPUS / "r101_005.pdf")
    table = cells(document)
    assert [table[(0, col)] for col in range(9)] == [
        "项目", "企业职工养老", "机关事业养老", "城乡居民养老", "职工医保", "居民医保", "工伤", "失业", "合计"]
    assert table[(1, 0)] == "一、基金收入" and table[(1, 1)] == "67374"


def test_utf8_text_with_a_few_damaged_bytes_is_still_read(tmp_path):
    data = bytearray((FIXTURES / "qitai-2019.txt").read_bytes())
    data[500], data[900] = 0xFF, 0xFE
    damaged = tmp_path / "damaged.txt"
    damaged.write_bytes(bytes(data))
    document = read_document(damaged)
    assert document.encoding == "utf-8 (damaged bytes replaced)"
    assert sum(b.text.count("\ufffd") for b in document.blocks) >= 2
    assert any("133590" in b.text for b in document.blocks)


def test_binary_noise_is_not_text(tmp_path):
    noise = tmp_path / "noise.txt"
    noise.write_bytes(bytes(range(128, 256)) * 40)
    with pytest.raises(ReadError) as error:
        read_document(noise)
    assert error.value.code in ("decode-error", "unsupported-format")

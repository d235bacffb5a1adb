"""PDF reports: paragraphs rebuilt from text lines, and table cells, with every character's page
and box kept so a figure found later can be pointed at on the page.

Word-to-PDF export breaks lines anywhere, even inside words and numbers' labels, so lines are
joined back into paragraphs: a line continues the previous one unless it is indented, starts
with a heading number, follows a gap wider than the line spacing, or the previous line stopped
short of the right margin by more than the width of the line's first word (Word would have put
that word on the previous line). This also joins a paragraph across a page break.

Two text engines give the characters: pdfium (extractor.readers.pdfium, the default: fast, C) for
pages without vector graphics, and pdfplumber for pages that may hold a ruled table (its table
finder gives the cells), for pages pdfium cannot read the way pdfplumber does, and for the whole
file when pdfium cannot open it. `text_engine="pdfplumber"` reads every page with pdfplumber: the
reference the pdfium path is tested against (tests/test_pdf_paths.py).
"""
from __future__ import annotations

import io
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from extractor.blocks import BBox, Block, CellRef, Document
from extractor.errors import ReadError

Char = dict[str, Any]  # a pdfplumber char object

# A heading number at the start of a line starts a paragraph, whatever the margins say.
HEADING_START = re.compile(
    r"""^\s*(?:
        [一二三四五六七八九十]+、              # 一、 section
      | [（(][一二三四五六七八九十]+[）)]      # （一） subsection
      | \d{1,2}[、．]                        # 1、 item
      | \d{1,2}\.(?!\d)                      # 1. item, but not 10.89% carried onto a new line
      | [（(]\d{1,2}[）)]                     # （1） item
      | [①-⑳]                               # circled item numbers
      | 第[一二三四五六七八九十百]+[章节条部分]   # 第一章
    )""",
    re.VERBOSE,
)
# A running header or footer that is only a page number: 3, - 3 -, 第3页, 第3页 共13页, 3/13.
PAGE_NUMBER = re.compile(
    r"""^[\s\-—–－·]*
        (?:第\s*)?\d{1,4}(?:\s*页)?
        (?:\s*[，,]?\s*(?:[/／]|共)\s*\d{1,4}\s*页?)?
        [\s\-—–－·]*$""",
    re.VERBOSE,
)
# Punctuation Word keeps off the start of a line (it pulls the previous character down with it)
# and punctuation it keeps off the end of a line (it goes down with the next character).
NO_LINE_START = set("，。、；：？！）)]}》〉】〕%．.,;:!?…·")
NO_LINE_END = set("（([{《〈【〔")
# Quotation marks hold on to both neighbours (Unicode line breaking, class QU): 行动”方案 breaks
# before 动 or after 方, never next to the quote.
QUOTES = set("“”‘’\"'")
ASCII_ALNUM = set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
ASCII_WORD = ASCII_ALNUM | set(".,%")  # Word does not break inside 21,491.42 or 14.25%

INDENT_MIN = 0.5           # in font sizes: a line starting this far right of the margin is indented
# In font sizes: slack when asking whether a word fitted on the line before. Besides rounding it
# covers the quarter-em that Word and LibreOffice put between Chinese and Latin/digits.
FIT_TOLERANCE = 0.35
PARAGRAPH_GAP = 1.4        # line pitch this many times the usual one means a blank gap between paragraphs
MARGIN_SHARE = 0.05        # share of a page group's lines that must start at x for x to be the margin
RIGHT_MARGIN_PERCENTILE = 0.9  # lower than the longest line, so one overlong line does not move it

# Text-layer health: below this many characters per page the PDF is a scan.
MIN_CHARS_PER_PAGE = 10
# Pages read at most, unless the caller says otherwise (`--max-pages`): a fund report has tens
# of pages; thousands are a hostile or mistaken file that would take minutes.
MAX_PAGES = 500
# `5 0 obj 6 0 R endobj`: an object that is nothing but a reference to another. pdfminer follows
# such chains without end when they loop, so a loop among them is refused before parsing. (One
# hidden in a compressed object stream is not seen here; the per-file timeout stops that one.)
REFERENCE_ONLY_OBJECT = re.compile(rb"(?<![0-9])([0-9]+)\s+[0-9]+\s+obj\s*([0-9]+)\s+[0-9]+\s+R\s*endobj")


@dataclass(slots=True)
class _Text:
    """Text with the page and box of each character (box None for spaces no glyph stands for)."""
    text: list[str] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    boxes: list[BBox | None] = field(default_factory=list)

    def add(self, text: str, page: int, box: BBox | None) -> None:
        for character in text:  # a glyph can map to several characters (ligatures, "(cid:12)")
            self.text.append(character)
            self.pages.append(page)
            self.boxes.append(box)

    def extend(self, other: _Text) -> None:
        self.text.extend(other.text)
        self.pages.extend(other.pages)
        self.boxes.extend(other.boxes)


@dataclass(slots=True)
class _Line:
    page: int
    content: _Text
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # font size of the first character: the unit for indents and slack


@dataclass(slots=True)
class _Cell:
    row: int
    col: int
    content: _Text


@dataclass(slots=True)
class _Table:
    top: float
    cells: list[_Cell]


@dataclass(slots=True)
class _Page:
    number: int
    size: tuple[int, int]
    items: list[_Line | _Table]  # top to bottom


@dataclass(slots=True)
class _CharCounts:
    total: int = 0
    cjk: int = 0
    garbled: int = 0


@dataclass(frozen=True, slots=True)
class _Margins:
    left: float
    right: float
    line_pitch: float | None


def read_pdf(data: bytes, path: str = "", *, password: str | None = None, max_pages: int | None = MAX_PAGES,
             ocr: bool = False, text_engine: str = "pdfium") -> Document:
    """Read a PDF from its bytes. `sha256` is left for read_document to fill in.

    `password` opens an encrypted PDF; with `ocr`, a PDF without a usable text layer (scanned,
    or garbled) is rendered and read by tesseract instead (extractor.readers.ocr).
    `text_engine` is "pdfium" (pdfplumber only where needed) or "pdfplumber" (every page).
    """
    if text_engine not in ("pdfium", "pdfplumber"):
        raise ValueError(f"unknown PDF text engine {text_engine!r}")
    if b"%%EOF" not in data:
        raise ReadError("corrupt-pdf", "PDF 文件不完整（缺少结束标记），可能下载或传输时中断")
    _refuse_reference_loops(data)
    counts = _CharCounts()
    try:
        pages = _read_pages(data, counts, password, max_pages, text_engine)
        _check_text_layer(counts, len(pages))
    except ReadError as error:
        if ocr and error.code in ("no-text-layer", "garbled-text"):
            from extractor.readers.ocr import ocr_pdf

            reason = "PDF 没有文字层（扫描件）" if error.code == "no-text-layer" else "PDF 文字层是乱码"
            return replace(ocr_pdf(data, path, password=password, max_pages=max_pages, reason=reason), path=path)
        raise
    except RecursionError:
        raise ReadError("corrupt-pdf", "PDF 文件结构异常（对象循环引用或嵌套过深），无法解析") from None
    _drop_headers_and_footers(pages)
    blocks = _assemble(pages, _margins_by_page(pages))
    return Document(path=path, format="pdf", blocks=tuple(blocks), pages=len(pages))


def _refuse_reference_loops(data: bytes) -> None:
    refers_to = {int(m[1]): int(m[2]) for m in REFERENCE_ONLY_OBJECT.finditer(data)}
    settled: set[int] = set()  # chains already followed to an end
    for start in refers_to:
        chain: set[int] = set()
        number = start
        while number in refers_to and number not in settled:
            if number in chain:
                raise ReadError("corrupt-pdf", f"PDF 文件结构异常：对象 {number} 经引用链指回自身（循环引用），无法解析")
            chain.add(number)
            number = refers_to[number]
        settled |= chain


def _read_pages(data: bytes, counts: _CharCounts, password: str | None = None,
                max_pages: int | None = MAX_PAGES, text_engine: str = "pdfium") -> list[_Page]:
    if text_engine == "pdfium":
        from extractor.readers.pdfium import PdfiumUnusable, read_pages

        try:
            return read_pages(data, counts, password, max_pages)
        except PdfiumUnusable:
            counts.total = counts.cjk = counts.garbled = 0
    with _opened(data, password) as pdf:
        _check_page_count(_declared_page_count(pdf), max_pages)
        _check_page_count(len(pdf.pages), max_pages)  # the declared count can lie
        return [_read_plumber_page(page, counts) for page in pdf.pages]


def _read_plumber_pages(data: bytes, counts: _CharCounts, password: str | None,
                        numbers: list[int]) -> dict[int, _Page]:
    """Some pages (numbered from 1) read by pdfplumber, for the pdfium path."""
    with _opened(data, password) as pdf:
        return {number: _read_plumber_page(pdf.pages[number - 1], counts) for number in numbers}


def _read_plumber_page(page: Any, counts: _CharCounts) -> _Page:
    try:
        return _read_page(page, counts)
    finally:
        page.close()  # drop the page's cached objects: memory stays flat on long reports


@contextmanager
def _opened(data: bytes, password: str | None) -> Iterator[Any]:
    """The file opened by pdfplumber; pdfminer's errors, wherever they come up, as ReadErrors."""
    import logging

    import pdfplumber

    # pdfminer logs its repairs of damaged streams as warnings; unconfigured, Python prints them on
    # stderr, between the tool's own one-line messages. What matters reaches the user as a ReadError.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data), password=password or "") as pdf:
            yield pdf
    except (PdfminerException, PSException) as error:
        cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
        if isinstance(cause, (MemoryError, RecursionError)):
            raise cause from None  # not a damaged file: too big (see extractor.isolation) or a loop
        if isinstance(cause, PDFPasswordIncorrect) and password:
            raise ReadError("encrypted", "PDF 密码不正确（--password），无法打开") from None
        if isinstance(cause, PDFEncryptionError):
            raise ReadError("encrypted", "PDF 设置了打开密码或不支持的加密方式，请用 --password 提供密码或去除密码后再处理") from None
        raise ReadError("corrupt-pdf", "PDF 文件已损坏，无法解析") from None


def _declared_page_count(pdf: Any) -> int:
    """The page tree's own /Count: known before any page is parsed."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:  # noqa: BLE001 - a broken page tree is found when the pages are read
        return 0
    return count if isinstance(count, int) else 0


def _check_page_count(count: int, max_pages: int | None) -> None:
    if max_pages is not None and count > max_pages:
        raise ReadError("too-large", f"PDF 共 {count} 页，超过上限 {max_pages} 页（可用 --max-pages 调整）")


def _read_page(page: Any, counts: _CharCounts) -> _Page:
    tables = _find_tables(page)
    body_chars: list[Char] = []
    table_chars: list[list[Char]] = [[] for _ in tables]
    for char in page.chars:  # the one pass over the page's characters
        _count_char(char["text"], counts)
        table = _table_holding(char, tables)
        if table is None:
            body_chars.append(char)
        else:
            table_chars[table].append(char)
    items: list[_Line | _Table] = [*_text_lines(body_chars, page.page_number)]
    items += [_read_table(table, chars, page.page_number) for table, chars in zip(tables, table_chars)]
    items.sort(key=lambda item: item.top)
    return _Page(page.page_number, (round(page.width), round(page.height)), items)


def _find_tables(page: Any) -> list[Any]:
    # The default table finder follows ruling lines; a page without any has no table to find,
    # and skipping the finder there keeps plain text pages as cheap as extract_text.
    if not (page.lines or page.rects or page.curves):
        return []
    return page.find_tables()


def _table_holding(char: Char, tables: list[Any]) -> int | None:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    for index, table in enumerate(tables):
        x0, top, x1, bottom = table.bbox
        if x0 <= x <= x1 and top <= y <= bottom:
            return index
    return None


def _count_char(text: str, counts: _CharCounts) -> None:
    if text.isspace():
        return
    counts.total += 1
    if text.startswith("(cid:") or any(_is_garbled(c) for c in text):
        counts.garbled += 1
    elif any(_is_cjk(c) for c in text):
        counts.cjk += 1


def _is_garbled(character: str) -> bool:
    # Private-use code points and U+FFFD are what fonts without a Unicode map decode to.
    return "\ue000" <= character <= "\uf8ff" or character == "\ufffd"


def _is_cjk(character: str) -> bool:
    return "\u4e00" <= character <= "\u9fff" or "\u3400" <= character <= "\u4dbf" or "\uf900" <= character <= "\ufaff"


def _text_lines(chars: list[Char], page: int) -> list[_Line]:
    """The lines pdfplumber's extract_text would give, keeping each character's box."""
    if not chars:
        return []
    from pdfplumber.utils import chars_to_textmap

    return _lines_from_textmap(chars_to_textmap(chars).tuples, page)


def _lines_from_textmap(tuples: list[tuple[str, Char | None]], page: int) -> list[_Line]:
    """Lines out of a text map: (text, char) pairs, ("\n", None) between lines, (" ", None) between words."""
    lines: list[_Line] = []
    current: list[tuple[str, Char | None]] = []
    for text, char in tuples:
        if text == "\n":
            _close_line(current, page, lines)
            current = []
        elif not _duplicates(char, current):
            current.append((text, char))
    _close_line(current, page, lines)
    return lines


def _duplicates(char: Char | None, line: list[tuple[str, Char | None]]) -> bool:
    """A glyph drawn twice over itself (how some exporters fake bold) is one character."""
    if char is None or not line or line[-1][1] is None:
        return False
    previous = line[-1][1]
    return (previous["text"] == char["text"] and abs(previous["x0"] - char["x0"]) < 1
            and abs(previous["top"] - char["top"]) < 1)


def _close_line(tuples: list[tuple[str, Char | None]], page: int, lines: list[_Line]) -> None:
    chars = [char for _, char in tuples if char is not None]
    if not chars or all(char["text"].isspace() for char in chars):
        return
    while tuples[0][0].isspace():
        tuples = tuples[1:]
    while tuples[-1][0].isspace():
        tuples = tuples[:-1]
    content = _Text()
    for text, char in tuples:
        content.add(text, page, _box(char) if char is not None and not text.isspace() else None)
    first = next(char for _, char in tuples if char is not None)
    lines.append(_Line(
        page=page, content=content,
        x0=min(char["x0"] for char in chars), x1=max(char["x1"] for char in chars),
        top=min(char["top"] for char in chars), bottom=max(char["bottom"] for char in chars),
        size=first["size"],
    ))


def _box(char: Char) -> BBox:
    return (char["x0"], char["top"], char["x1"], char["bottom"])


def _drop_headers_and_footers(pages: list[_Page]) -> None:
    """Remove running headers and footers: a page's first or last line that is only a page
    number, or that comes back at the same height on at least half of the pages (digits aside).
    Left in, they would also cut every paragraph that runs over a page break."""
    edges = [(page, line, (re.sub(r"\d+", "#", _plain(line)), round(height)))
             for page in pages for line, height in _edge_lines(page)]
    repeats = Counter(key for _, _, key in edges)
    needed = max(2, math.ceil(len(pages) / 2))
    for page, line, key in edges:
        if repeats[key] >= needed or PAGE_NUMBER.match(_plain(line)):
            page.items.remove(line)


def _edge_lines(page: _Page) -> list[tuple[_Line, float]]:
    """The first line with its top and the last line with its bottom."""
    lines = [item for item in page.items if isinstance(item, _Line)]
    if len(lines) < 2:
        return [(line, line.top) for line in lines]
    return [(lines[0], lines[0].top), (lines[-1], lines[-1].bottom)]


def _plain(line: _Line) -> str:
    return "".join(line.content.text)


def _read_table(table: Any, chars: list[Char], page: int) -> _Table:
    """One _Cell per cell that holds text; a merged cell is where pdfplumber starts it."""
    slots = [(bbox, CellRef(-1, row, col))  # the table number is given when blocks are made
             for row, cells in enumerate(table.rows) for col, bbox in enumerate(cells.cells)
             if bbox is not None]
    chars_in_slot: list[list[Char]] = [[] for _ in slots]
    for char in chars:
        x = (char["x0"] + char["x1"]) / 2
        y = (char["top"] + char["bottom"]) / 2
        for index, ((x0, top, x1, bottom), _) in enumerate(slots):
            if x0 <= x <= x1 and top <= y <= bottom:
                chars_in_slot[index].append(char)
                break
    cells = []
    for (_, ref), cell_chars in zip(slots, chars_in_slot):
        content = _joined(_text_lines(cell_chars, page))
        if "".join(content.text).strip():
            cells.append(_Cell(ref.row, ref.col, content))
    return _Table(top=table.bbox[1], cells=cells)


def _joined(lines: list[_Line]) -> _Text:
    """The lines of a cell as one text, joined the way paragraph lines are."""
    content = _Text()
    for line in lines:
        _append_line(content, line)
    return content


def _append_line(content: _Text, line: _Line) -> None:
    # Chinese lines join with nothing between them; two Latin words or numbers need a space.
    if content.text and content.text[-1] in ASCII_ALNUM and line.content.text[0] in ASCII_ALNUM:
        content.add(" ", content.pages[-1], None)
    content.extend(line.content)


def _check_text_layer(counts: _CharCounts, page_count: int) -> None:
    if counts.total < MIN_CHARS_PER_PAGE * max(page_count, 1):
        raise ReadError("no-text-layer",
                        "PDF 没有文字层（可能是扫描件），可用 --ocr 选项或先用 OCR 软件识别后再处理")
    if counts.garbled * 2 > counts.total and counts.cjk * 20 < counts.total:
        raise ReadError("garbled-text",
                        "PDF 文字层是乱码（字体缺少 Unicode 映射），请用原始 Word 文件或先用 OCR 软件识别")


def _margins_by_page(pages: list[_Page]) -> dict[int, _Margins]:
    """Margins and line pitch per page size: pages of one size share a layout, and a page
    with a few short lines cannot tell where its right margin is on its own."""
    groups: dict[tuple[int, int], list[_Page]] = {}
    for page in pages:
        groups.setdefault(page.size, []).append(page)
    margins = {}
    for group in groups.values():
        group_margins = _margins([item for page in group for item in page.items if isinstance(item, _Line)])
        margins.update((page.number, group_margins) for page in group)
    return margins


def _margins(lines: list[_Line]) -> _Margins:
    if not lines:
        return _Margins(left=0.0, right=0.0, line_pitch=None)
    starts = Counter(round(line.x0) for line in lines)
    needed = max(2, MARGIN_SHARE * len(lines))
    common_starts = [x for x, count in starts.items() if count >= needed]
    left = min(common_starts) if common_starts else min(starts)
    ends = sorted(line.x1 for line in lines)
    right = ends[int(RIGHT_MARGIN_PERCENTILE * (len(ends) - 1))]
    pitches = [line.top - previous.top for previous, line in zip(lines, lines[1:])
               if line.page == previous.page and line.top > previous.top]
    return _Margins(left=left, right=right, line_pitch=statistics.median(pitches) if pitches else None)


def _assemble(pages: list[_Page], margins: dict[int, _Margins]) -> list[Block]:
    """Blocks in reading order: paragraphs joined across lines and pages, tables' cells."""
    blocks: list[Block] = []
    paragraph: _Text | None = None
    previous: _Line | None = None
    table_count = 0

    def flush() -> None:
        nonlocal paragraph
        if paragraph is not None:
            blocks.append(_block(len(blocks), paragraph))
            paragraph = None

    for page in pages:
        page_margins = margins[page.number]
        for item in page.items:
            if isinstance(item, _Table):
                flush()
                previous = None
                for cell in item.cells:
                    blocks.append(_block(len(blocks), cell.content, CellRef(table_count, cell.row, cell.col)))
                table_count += 1
                continue
            if paragraph is not None and previous is not None and _continues(
                    previous, item, margins[previous.page], page_margins):
                _append_line(paragraph, item)
            else:
                flush()
                paragraph = _Text()
                paragraph.extend(item.content)
            previous = item
    flush()
    return blocks


def _block(index: int, content: _Text, cell: CellRef | None = None) -> Block:
    return Block(
        index=index, text="".join(content.text), kind="cell" if cell else "paragraph",
        page=content.pages[0], cell=cell,
        char_pages=tuple(content.pages), char_boxes=tuple(content.boxes),
    )


def _continues(previous: _Line, line: _Line, previous_margins: _Margins, margins: _Margins) -> bool:
    """Whether `line` goes on with the paragraph that `previous` belongs to."""
    if HEADING_START.match(_plain(line)):
        return False
    if line.x0 > margins.left + INDENT_MIN * line.size:
        return False
    if line.page == previous.page and margins.line_pitch is not None:
        if line.top - previous.top > PARAGRAPH_GAP * margins.line_pitch:
            return False
    room_left = previous_margins.right - previous.x1
    return room_left <= _first_word_width(line) + FIT_TOLERANCE * line.size


def _first_word_width(line: _Line) -> float:
    """Width of what Word would have had to fit on the previous line to not break here: a Latin
    word or number, or one Chinese character, with the punctuation and quotes that stick to it."""
    text, boxes = line.content.text, line.content.boxes
    end = 0
    while end < len(text) and (text[end] in NO_LINE_END or text[end] in QUOTES):
        end += 1
    end = _unit_end(text, end)
    while end < len(text):
        if text[end] in QUOTES:
            end = _unit_end(text, end + 1)
        elif text[end] in NO_LINE_START:
            end += 1
        else:
            break
    word_boxes = [box for box in boxes[:end] if box is not None]
    return word_boxes[-1][2] - word_boxes[0][0] if word_boxes else 0.0


def _unit_end(text: list[str], start: int) -> int:
    """End of the unbreakable unit at `start`: a Latin word or number, or one character."""
    end = start
    while end < len(text) and text[end] in ASCII_WORD:
        end += 1
    return end if end > start else min(start + 1, len(text))

"""Web pages saved as Word files: Word's "save as web page" (.htm renamed .doc) and "single file
web page" (.mht), which reporting systems hand out as "Word" downloads. Read as what a browser
shows: paragraphs, line breaks and table cells, not the tags.
"""
from __future__ import annotations

import email
import email.policy
import re
import unicodedata

from extractor.blocks import Block, CellRef, Document
from extractor.errors import ReadError
from extractor.readers.txt import decode_text

# Elements that start and end a paragraph of their own.
BLOCK_TAGS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre",
    "address", "center", "section", "article", "header", "footer", "caption", "ul", "ol", "dl",
    "hr", "form", "fieldset", "figure", "figcaption", "main", "nav", "aside",
}
# Elements whose text is never shown (Word puts document properties in <xml> in the head).
HIDDEN_TAGS = {"head", "title", "script", "style", "noscript", "template", "xml", "object", "iframe", "select"}
CELL_TAGS = {"td", "th"}
ROW_GROUPS = {"thead", "tbody", "tfoot"}
LINE_BREAK = "\u2028"  # stands for <br> until whitespace is collapsed, which must not eat it

# <meta charset="gbk"> or <meta http-equiv=Content-Type content="text/html; charset=gb2312">
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")
WHITESPACE = re.compile(r"[ \t\r\n\f]+")
MAX_TABLE_SPAN = 100  # a colspan/rowspan beyond this is a broken page, not a layout


def read_html(data: bytes, path: str = "", charset: str | None = None) -> Document:
    """Read an HTML page from its bytes. `sha256` is left for read_document to fill in."""
    import lxml.html
    from lxml import etree

    text, encoding = decode_html(data, charset)
    text = XML_DECLARATION.sub("", text, count=1)  # lxml refuses a str that declares its encoding
    if not text.strip():
        raise ReadError("empty-file", "网页文件没有内容")
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        raise ReadError("unsupported-format", "网页文件无法解析") from None
    body = root.find("body")
    collector = _HtmlCollector()
    collector.container(body if body is not None else root)
    return Document(path=path, format="html", blocks=tuple(collector.blocks), encoding=encoding)


def read_mht(data: bytes, path: str = "") -> Document:
    """A MIME message (.mht): the first text/html part, decoded with the charset it declares."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                document = read_html(payload, path, part.get_content_charset())
                return Document(path=path, format="mht", blocks=document.blocks, encoding=document.encoding)
    raise ReadError("unsupported-format", "MHT 网页文件中没有 HTML 正文")


def decode_html(data: bytes, charset: str | None = None) -> tuple[str, str]:
    """Decode with the charset the MIME part or the page declares, else as a text file is."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        declared = META_CHARSET.search(data[:8192])
        charset = charset or (declared.group(1).decode("ascii", "replace") if declared else None)
        if charset:
            # GB2312 and GBK pages routinely use characters beyond their declared set.
            if charset.lower().replace("-", "").replace("_", "") in {"gb2312", "gbk", "cp936", "xgbk", "euccn"}:
                charset = "gb18030"
            try:
                return data.decode(charset), charset.lower()
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong declaration: fall back to what the bytes say
    return decode_text(data)


def collapse_whitespace(text: str) -> str:
    """Whitespace as a browser shows it: a run is one space, except that a line break in the
    source between two Chinese characters is nothing (CSS segment-break rules)."""
    def replace(match: re.Match[str]) -> str:
        run = match.group()
        if "\n" in run or "\r" in run:
            before = text[match.start() - 1] if match.start() else ""
            after = text[match.end()] if match.end() < len(text) else ""
            if _wide(before) and _wide(after):
                return ""
        return " "

    collapsed = WHITESPACE.sub(replace, text.replace("\xa0", " "))
    lines = [line.strip(" ") for line in collapsed.split(LINE_BREAK)]
    return "\n".join(lines).strip("\n")


def _wide(character: str) -> bool:
    return bool(character) and unicodedata.east_asian_width(character) in ("W", "F")


class _HtmlCollector:
    """Blocks in document order: text between block-level tags is a paragraph; table cells are
    cells, placed on the table's grid (colspan and rowspan taken into account)."""

    def __init__(self, set_aside_tables: list | None = None) -> None:
        self.blocks: list[Block] = []
        self.table_count = 0
        self.buffer: list[str] = []
        # Reading a cell's text: tables met inside go here, to be read after the outer table.
        self.set_aside_tables = set_aside_tables

    def add(self, text: str, cell: CellRef | None = None) -> None:
        self.blocks.append(Block(index=len(self.blocks), text=text, kind="cell" if cell else "paragraph", cell=cell))

    def flush(self) -> None:
        text = collapse_whitespace("".join(self.buffer))
        self.buffer = []
        if text.strip():
            self.add(text)

    def container(self, element) -> None:
        self.inline(element)
        self.flush()

    def inline(self, element) -> None:
        """The element's own text and its children, flushing around block-level ones."""
        if element.text:
            self.buffer.append(element.text)
        for child in element:
            tag = child.tag.lower() if isinstance(child.tag, str) else None  # comments, PIs
            if tag is None or tag in HIDDEN_TAGS:
                pass
            elif tag == "br":
                self.buffer.append(LINE_BREAK)
            elif tag == "table" and self.set_aside_tables is not None:
                self.set_aside_tables.append(child)
            elif tag == "table":
                self.flush()
                self.table(child)
            elif tag in BLOCK_TAGS or tag in CELL_TAGS or tag == "tr":
                self.flush()
                self.inline(child)
                self.flush()
            else:
                self.inline(child)
            if child.tail:
                self.buffer.append(child.tail)

    def table(self, table) -> None:
        number = self.table_count
        self.table_count += 1
        taken: set[tuple[int, int]] = set()  # grid slots covered by a cell from a row above
        nested: list = []
        for row, tr in enumerate(_rows(table)):
            col = 0
            for td in tr:
                if not isinstance(td.tag, str) or td.tag.lower() not in CELL_TAGS:
                    continue
                while (row, col) in taken:
                    col += 1
                text = self.cell_text(td, nested)
                if text.strip():
                    self.add(text, CellRef(number, row, col))
                colspan, rowspan = _span(td, "colspan"), _span(td, "rowspan")
                taken.update((row + r, col + c) for r in range(1, rowspan) for c in range(colspan))
                col += colspan
        for inner in nested:  # tables inside cells come after the table that holds them
            self.table(inner)

    def cell_text(self, td, nested: list) -> str:
        """The cell's paragraphs joined by line breaks; nested tables are set aside."""
        cell = _HtmlCollector(set_aside_tables=nested)
        cell.container(td)
        return "\n".join(block.text for block in cell.blocks)


def _rows(table):
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else None
        if tag == "tr":
            yield child
        elif tag in ROW_GROUPS:
            yield from (row for row in child if isinstance(row.tag, str) and row.tag.lower() == "tr")


def _span(cell, name: str) -> int:
    try:
        return min(max(int(cell.get(name, "1")), 1), MAX_TABLE_SPAN)
    except ValueError:
        return 1

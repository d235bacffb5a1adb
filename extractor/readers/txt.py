"""Plain-text reports: one paragraph per non-blank line, pipe tables as cells."""
from __future__ import annotations

import re

from extractor.blocks import Block, CellRef, Document
from extractor.errors import ReadError

UTF8_BOM = b"\xef\xbb\xbf"

# A pipe-table row: `|a|b|` with at least two cells, outer pipes required so that a sentence
# that merely contains a `|` stays a paragraph.
PIPE_ROW = re.compile(r"^\s*\|(?:[^|]*\|){2,}\s*$")
# The Markdown rule under the header row, `|---|:---:|`: layout, not data.
PIPE_RULE = re.compile(r"^\s*\|(?:\s*:?-+:?\s*\|)+\s*$")


def read_txt(data: bytes, path: str = "") -> Document:
    """Decode and split a text file. `sha256` is left for read_document to fill in."""
    text, encoding = decode_text(data)
    return Document(path=path, format="txt", blocks=tuple(text_blocks(text)), encoding=encoding)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode as UTF-8 (BOM or not), else GB18030, which also covers GBK and GB2312 files.

    UTF-8 is tried first because GBK bytes are almost never valid UTF-8, while UTF-8 bytes
    often are valid GB18030 (and would decode to nonsense).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16")  # Windows Notepad's "Unicode"
    if data.startswith(UTF8_BOM):
        return _decode(data, "utf-8-sig")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    # A UTF-8 file with a few damaged bytes (a bad copy, a cut download) is still read: the damaged
    # characters become U+FFFD and the encoding says so. Mostly undecodable bytes are not text.
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") * 100 <= len(text):
        return text, "utf-8 (damaged bytes replaced)"
    raise ReadError("decode-error", "文本编码无法识别（不是 UTF-8 或 GBK/GB18030），请另存为 UTF-8")


def _decode(data: bytes, encoding: str) -> tuple[str, str]:
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        raise ReadError("decode-error", f"文本声明为 {encoding} 编码，但内容无法按该编码解码") from None


def text_blocks(text: str) -> list[Block]:
    """Blocks in line order; consecutive pipe rows form one table, numbered across the file."""
    blocks: list[Block] = []
    table = -1
    row = 0
    in_table = False
    for line in text.splitlines():
        if PIPE_ROW.match(line):
            if not in_table:
                table, row, in_table = table + 1, 0, True
            if not PIPE_RULE.match(line):
                blocks.extend(_row_cells(line, table, row, first_index=len(blocks)))
                row += 1
            continue
        in_table = False
        if line.strip():
            blocks.append(Block(index=len(blocks), text=line))
    return blocks


def _row_cells(line: str, table: int, row: int, first_index: int) -> list[Block]:
    cells = line.strip()[1:-1].split("|")
    blocks = []
    for col, raw in enumerate(cells):
        text = raw.strip()
        if text:
            blocks.append(Block(index=first_index + len(blocks), text=text, kind="cell",
                                cell=CellRef(table, row, col)))
    return blocks

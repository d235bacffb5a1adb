"""What a reader hands to the rest of the pipeline: the document as blocks in reading order.

A block is one paragraph or one table cell, with the text exactly as the reader got it and enough
location to point back into the file: page (PDF), paragraph/cell index (docx, txt) and, for PDF,
the page and box of every character so a span can be mapped back to the page it sits on.
"""
from __future__ import annotations

from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points


@dataclass(frozen=True, slots=True)
class CellRef:
    table: int          # table index in the document, from 0
    row: int            # row index, from 0
    col: int            # column index, from 0 (a merged cell is reported once, at its first grid column)


@dataclass(frozen=True, slots=True)
class Block:
    index: int                              # position in reading order, from 0
    text: str                               # the text as read, never normalised
    kind: str = "paragraph"                 # "paragraph" | "cell"
    page: int | None = None                 # PDF page of the first character, from 1
    cell: CellRef | None = None             # set for table cells
    origin: str = "body"                    # where docx text came from: body, textbox, insertion, sdt, ...
    ocr: bool = False                       # text recognised from a page image (--ocr), not read from the file
    # PDF only: page number and box of each character of `text` (None for joined-line separators).
    char_pages: tuple[int, ...] | None = field(default=None, repr=False)
    char_boxes: tuple[BBox | None, ...] | None = field(default=None, repr=False)

    def page_at(self, offset: int) -> int | None:
        """Page of the character at `offset` (PDF); the block's page elsewhere."""
        if self.char_pages and 0 <= offset < len(self.char_pages):
            return self.char_pages[offset]
        return self.page


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    format: str                             # "docx" | "pdf" | "txt"
    blocks: tuple[Block, ...]
    pages: int | None = None                # PDF page count
    sha256: str = ""
    encoding: str | None = None             # txt: the encoding the bytes were decoded with

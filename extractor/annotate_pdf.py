"""A copy of a PDF report with a highlight on each finding's number and the finding as its note.

The finding's anchor (block index and character span, see `anchors.finding_anchor`) is turned into
page boxes through the block's `char_pages`/`char_boxes`, which the PDF reader keeps for every
character; a number broken over two lines gets one quadrilateral per line, in one annotation. A
finding that cannot be placed gets a note (a Text annotation) at the top of its page, or of page 1,
so every finding has exactly one annotation.

pypdf writes the annotations: BSD-licensed, pure Python, actively maintained, and it edits an
existing PDF incrementally without re-rendering it (PyMuPDF would do too, but is AGPL).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .anchors import Anchor, prepare_copy, finding_anchor, note_text
from .blocks import BBox, Document
from .models import Report

AUTHOR = "extract"
COLOURS = {"error": "ff6b6b", "warning": "ffd43b", "info": "74c0fc"}


@dataclass(frozen=True, slots=True)
class PdfPlacement:
    """Where one finding's annotation went (page from 1; quads in PDF user space)."""
    finding: int
    code: str
    page: int
    kind: str                                      # "highlight" on the number, "note" when not placed
    quads: tuple[tuple[float, float, float, float], ...] = ()   # x0, y0, x1, y1 per line
    text: str = ""                                 # the highlighted text


def annotate_pdf(src: str | Path, dst: str | Path, report: Report, document: Document | None = None) -> list[PdfPlacement]:
    """Write to `dst` a copy of the PDF `src` with one annotation per finding of `report`.

    `document` is the Document the report was made from; read again from `src` when not given.
    """
    from pypdf import PdfWriter
    from pypdf.annotations import Highlight, Text
    from pypdf.generic import ArrayObject, FloatObject, NameObject, TextStringObject

    from .readers.pdf import read_pdf

    src, dst, data, document = prepare_copy(src, dst, report, document, read_pdf)
    writer = PdfWriter(clone_from=str(src))
    placements: list[PdfPlacement] = []
    for index, finding in enumerate(report.findings):
        anchor = finding_anchor(finding, report, document)
        placed = _boxes(anchor, document) if anchor is not None else None
        note = note_text(finding, anchor if placed else None)
        if placed:
            page, lines = placed
            height = float(writer.pages[page - 1].mediabox.height)
            quads = tuple((x0, height - bottom, x1, height - top) for x0, top, x1, bottom in lines)
            points = []
            for x0, y0, x1, y1 in quads:
                points += [x0, y1, x1, y1, x0, y0, x1, y0]   # upper left, upper right, lower left, lower right
            rect = (min(q[0] for q in quads), min(q[1] for q in quads), max(q[2] for q in quads),
                    max(q[3] for q in quads))
            annotation = Highlight(rect=rect, quad_points=ArrayObject(FloatObject(round(v, 3)) for v in points),
                                   highlight_color=COLOURS.get(finding.severity, "ffd43b"), printing=True)
            placement = PdfPlacement(index, finding.code, page, "highlight", quads, anchor.text)
        else:
            page = _fallback_page(anchor, finding, document)
            box = writer.pages[page - 1].mediabox
            left, top = float(box.left) + 20, float(box.top) - 20
            annotation = Text(rect=(left, top - 20, left + 20, top), text=note, open=False)
            placement = PdfPlacement(index, finding.code, page, "note")
        annotation[NameObject("/Contents")] = TextStringObject(note)
        annotation[NameObject("/T")] = TextStringObject(AUTHOR)
        annotation[NameObject("/Subj")] = TextStringObject(f"{finding.code} {finding.name}")
        annotation[NameObject("/NM")] = TextStringObject(f"extract-{index + 1}-{finding.code}")
        writer.add_annotation(page_number=page - 1, annotation=annotation)
        placements.append(placement)
    with open(dst, "wb") as out:
        writer.write(out)
    return placements


def _boxes(anchor: Anchor, document: Document) -> tuple[int, list[BBox]] | None:
    """The page of the anchor's first placed character and one box per line of its characters there."""
    block = document.blocks[anchor.block]
    if not block.char_boxes or not block.char_pages:
        return None
    chars = [(block.char_pages[i], block.char_boxes[i]) for i in range(anchor.start, min(anchor.end, len(block.char_boxes)))
             if block.char_boxes[i] is not None]
    if not chars:
        return None
    page = chars[0][0]
    lines: list[list[float]] = []
    for char_page, (x0, top, x1, bottom) in chars:
        if char_page != page:
            continue
        if lines:
            line = lines[-1]
            middle = (top + bottom) / 2
            if line[1] <= middle <= line[3] and x0 >= line[0] - 0.5:
                line[0], line[1] = min(line[0], x0), min(line[1], top)
                line[2], line[3] = max(line[2], x1), max(line[3], bottom)
                continue
        lines.append([x0, top, x1, bottom])
    return page, [tuple(line) for line in lines]


def _fallback_page(anchor: Anchor | None, finding, document: Document) -> int:
    if anchor is not None:
        page = document.blocks[anchor.block].page_at(anchor.start)
        if page:
            return page
    if finding.location is not None and finding.location.page:
        return finding.location.page
    return 1

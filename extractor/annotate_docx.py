"""A copy of a Word report with a comment (批注) on each finding, on the run that holds the number.

The finding's anchor (block index and character span, see `anchors.finding_anchor`) is mapped back
to the document's XML by walking it exactly as the docx reader does (the reader's own collector is
reused, so the block order cannot drift: body paragraphs, text boxes after their anchor, table
cells in document order). Runs are split at the span's ends, each half keeping the run's
properties, so the comment covers the number and nothing else. The original file is never written.
"""
from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .anchors import prepare_copy, finding_anchor, note_text
from .blocks import Document
from .models import Report
from .readers.docx import (
    ALTERNATE_CONTENT, BLOCK_WRAPPERS, NOT_TEXT, P, SPECIAL_CHARACTERS, T, TXBX_CONTENT, _BlockCollector,
    _chosen_alternative, _w, _wrapped_content, paragraph_content,
)

R = _w("r")
R_PR = _w("rPr")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
AUTHOR, INITIALS = "extract", "EX"


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one finding's comment went: the text it covers (the number when `exact`)."""
    finding: int          # index into report.findings
    code: str
    text: str
    exact: bool           # False: the finding could not be located and the comment sits on the first run


def annotate_docx(src: str | Path, dst: str | Path, report: Report, document: Document | None = None) -> list[Placement]:
    """Write to `dst` a copy of the Word file `src` with one comment per finding of `report`.

    `document` is the Document the report was made from; read again from `src` when not given.
    """
    from docx import Document as open_word
    from docx.text.run import Run

    from .readers.docx import read_docx

    src, dst, data, document = prepare_copy(src, dst, report, document, read_docx)
    word = open_word(io.BytesIO(data))
    targets = _block_targets(word.element.body)
    if [_joined_text(t) for t in targets] != [b.text for b in document.blocks]:
        raise ValueError("Word 文件与报告的分段不一致：报告不是由这个文件生成的")

    placements: list[Placement] = []
    for index, finding in enumerate(report.findings):
        anchor = finding_anchor(finding, report, document)
        runs = _isolate(targets[anchor.block], anchor.start, anchor.end) if anchor is not None else []
        exact = bool(runs) and anchor is not None
        if not runs:
            runs = _first_text_run(word.element.body)
            if not runs:
                raise ValueError("Word 文件中没有可以放批注的文字")
        comment = word.add_comment([Run(r, word._body) for r in runs], text=note_text(finding, anchor if exact else None),
                                   author=AUTHOR, initials=INITIALS)
        comment._comment_elm.date = None  # a timestamp would make every copy differ
        placements.append(Placement(index, finding.code, "".join(_run_text(r) for r in runs), exact))
    word.save(str(dst))
    return placements


# -- blocks to paragraphs --------------------------------------------------------------------------

class _TargetCollector(_BlockCollector):
    """The docx reader's walk, noting for each block the w:p elements its text comes from."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[list[etree._Element]] = []
        self._current: list[etree._Element] = []

    def add(self, text, origin, cell=None) -> None:
        super().add(text, origin, cell)
        self.targets.append(self._current)

    def paragraph(self, p, origin) -> None:
        self._current = [p]   # `add` for p runs before the text boxes anchored in it are walked
        super().paragraph(p, origin)

    def cell(self, tc, ref, origin) -> None:
        self._current = _cell_paragraphs(tc)
        super().cell(tc, ref, origin)


def _block_targets(body: etree._Element) -> list[list[etree._Element]]:
    collector = _TargetCollector()
    collector.container(body, origin="body")
    return collector.targets


def _cell_paragraphs(element: etree._Element) -> list[etree._Element]:
    """The paragraphs a cell block's text joins with newlines (the reader's `_collect_cell`)."""
    out = []
    for child in element:
        if child.tag == P:
            if paragraph_content(child)[0].strip():
                out.append(child)
        elif child.tag in BLOCK_WRAPPERS:
            out.extend(_cell_paragraphs(_wrapped_content(child)))
    return out


def _joined_text(paragraphs: list[etree._Element]) -> str:
    return "\n".join(paragraph_content(p)[0] for p in paragraphs)


# -- spans to runs -----------------------------------------------------------------------------------

def _isolate(paragraphs: list[etree._Element], start: int, end: int) -> list[etree._Element]:
    """The runs that hold exactly block text [start, end), splitting runs at the two ends."""
    runs: list[etree._Element] = []
    offset = 0
    for p in paragraphs:
        length = len(paragraph_content(p)[0])
        s, e = max(start, offset) - offset, min(end, offset + length) - offset
        if s < e:
            runs.extend(_isolate_in_paragraph(p, s, e))
        offset += length + 1   # the newline that joins a cell's paragraphs
    return runs


def _isolate_in_paragraph(p: etree._Element, start: int, end: int) -> list[etree._Element]:
    for cut in (start, end):
        for run, a, b in _run_ranges(p):
            if a < cut < b:
                _split_run(run, cut - a)
                break
    return [run for run, a, b in _run_ranges(p) if start <= a and b <= end and a < b]


def _run_ranges(p: etree._Element) -> list[tuple[etree._Element, int, int]]:
    """Each run with text and its [start, end) in the paragraph's text, walking as the reader does."""
    ranges: list[list] = []
    position = 0

    def walk(element: etree._Element, run: etree._Element | None) -> None:
        nonlocal position
        for child in element:
            tag = child.tag
            if tag == T or tag in SPECIAL_CHARACTERS:
                length = len(child.text or "") if tag == T else 1
                if run is not None and length:
                    if ranges and ranges[-1][0] is run:
                        ranges[-1][2] = position + length
                    else:
                        ranges.append([run, position, position + length])
                position += length
            elif tag == TXBX_CONTENT:
                continue
            elif tag == ALTERNATE_CONTENT:
                chosen = _chosen_alternative(child)
                if chosen is not None:
                    walk(chosen, run)
            elif isinstance(tag, str) and tag not in NOT_TEXT:
                walk(child, child if tag == R else run)

    walk(p, None)
    return [(run, a, b) for run, a, b in ranges]


def _content_length(child: etree._Element) -> int:
    if child.tag == T:
        return len(child.text or "")
    if child.tag in SPECIAL_CHARACTERS:
        return 1
    if child.tag in NOT_TEXT or not isinstance(child.tag, str):
        return 0
    # Anything else a run holds (drawings, fields' parts) counts as the reader counts it.
    return len(paragraph_content(_as_paragraph(child))[0])


def _as_paragraph(child: etree._Element) -> etree._Element:
    wrapper = etree.Element(P)
    wrapper.append(copy.deepcopy(child))
    return wrapper


def _split_run(run: etree._Element, at: int) -> None:
    """Split `run` into two runs with the same properties, the first holding its first `at` characters."""
    right = copy.deepcopy(run)
    run.addnext(right)
    _keep(run, 0, at)
    _keep(right, at, None)


def _keep(run: etree._Element, start: int, end: int | None) -> None:
    """Remove from `run` the content outside its characters [start, end); content of no width
    (a drawing, a field mark) sitting exactly at a cut goes with the text after it."""
    position = 0
    for child in list(run):
        if child.tag == R_PR:
            continue
        length = _content_length(child)
        a, b = position, position + length
        position = b
        after_end = end is not None and a >= end
        before_start = (b <= start) if length else (a < start)
        if after_end or before_start:
            run.remove(child)
        elif child.tag == T and (a < start or (end is not None and b > end)):
            text = child.text or ""
            child.text = text[max(start - a, 0):(end - a) if end is not None else None]
            child.set(XML_SPACE, "preserve")


def _first_text_run(body: etree._Element) -> list[etree._Element]:
    for p in body.iter(P):
        ranges = _run_ranges(p)
        if ranges:
            return [ranges[0][0]]
    return []


def _run_text(run: etree._Element) -> str:
    return "".join(paragraph_content(_as_paragraph(child))[0] if child.tag != T else (child.text or "")
                   for child in run if child.tag != R_PR)


__all__ = ["Placement", "annotate_docx"]

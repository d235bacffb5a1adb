"""PDF page text through pdfium: every character with its box, turned into the lines pdfplumber's
extract_text would give, at a twentieth of the cost (pdfminer interprets the content streams in
Python; pdfium does it in C).

Only pages pdfium reads exactly as pdfplumber does are read here: unrotated pages whose media box
starts at the origin, without vector graphics (no table can be found on them) and with upright,
unskewed text. Any other page is read by pdfplumber (extractor.readers.pdf), and so is the whole
file when pdfium cannot open it, so the errors (encrypted, damaged) are pdfplumber's.

The boxes are pdfplumber's (PDF points, top-left origin: x0, top, x1, bottom) but for one detail:
the bottom is the baseline. pdfminer puts it at the font's /Descent below the baseline, a value
pdfium does not expose (its own descent comes from the font program); Type0 fonts, and the simple
fonts LibreOffice writes, have 0 there anyway, so on such files the boxes are the same.
"""
from __future__ import annotations

import ctypes
from itertools import groupby
from typing import Any

from extractor.readers.pdf import (
    MAX_PAGES, Char, _CharCounts, _check_page_count, _count_char, _lines_from_textmap, _Page, _read_plumber_pages,
)

# pdfplumber's defaults for extract_text (pdfplumber.utils.text).
X_TOLERANCE = 3
Y_TOLERANCE = 3
# pdfium's code for a hyphen-minus (or soft hyphen) that ends a line, which it takes for a word
# broken there. What the page shows is "-": in these reports, the minus sign of a negative number
# (基金当期结余-1984万元) that Word put at the end of a line.
HYPHEN_MARK = 0x02
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


class PdfiumUnusable(Exception):
    """pdfium cannot read this file: pdfplumber reads all of it (and names the error, if any)."""


def read_pages(data: bytes, counts: _CharCounts, password: str | None = None,
               max_pages: int | None = MAX_PAGES) -> list[_Page]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError:
        raise PdfiumUnusable() from None
    try:
        page_count = len(pdf)
        _check_page_count(page_count, max_pages)
        pages: list[_Page | None] = []
        for index in range(page_count):
            page = pdf[index]
            try:
                pages.append(_read_page(page, index + 1, counts))
            finally:
                page.close()
    except pdfium.PdfiumError:
        raise PdfiumUnusable() from None
    finally:
        pdf.close()
    left = [number for number, page in enumerate(pages, start=1) if page is None]
    if left:
        by_pdfplumber = _read_plumber_pages(data, counts, password, left)
        pages = [page if page is not None else by_pdfplumber[number] for number, page in enumerate(pages, start=1)]
    return pages  # type: ignore[return-value]


def _read_page(page: Any, number: int, counts: _CharCounts) -> _Page | None:
    """The page's lines, or None when pdfplumber has to read it."""
    import pypdfium2.raw as raw

    left, bottom, right, top = page.get_mediabox()
    if page.get_rotation() or left or bottom or page.get_cropbox() != (left, bottom, right, top):
        return None
    handle = page.raw
    for i in range(raw.FPDFPage_CountObjects(handle)):
        # Lines and rectangles (a table's rules) are paths; a form XObject may hold some.
        if raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(handle, i)) in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
            return None
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage, top)
    finally:
        textpage.close()
    if chars is None:
        return None
    _count_chars(chars, counts)
    lines = _lines_from_textmap(_textmap(chars), number) if chars else []
    return _Page(number, (round(right), round(top)), [*lines])


def _chars(textpage: Any, height: float) -> list[Char] | None:
    """The page's characters in content order, as pdfplumber's char dicts (the keys this reader
    uses); None when one is rotated, skewed or mirrored."""
    import pypdfium2.raw as raw

    is_generated, unicode_of, map_error = raw.FPDFText_IsGenerated, raw.FPDFText_GetUnicode, raw.FPDFText_HasUnicodeMapError
    loose_box, origin_of, font_size = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetCharOrigin, raw.FPDFText_GetFontSize
    matrix_of = raw.FPDFText_GetMatrix
    handle = textpage.raw  # the bare handle: the wrapper would be converted on every call
    rect, x, y, matrix = raw.FS_RECTF(), ctypes.c_double(), ctypes.c_double(), raw.FS_MATRIX()
    chars: list[Char] = []
    for i in range(raw.FPDFText_CountChars(handle)):
        if is_generated(handle, i):   # spaces and line breaks pdfium adds: pdfplumber has none
            continue
        code = unicode_of(handle, i)
        if map_error(handle, i):
            text = f"(cid:{code})"  # no Unicode mapping: pdfminer writes the code so, pdfium as a character
        elif code == HYPHEN_MARK:
            text = "-"
        else:
            text = chr(code)
        matrix_of(handle, i, matrix)
        if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:
            return None
        loose_box(handle, i, rect)
        origin_of(handle, i, x, y)
        # pdfminer's size is the font size times the text's vertical scale (pdfium gives the former)
        size = font_size(handle, i) * matrix.d
        baseline = height - y.value
        chars.append({"text": text, "x0": rect.left, "x1": rect.right, "top": baseline - size,
                      "bottom": baseline, "size": size})
    return chars


def _count_chars(chars: list[Char], counts: _CharCounts) -> None:
    """_count_char over a page, inlined for pdfium's one-character texts."""
    total = cjk = garbled = 0
    for char in chars:
        text = char["text"]
        if len(text) != 1:          # "(cid:N)"
            _count_char(text, counts)
        elif not text.isspace():
            total += 1
            if "\ue000" <= text <= "\uf8ff" or text == "\ufffd":
                garbled += 1
            elif "\u4e00" <= text <= "\u9fff" or "\u3400" <= text <= "\u4dbf" or "\uf900" <= text <= "\ufaff":
                cjk += 1
    counts.total += total
    counts.cjk += cjk
    counts.garbled += garbled


def _textmap(chars: list[Char]) -> list[tuple[str, Char | None]]:
    """pdfplumber's chars_to_textmap(chars).tuples for upright text with its default settings:
    characters clustered into lines by top, sorted by x0, cut into words at spaces and gaps wider
    than X_TOLERANCE, the words clustered into lines again; a space between words, a newline
    between lines. Written out here so the fast path needs neither pdfplumber nor its generality."""
    line_of = _cluster_ids([char["top"] for char in chars])
    by_line = sorted(chars, key=lambda char: line_of[char["top"]])
    words: list[tuple[float, list[Char]]] = []
    for _, line in groupby(by_line, key=lambda char: line_of[char["top"]]):
        word: list[Char] = []
        for char in sorted(line, key=lambda char: char["x0"]):
            if char["text"].isspace():
                _close_word(word, words)
                word = []
            elif word and _begins_new_word(word[-1], char):
                _close_word(word, words)
                word = [char]
            else:
                word.append(char)
        _close_word(word, words)
    word_line_of = _cluster_ids([top for top, _ in words])
    tuples: list[tuple[str, Char | None]] = []
    for number, (_, line_words) in enumerate(groupby(words, key=lambda word: word_line_of[word[0]])):
        if number:
            tuples.append(("\n", None))
        for position, (_, word_chars) in enumerate(line_words):
            if position:
                tuples.append((" ", None))
            for char in word_chars:
                for letter in LIGATURES.get(char["text"], char["text"]):
                    tuples.append((letter, char))
    return tuples


def _close_word(word: list[Char], words: list[tuple[float, list[Char]]]) -> None:
    if word:
        words.append((min(char["top"] for char in word), word))


def _begins_new_word(previous: Char, char: Char) -> bool:
    return (char["x0"] < previous["x0"] or char["x0"] > previous["x1"] + X_TOLERANCE
            or abs(char["top"] - previous["top"]) > Y_TOLERANCE)


def _cluster_ids(values: list[float]) -> dict[float, int]:
    """pdfplumber's make_cluster_dict: sorted distinct values, a new cluster wherever one is more
    than Y_TOLERANCE above the one before."""
    ids: dict[float, int] = {}
    cluster, last = -1, None
    for value in sorted(set(values)):
        if last is None or value > last + Y_TOLERANCE:
            cluster += 1
        ids[value] = cluster
        last = value
    return ids


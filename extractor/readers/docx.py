"""Word (.docx) reports: body paragraphs and table cells in document order.

The main part is found the way python-docx finds it (the package relationship of type
officeDocument, its content type from [Content_Types].xml) and parsed with python-docx's parser
settings, but only that part: python-docx parses every XML part (a template's styles.xml alone is
hundreds of kB), which made opening the package cost more than all the rest of the pipeline. The
body is walked as raw XML, because python-docx's own paragraph text drops tracked insertions,
content controls and text boxes, where report figures do turn up.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from zipfile import BadZipFile

from lxml import etree

from extractor.blocks import Block, CellRef, Document
from extractor.errors import ReadError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


P, TBL, TR, TC = _w("p"), _w("tbl"), _w("tr"), _w("tc")
SDT, SDT_CONTENT, CUSTOM_XML = _w("sdt"), _w("sdtContent"), _w("customXml")
T, TAB, PTAB, BR, CR, NO_BREAK_HYPHEN = _w("t"), _w("tab"), _w("ptab"), _w("br"), _w("cr"), _w("noBreakHyphen")
TXBX_CONTENT = _w("txbxContent")
ALTERNATE_CONTENT, MC_CHOICE, MC_FALLBACK = f"{{{MC_NS}}}AlternateContent", f"{{{MC_NS}}}Choice", f"{{{MC_NS}}}Fallback"
VAL = _w("val")

# Characters that are not in w:t but print as text.
SPECIAL_CHARACTERS = {TAB: "\t", PTAB: "\t", BR: "\n", CR: "\n", NO_BREAK_HYPHEN: "-"}
# Subtrees whose text is not part of what the reader of the report sees: deleted and moved-away
# revisions, field codes (their result is ordinary w:t), and properties.
NOT_TEXT = {
    _w("del"), _w("moveFrom"), _w("delText"), _w("instrText"), _w("delInstrText"),
    _w("pPr"), _w("rPr"), _w("sdtPr"), _w("sdtEndPr"),
}
# Wrappers that hold block-level content (paragraphs, tables) inside the body or a cell.
BLOCK_WRAPPERS = {SDT, CUSTOM_XML}

# Limits checked on the zip's own directory before anything is decompressed: python-docx loads
# every part into memory, and Python's zipfile never inflates a member past its declared size,
# so the declared sizes bound what reading can cost. A long report is a few MB of XML; images
# add tens of MB but hardly compress.
MAX_PART_BYTES = 256 * 2**20          # one member, uncompressed
MAX_PACKAGE_BYTES = 512 * 2**20       # all members, uncompressed
MAX_PARTS = 10_000
# Compression ratio above which a large member is a zip bomb: Word's XML deflates 5-20 times,
# and even a document of nothing but empty table rows stays well under this.
MAX_RATIO = 200
RATIO_CHECKED_FROM = 16 * 2**20       # small members may compress as well as they like
# Markup that declares entities: WordprocessingML never uses a DTD, a hostile file does
# ("billion laughs"). Searched for in UTF-8 and UTF-16 parts.
DTD_MARKERS = tuple(marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY")
                    for encoding in ("ascii", "utf-16-le", "utf-16-be"))


# What python-docx asks of the main part (docx.opc.constants).
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
WML_DOCUMENT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
# python-docx's parser settings (docx.oxml.parser): entities are never expanded, and libxml2's
# default depth and size limits stay on.
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def read_docx(data: bytes, path: str = "") -> Document:
    """Read a .docx from its bytes. `sha256` is left for read_document to fill in."""
    body = _open_body(data)
    collector = _BlockCollector()
    collector.container(body, origin="body")
    return Document(path=path, format="docx", blocks=tuple(collector.blocks))


def check_package(archive: zipfile.ZipFile) -> None:
    """Refuse a zip bomb on the zip's own directory, before anything is decompressed."""
    members = archive.infolist()
    if len(members) > MAX_PARTS:
        raise ReadError("too-large", f"Word 文件包含 {len(members)} 个部件，超过上限 {MAX_PARTS}，疑似恶意构造")
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MAX_PART_BYTES or total > MAX_PACKAGE_BYTES:
            raise ReadError("too-large", f"Word 文件解压后超过 {_mb(max(member.file_size, total))}"
                            f"（上限 {_mb(MAX_PACKAGE_BYTES)}），疑似压缩炸弹，已拒绝处理")
        if member.file_size >= RATIO_CHECKED_FROM and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise ReadError("too-large", f"Word 文件中的 {member.filename} 压缩比达 {ratio}:1"
                            f"（解压后 {_mb(member.file_size)}），疑似压缩炸弹，已拒绝处理")


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member the reader parses, refused when it declares entities (a DTD: WordprocessingML never
    uses one, a hostile file does, "billion laughs"). Parts that are never parsed are never read."""
    try:
        blob = archive.read(name)
    except (BadZipFile, OSError, EOFError, zlib.error, NotImplementedError, RuntimeError):
        # Bad CRC, truncated data, an unknown compression method, a zip-level password (RuntimeError)
        raise ReadError("corrupt-docx", f"Word 文件已损坏：{name} 无法解压") from None
    if any(marker in blob for marker in DTD_MARKERS):
        raise ReadError("unsafe-content", f"Word 文件的 {name} 含有 DTD/实体声明"
                        "（可能是恶意构造的实体扩展），已拒绝处理")
    return blob


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB"


def _open_body(data: bytes) -> etree._Element:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (BadZipFile, ValueError, OSError):  # ValueError/OSError: a directory with bad offsets
        raise ReadError("corrupt-docx", "Word 文件已损坏或不完整（压缩包无法打开）") from None
    with archive:
        check_package(archive)
        try:
            root = _main_part(archive)
        except ReadError:
            raise
        except etree.XMLSyntaxError as error:
            raise _xml_error(error) from None
        except (MemoryError, RecursionError):
            raise  # not a damaged file: the isolation layer reports it as too large
        except Exception:  # a malformed package fails with whatever error it meets first
            raise ReadError("corrupt-docx", "Word 文件结构不完整或已损坏（如缺少正文部分 word/document.xml）") from None
    body = root.find(_w("body"))
    if body is None:
        raise ReadError("corrupt-docx", "Word 文件已损坏：正文部分没有 w:body")
    return body


def _main_part(archive: zipfile.ZipFile) -> etree._Element:
    """The main document part, found as python-docx finds it: the one package relationship of
    type officeDocument, a part whose content type is the WordprocessingML main document."""
    types = etree.fromstring(_read_part(archive, "[Content_Types].xml"), _PARSER)
    names = set(archive.namelist())
    rels = etree.fromstring(_read_part(archive, "_rels/.rels"), _PARSER) if "_rels/.rels" in names else None
    targets = [rel for rel in (rels if rels is not None else ())
               if rel.tag == f"{{{RELS_NS}}}Relationship" and rel.get("Type") == OFFICE_DOCUMENT]
    if len(targets) != 1 or targets[0].get("TargetMode") == "External":
        raise KeyError("no single main document relationship")
    partname = posixpath.abspath(posixpath.join("/", targets[0].get("Target")))
    if _content_type(types, partname) != WML_DOCUMENT_MAIN:
        raise ValueError("the main part is not a Word document")
    return etree.fromstring(_read_part(archive, partname[1:]), _PARSER)


def _content_type(types: etree._Element, partname: str) -> str | None:
    """[Content_Types].xml: an Override for the part name wins over the Default for its extension
    (both compared case-insensitively, as the OPC says and python-docx does)."""
    overrides = {(o.get("PartName") or "").lower(): o.get("ContentType") for o in types.iterfind(f"{{{CT_NS}}}Override")}
    if partname.lower() in overrides:
        return overrides[partname.lower()]
    defaults = {(d.get("Extension") or "").lower(): d.get("ContentType") for d in types.iterfind(f"{{{CT_NS}}}Default")}
    return defaults.get(posixpath.splitext(partname)[1][1:].lower())


class _BlockCollector:
    """Turns WordprocessingML into blocks, numbering blocks and tables as they are met."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.table_count = 0

    def add(self, text: str, origin: str, cell: CellRef | None = None) -> None:
        self.blocks.append(Block(index=len(self.blocks), text=text, kind="cell" if cell else "paragraph",
                                 cell=cell, origin=origin))

    def container(self, element: etree._Element, origin: str) -> None:
        """Body, text box, content control: paragraphs and tables in order."""
        for child in element:
            if child.tag == P:
                self.paragraph(child, origin)
            elif child.tag == TBL:
                self.table(child, origin)
            elif child.tag in BLOCK_WRAPPERS:
                self.container(_wrapped_content(child), "sdt" if child.tag == SDT else origin)

    def paragraph(self, p: etree._Element, origin: str) -> None:
        text, text_boxes = paragraph_content(p)
        if text.strip():
            self.add(text, origin)
        # A text box floats on the page but is anchored here: its text is read after the anchor.
        for box in text_boxes:
            self.container(box, "textbox")

    def table(self, tbl: etree._Element, origin: str) -> None:
        table = self.table_count
        self.table_count += 1
        for row_index, tr in enumerate(_unwrapped(tbl, TR)):
            column = _int_property(tr, "trPr", "gridBefore", default=0)
            for tc in _unwrapped(tr, TC):
                if not _continues_merge(tc):
                    self.cell(tc, CellRef(table, row_index, column), origin)
                column += _int_property(tc, "tcPr", "gridSpan", default=1)

    def cell(self, tc: etree._Element, ref: CellRef, origin: str) -> None:
        texts: list[str] = []
        later: list[tuple[str, etree._Element]] = []
        _collect_cell(tc, texts, later)
        text = "\n".join(texts)
        if text.strip():
            self.add(text, origin, cell=ref)
        # Nested tables and text boxes come after the cell that holds them, as their own blocks.
        for kind, element in later:
            if kind == "table":
                self.table(element, origin)
            else:
                self.container(element, "textbox")


def paragraph_content(p: etree._Element) -> tuple[str, list[etree._Element]]:
    """The paragraph's visible text and the text boxes anchored in it.

    Runs count wherever they are nested (insertions, hyperlinks, smart tags, simple fields,
    inline content controls); a text box's content is returned separately, and of the two copies
    Word writes for one (DrawingML and VML), only the preferred mc:Choice is taken.
    """
    parts: list[str] = []
    text_boxes: list[etree._Element] = []

    def walk(element: etree._Element) -> None:
        for child in element:
            tag = child.tag
            if tag == T:
                parts.append(child.text or "")
            elif tag in SPECIAL_CHARACTERS:
                parts.append(SPECIAL_CHARACTERS[tag])
            elif tag == TXBX_CONTENT:
                text_boxes.append(child)
            elif tag == ALTERNATE_CONTENT:
                chosen = _chosen_alternative(child)
                if chosen is not None:
                    walk(chosen)
            elif isinstance(tag, str) and tag not in NOT_TEXT:  # comments have a non-str tag
                walk(child)

    walk(p)
    return "".join(parts), text_boxes


def _collect_cell(element: etree._Element, texts: list[str], later: list[tuple[str, etree._Element]]) -> None:
    for child in element:
        if child.tag == P:
            text, text_boxes = paragraph_content(child)
            if text.strip():
                texts.append(text)
            later.extend(("textbox", box) for box in text_boxes)
        elif child.tag == TBL:
            later.append(("table", child))
        elif child.tag in BLOCK_WRAPPERS:
            _collect_cell(_wrapped_content(child), texts, later)


def _chosen_alternative(alternate: etree._Element) -> etree._Element | None:
    choice = alternate.find(MC_CHOICE)
    return choice if choice is not None else alternate.find(MC_FALLBACK)


def _wrapped_content(wrapper: etree._Element) -> etree._Element:
    """w:sdt keeps its content in w:sdtContent; w:customXml holds it directly."""
    if wrapper.tag == SDT:
        content = wrapper.find(SDT_CONTENT)
        return content if content is not None else etree.Element(SDT_CONTENT)
    return wrapper


def _unwrapped(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Rows of a table or cells of a row, including those wrapped in content controls."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in BLOCK_WRAPPERS:
            yield from _unwrapped(_wrapped_content(child), tag)


def _int_property(element: etree._Element, properties: str, name: str, default: int) -> int:
    prop = element.find(f"{_w(properties)}/{_w(name)}")
    if prop is None:
        return default
    try:
        return int(prop.get(VAL, default))
    except ValueError:
        return default


def _xml_error(error: etree.XMLSyntaxError) -> ReadError:
    """libxml2's own limits (nesting depth, entity amplification) name a hostile file, not a broken one."""
    text = str(error)
    if "Excessive depth" in text:
        return ReadError("too-large", "Word 文件的 XML 嵌套层数过深（超过 256 层），疑似恶意构造，已拒绝处理")
    if "amplification" in text or "entity" in text.lower():
        return ReadError("unsafe-content", "Word 文件含有实体扩展（可能是恶意构造），已拒绝处理")
    return ReadError("corrupt-docx", "Word 文件已损坏：XML 内容无法解析")


def _continues_merge(tc: etree._Element) -> bool:
    """A cell under a vertical merge (or an old-style horizontal one) repeats the merged cell."""
    for name in ("vMerge", "hMerge"):
        merge = tc.find(f"{_w('tcPr')}/{_w(name)}")
        if merge is not None and merge.get(VAL, "continue") != "restart":
            return True
    return False

"""Tell a file's real format from its bytes: reports arrive renamed (.docx that is a PDF, .doc
that is a docx), so the extension is never trusted."""
from __future__ import annotations

import io
import re
import zipfile

from extractor.errors import ReadError

PDF_MAGIC = b"%PDF"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An Office file saved with a password is an OLE2 container holding the real (encrypted) package
# in a stream of this name; OLE2 directory entries store names in UTF-16LE.
ENCRYPTED_PACKAGE_STREAM = "EncryptedPackage".encode("utf-16-le")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Stream names in an OLE2 directory that say which Office program wrote the file. A Word file
# that embeds a spreadsheet also holds "Workbook", so Word is asked first.
OLE2_WORD_STREAM = "WordDocument".encode("utf-16-le")
OLE2_OTHER_STREAMS = {
    "Workbook".encode("utf-16-le"): "不支持 Excel 文件，请提供 Word 或 PDF 格式的报告",
    "PowerPoint Document".encode("utf-16-le"): "不支持 PowerPoint 文件，请提供 Word 或 PDF 格式的报告",
}

# Word's "save as web page", renamed .doc (a common way of producing "Word" reports from web
# systems): an HTML page, possibly after an XML declaration, a BOM or comments.
HTML_START = re.compile(
    rb"""^(?:\xef\xbb\xbf)?\s*
        (?:<\?xml[^>]*>\s*)?
        (?:<!--.*?-->\s*)*
        <(?:!doctype\s+html|html|head|meta|body)\b""",
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)
# Word's "single file web page" (.mht/.mhtml), also renamed .doc: a MIME message holding the HTML.
MHT_START = re.compile(rb"^\s*(?:(?:From|Subject|Date|MIME-Version|Content-Type|Content-Location|X-[\w-]+):[^\n]*\n)+",
                       re.IGNORECASE)
# Word 2003 XML ("WordprocessingML"), also saved as .doc: LibreOffice converts it.
WORD_2003_XML = re.compile(rb"<\?mso-application\s+progid=\"Word\.Document\"\s*\?>")

# Binary formats people send instead of a report, named so the message says what the file is.
OTHER_BINARY_MAGICS = {
    b"\x89PNG": "PNG 图片",
    b"\xff\xd8\xff": "JPEG 图片",
    b"GIF8": "GIF 图片",
    b"II*\x00": "TIFF 图片",
    b"MM\x00*": "TIFF 图片",
    b"Rar!": "RAR 压缩包",
    b"7z\xbc\xaf": "7z 压缩包",
    b"\x1f\x8b": "gzip 压缩包",
}


def detect_format(data: bytes) -> str:
    """Return "pdf", "docx", "doc" (legacy Word or WPS: to convert), "html", "mht" or "txt",
    or raise ReadError for what no reader takes.

    PDF is recognised anywhere in the first kilobyte, since some servers prepend junk
    before `%PDF` and viewers accept it.
    """
    if not data:
        raise ReadError("empty-file", "文件为空（0 字节）")
    if PDF_MAGIC in data[:1024]:
        return "pdf"
    if data.startswith(ZIP_MAGIC):
        return _zip_format(data)
    if data.startswith(OLE2_MAGIC):
        return _ole2_format(data)
    for magic, kind in OTHER_BINARY_MAGICS.items():
        if data.startswith(magic):
            raise ReadError("unsupported-format", f"不支持的文件格式：{kind}")
    if data.lstrip()[:5].lower() == b"{\\rtf":
        raise ReadError("unsupported-format", "不支持 RTF 文件，请另存为 .docx 后再处理")
    if b"\x00" in data[:4096] and not data.startswith(UTF16_BOMS):
        raise ReadError("unsupported-format", "不支持的文件格式：不是 PDF、Word 或文本文件")
    return _markup_format(_utf8_head(data))


def _utf8_head(data: bytes) -> bytes:
    """The first 4 KB, with a UTF-16 text re-encoded as UTF-8 so one set of byte patterns fits both."""
    head = data[:4096]
    if head.startswith(UTF16_BOMS):
        return head.decode("utf-16", errors="replace").encode("utf-8", errors="replace")
    return head


def _markup_format(head: bytes) -> str:
    """HTML, MHT and Word 2003 XML pages saved under a Word name; anything else is text."""
    if WORD_2003_XML.search(head):
        return "doc"
    if HTML_START.match(head):
        return "html"
    if MHT_START.match(head.replace(b"\r\n", b"\n")) and b"multipart/related" in head.lower():
        return "mht"
    return "txt"


def _zip_format(data: bytes) -> str:
    """A zip is a docx unless it is plainly another Office/OpenDocument package.

    A zip that cannot be opened is still sent to the docx reader: a truncated upload of a
    report is far likelier than any other archive, and it reports "corrupt-docx".
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return "docx"
    if "word/document.xml" in names:
        return "docx"
    if any(name.startswith("xl/") for name in names):
        raise ReadError("unsupported-format", "不支持 Excel 文件，请提供 Word 或 PDF 格式的报告")
    if any(name.startswith("ppt/") for name in names):
        raise ReadError("unsupported-format", "不支持 PowerPoint 文件，请提供 Word 或 PDF 格式的报告")
    if "mimetype" in names and "content.xml" in names:
        raise ReadError("unsupported-format", "不支持 OpenDocument（.odt）文件，请另存为 .docx 后再处理")
    return "docx"


def _ole2_format(data: bytes) -> str:
    """An OLE2 container: a password-protected .docx, a Word 97-2003 .doc or WPS file (converted
    with LibreOffice), or another Office program's file."""
    if ENCRYPTED_PACKAGE_STREAM in data:
        raise ReadError("encrypted", "Word 文件设置了打开密码，请去除密码后再处理")
    if OLE2_WORD_STREAM in data:
        return "doc"
    for stream, message in OLE2_OTHER_STREAMS.items():
        if stream in data:
            raise ReadError("unsupported-format", message)
    return "doc"  # WPS and Works files name their streams otherwise; LibreOffice reads them

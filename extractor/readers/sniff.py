"""Tell a file's real format from its bytes: reports arrive renamed (.docx that is a PDF, .doc
that is a docx), so the extension is never trusted."""
from __future__ import annotations

import io
import zipfile

from extractor.errors import ReadError

PDF_MAGIC = b"%PDF"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An Office file saved with a password is an OLE2 container holding the real (encrypted) package
# in a stream of this name; OLE2 directory entries store names in UTF-16LE.
ENCRYPTED_PACKAGE_STREAM = "EncryptedPackage".encode("utf-16-le")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

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
    """Return "pdf", "docx" or "txt", or raise ReadError for what no reader takes.

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
        raise _ole2_error(data)
    for magic, kind in OTHER_BINARY_MAGICS.items():
        if data.startswith(magic):
            raise ReadError("unsupported-format", f"不支持的文件格式：{kind}")
    if data.lstrip()[:5].lower() == b"{\\rtf":
        raise ReadError("unsupported-format", "不支持 RTF 文件，请另存为 .docx 后再处理")
    if b"\x00" in data[:4096] and not data.startswith(UTF16_BOMS):
        raise ReadError("unsupported-format", "不支持的文件格式：不是 PDF、Word 或文本文件")
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


def _ole2_error(data: bytes) -> ReadError:
    if ENCRYPTED_PACKAGE_STREAM in data:
        return ReadError("encrypted", "Word 文件设置了打开密码，请去除密码后再处理")
    return ReadError("legacy-format", "旧版 .doc/.wps 文件，请用 Word 或 WPS 另存为 .docx 后再处理")

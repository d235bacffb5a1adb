"""Turn a report file (PDF, Word, web page or text) into a Document of blocks in reading order."""
from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from extractor.blocks import Document
from extractor.errors import ReadError
from extractor.readers.pdf import MAX_PAGES  # the module is light; pdfplumber is imported on use
from extractor.readers.sniff import detect_format

__all__ = ["read_document", "MAX_PAGES", "MAX_FILE_BYTES"]

# Bigger than any report, PDF with images included; a file this size is not read into memory.
MAX_FILE_BYTES = 512 * 2**20


# What a parser library raises on a damaged file it did not anticipate (the fuzz run found these:
# zipfile's NotImplementedError for a mangled version field, pdfplumber's MalformedPDFException,
# TypeError/IndexError deep inside pdfminer): for a PDF or Word file that is a damaged file.
CORRUPT_CODE = {"pdf": "corrupt-pdf", "docx": "corrupt-docx"}


def read_document(path: str | Path, *, ocr: bool = False, password: str | None = None,
                  max_pages: int | None = MAX_PAGES, text_engine: str = "pdfium") -> Document:
    """Read the file at `path`, choosing the reader by the file's bytes, not its name.

    `ocr`: OCR a PDF that has no usable text layer (needs tesseract with chi_sim);
    `password`: the password of an encrypted PDF; `max_pages`: refuse longer PDFs (None: no cap);
    `text_engine`: "pdfium" (default) or "pdfplumber" for PDF text.
    Raises ReadError with a stable code (see extractor.errors) for anything that cannot be read.
    """
    data = _read_bytes(Path(path))
    file_format = "docx" if data.startswith(b"PK") else "pdf" if b"%PDF" in data[:1024] else None
    try:
        file_format = detect_format(data)
        document = _read(file_format, data, str(path), ocr=ocr, password=password, max_pages=max_pages,
                         text_engine=text_engine)
    except (ReadError, MemoryError):
        raise
    except Exception as error:  # noqa: BLE001 - a parser's unexpected failure on hostile bytes
        if file_format not in CORRUPT_CODE:
            raise
        raise ReadError(CORRUPT_CODE[file_format],
                        f"文件结构损坏，解析失败（{type(error).__name__}: {str(error)[:80]}）") from None
    return replace(document, sha256=hashlib.sha256(data).hexdigest())


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_file() and size > MAX_FILE_BYTES:
            raise ReadError("too-large", f"文件大小 {size / 2**20:.0f} MB，超过上限 {MAX_FILE_BYTES / 2**20:.0f} MB")
        return path.read_bytes()
    except FileNotFoundError:
        raise ReadError("not-found", "文件不存在") from None
    except IsADirectoryError:
        raise ReadError("not-found", "路径是文件夹，不是文件") from None
    except OSError as error:
        raise ReadError("not-found", f"文件无法打开：{error.strerror or error}") from None


def _read(file_format: str, data: bytes, path: str, *, ocr: bool, password: str | None,
          max_pages: int | None, text_engine: str) -> Document:
    # Imported on demand: the PDF and Word stacks take a while to import, and a run over text
    # files (or `--help`) should not pay for them.
    if file_format == "pdf":
        from extractor.readers.pdf import read_pdf
        return read_pdf(data, path, password=password, max_pages=max_pages, ocr=ocr, text_engine=text_engine)
    if file_format == "docx":
        from extractor.readers.docx import read_docx
        return read_docx(data, path)
    if file_format == "doc":
        from extractor.readers.legacy import read_legacy
        return read_legacy(data, path)
    if file_format == "html":
        from extractor.readers.html import read_html
        return read_html(data, path)
    if file_format == "mht":
        from extractor.readers.html import read_mht
        return read_mht(data, path)
    from extractor.readers.txt import read_txt
    return read_txt(data, path)

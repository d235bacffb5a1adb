"""Turn a report file (PDF, Word or text) into a Document of blocks in reading order."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from extractor.blocks import Document
from extractor.errors import ReadError
from extractor.readers.sniff import detect_format

__all__ = ["read_document"]


def read_document(path: str | Path) -> Document:
    """Read the file at `path`, choosing the reader by the file's bytes, not its name.

    Raises ReadError with a stable code (see extractor.errors) for anything that cannot be read.
    """
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ReadError("not-found", "文件不存在") from None
    except IsADirectoryError:
        raise ReadError("not-found", "路径是文件夹，不是文件") from None
    except OSError as error:
        raise ReadError("not-found", f"文件无法打开：{error.strerror or error}") from None
    document = _reader_for(detect_format(data))(data, str(path))
    return replace(document, sha256=hashlib.sha256(data).hexdigest())


def _reader_for(file_format: str) -> Callable[[bytes, str], Document]:
    # Imported on demand: the PDF and Word stacks take a while to import, and a run over text
    # files (or `--help`) should not pay for them.
    if file_format == "pdf":
        from extractor.readers.pdf import read_pdf
        return read_pdf
    if file_format == "docx":
        from extractor.readers.docx import read_docx
        return read_docx
    from extractor.readers.txt import read_txt
    return read_txt

"""Word 97-2003 (.doc), WPS and Word 2003 XML files: converted to .docx with LibreOffice, then
read as any .docx is.

LibreOffice runs headless with a profile directory of its own for each conversion: two
conversions sharing a profile (or sharing the user's) block each other or fail outright.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from extractor.blocks import Document
from extractor.errors import ReadError
from extractor.readers.external import ToolTimeout, run_tool

# Seconds LibreOffice gets for one file; a first start with an empty profile takes a few.
CONVERSION_TIMEOUT = 120.0
INSTALL_HINT = "请安装 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-writer-nogui），或用 Word/WPS 另存为 .docx"


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_legacy(data: bytes, path: str = "", *, timeout: float = CONVERSION_TIMEOUT) -> Document:
    """Convert to .docx in a private temporary directory and read the result."""
    from extractor.readers.docx import read_docx

    soffice = soffice_path()
    if soffice is None:
        raise ReadError("legacy-format", f"旧版 .doc/.wps 文件需要转换为 .docx：{INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="extract-soffice-") as workdir:
        work = Path(workdir)
        source = work / "report.doc"  # LibreOffice tells the real format from the bytes
        source.write_bytes(data)
        command = [
            soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
            "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work / "out"), str(source),
        ]
        try:
            run_tool(command, timeout, env=_soffice_env(work))
        except ToolTimeout:
            raise ReadError("conversion-failed", f"LibreOffice 转换 .doc/.wps 文件超过 {timeout:g} 秒未完成，已终止") from None
        except OSError as error:
            raise ReadError("conversion-failed", f"无法启动 LibreOffice：{error.strerror or error}") from None
        converted = work / "out" / "report.docx"
        if not converted.is_file() or converted.stat().st_size == 0:
            raise ReadError("conversion-failed",
                            "LibreOffice 无法转换该 .doc/.wps 文件（文件可能已损坏或设置了密码），请用 Word/WPS 另存为 .docx")
        document = read_docx(converted.read_bytes(), path)
    return Document(path=path, format="doc", blocks=document.blocks)


def _soffice_env(work: Path) -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["HOME"] = str(work)  # nothing is written to the user's home, even by helper processes
    env.pop("SAL_USE_VCLPLUGIN", None)
    return env

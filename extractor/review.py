"""The review outputs of a run: HTML pages (one per report, an index for a batch) and annotated
copies of the Word and PDF originals. What `--html` and `--annotate` write.

Reports may come back from worker processes without their Document, so each file is read again
here; a file changed since it was analysed (another sha256) is not annotated.
"""
from __future__ import annotations

from pathlib import Path, PurePath
from typing import Sequence

from .blocks import Document
from .errors import ReadError
from .models import Report

ANNOTATABLE = {"docx": ".docx", "pdf": ".pdf"}


def write_html(reports: Sequence[Report], target: str | Path, **read_options) -> list[Path]:
    """One report and a target that is not a folder: that file. Otherwise `target` is a folder that
    receives one page per report and index.html. Returns the pages written (index last)."""
    from .reporters import html

    target = Path(target)
    if len(reports) == 1 and not target.is_dir() and not str(target).endswith(("/", "\\")):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html.render(reports[0], _document_of(reports[0], read_options)), encoding="utf-8")
        return [target]
    target.mkdir(parents=True, exist_ok=True)
    written, entries = [], []
    for report, name in zip(reports, _unique_names(reports, [".html"] * len(reports))):
        page = target / name
        page.write_text(html.render(report, _document_of(report, read_options)), encoding="utf-8")
        written.append(page)
        entries.append((report, name))
    index = target / "index.html"
    index.write_text(html.render_index(entries), encoding="utf-8")
    return written + [index]


def write_annotated(reports: Sequence[Report], target: str | Path, **read_options) -> list[str]:
    """Annotated copies of the Word and PDF reports: `target` is the copy for a single report, a
    folder for several. Returns messages about the files that were not annotated, and why."""
    target = Path(target)
    single = len(reports) == 1 and not target.is_dir() and not str(target).endswith(("/", "\\"))
    if not single:
        target.mkdir(parents=True, exist_ok=True)
    notes = []
    names = _unique_names(reports, [f".annotated{ANNOTATABLE.get(r.document.format, '')}" for r in reports])
    for report, name in zip(reports, names):
        path = report.document.path
        fmt = report.document.format
        if report.document.error:
            notes.append(f"{path}: 无法读取，未生成批注副本")
            continue
        if fmt not in ANNOTATABLE:
            notes.append(f"{path}: 只能为 Word（.docx）或 PDF 生成批注副本，{fmt} 文件已跳过")
            continue
        dst = target if single else target / name
        document = _document_of(report, read_options)
        if document is None or document.sha256 != report.document.sha256:
            notes.append(f"{path}: 文件在检查后已改变或无法再次读取，未生成批注副本")
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "docx":
            from .annotate_docx import annotate_docx

            annotate_docx(path, dst, report, document)
        else:
            from .annotate_pdf import annotate_pdf

            annotate_pdf(path, dst, report, document)
    return notes


def _document_of(report: Report, read_options: dict) -> Document | None:
    if report.document.error:
        return None
    from .readers import read_document

    try:
        document = read_document(report.document.path, **read_options)
    except ReadError:
        return None
    return document if not report.document.sha256 or document.sha256 == report.document.sha256 else None


def _unique_names(reports: Sequence[Report], suffixes: Sequence[str]) -> list[str]:
    """Output names from the reports' file names (reports come sorted by path): the stem plus the
    suffix, the whole file name where two stems meet (a.docx, a.pdf), numbered if still not unique."""
    paths = [PurePath(r.document.path) for r in reports]
    stems = [(p.stem or "report") + suffix for p, suffix in zip(paths, suffixes)]
    names = [stem if stems.count(stem) == 1 else (p.name or "report") + suffix
             for p, stem, suffix in zip(paths, stems, suffixes)]
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{seen[name]:03d}-{name}")
    return out

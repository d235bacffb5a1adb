"""read → normalise → segment → extract → records → checks → report, for one file.

The checks are passed in (the project's rule table lives in ``rules/``): this library never imports
them, so the arrows point one way.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

from .blocks import Document
from .errors import ReadError
from .extract import extract_prose
from .figures import freeze_with_ids
from .meta import read_meta
from .models import DocumentInfo, Finding, Report
from .segment import segment
from .selfeval import read_indicators
from .tables import freeze_sums, read_tables
from .vocabulary import Vocabulary

Check = Callable[["Extraction"], Iterable[Finding]]


class Extraction:
    """What the checks see: the document, its paragraphs, meta and figures."""

    def __init__(self, document: Document, paragraphs, meta, figures, vocab: Vocabulary,
                 table_sums=(), indicators=()):
        self.document = document
        self.paragraphs = paragraphs
        self.meta = meta
        self.figures = figures
        self.vocab = vocab
        self.by_id = {f.id: f for f in figures}
        self.table_sums = list(table_sums)       # 合计/小计 lines of tables and the cells they add up
        self.indicators = list(indicators)       # rows of the 绩效自评表
        # how many relations that hold each figure (or "id.attribute") takes part in: the checks
        # count them, and the error localisation prefers to blame figures that nothing confirms
        self.held: Counter[str] = Counter()

    def note_held(self, keys: Iterable[str]) -> None:
        self.held.update(keys)


def extract_document(document: Document, vocab: Vocabulary) -> Extraction:
    return extract_segmented(document, segment(document.blocks, vocab), vocab)


def extract_segmented(document: Document, paragraphs, vocab: Vocabulary) -> Extraction:
    """Figures, table sums and indicators of a document already segmented (the stage after segment)."""
    tables = read_tables(document.blocks, paragraphs, vocab)
    figures, ids = freeze_with_ids(extract_prose(paragraphs, vocab) + tables.drafts)
    return Extraction(document, paragraphs, read_meta(paragraphs), figures, vocab,
                      table_sums=freeze_sums(tables.sums, ids),
                      indicators=read_indicators(document.blocks, paragraphs, vocab))


def document_info(document: Document) -> DocumentInfo:
    return DocumentInfo(path=document.path, format=document.format, sha256=document.sha256,
                        pages=document.pages, blocks=len(document.blocks), encoding=document.encoding)


def sha256_of(path: Path) -> str:
    """The file's sha256, read in chunks (a file may be larger than the memory cap)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def failed_report(path: str | Path, error: ReadError) -> Report:
    path = Path(path)
    try:
        sha = sha256_of(path)
    except (OSError, MemoryError):
        sha = ""
    fmt = path.suffix.lstrip(".").lower() or "unknown"
    return Report(document=DocumentInfo(path=str(path), format=fmt, sha256=sha,
                                        error={"code": error.code, "message": error.message}))


def analyse(path: str | Path, vocab: Vocabulary, checks: Iterable[Check] = (),
            finalize: Callable[[Extraction, list[Finding]], list[Finding]] | None = None,
            **read_options) -> Report:
    """One file to one report. Unreadable input is a report with `document.error`, never an exception.

    `read_options` go to the reader (e.g. ``ocr=True``, ``password="…"``)."""
    from .readers import read_document

    try:
        document = read_document(path, **read_options)
    except ReadError as error:
        return failed_report(path, error)
    return analyse_document(document, vocab, checks, finalize)


def analyse_document(document: Document, vocab: Vocabulary, checks: Iterable[Check] = (),
                     finalize: Callable[[Extraction, list[Finding]], list[Finding]] | None = None) -> Report:
    extraction = extract_document(document, vocab)
    if not extraction.figures and not extraction.indicators:
        info = document_info(document).model_copy(update={"error": {
            "code": "not-a-report", "message": "文件可以读取，但没有识别到社会保险基金数据，可能不是基金报告"}})
        return Report(document=info, meta=extraction.meta)
    findings: list[Finding] = []
    for check in checks:
        findings.extend(check(extraction))
    if finalize is not None:
        findings = finalize(extraction, findings)
    findings.sort(key=_finding_order)
    info = document_info(document).model_copy(update={"fingerprints": fingerprints(document, extraction.figures)})
    return Report(document=info, meta=extraction.meta, figures=extraction.figures, findings=findings,
                  indicators=extraction.indicators)


LONG_PARAGRAPH = 40     # characters: shorter sentences are too generic to call copied


def fingerprints(document: Document, figures) -> list[str]:
    """Hashes of the long paragraphs that hold two or more figures: what copying a report would share
    (template sentences hold no figures and are left out)."""
    per_block: dict[int, int] = {}
    for f in figures:
        per_block[f.source.block] = per_block.get(f.source.block, 0) + 1
    texts = {b.index: b.text for b in document.blocks}
    return [f"{b}:{hashlib.sha1(texts[b].strip().encode('utf-8')).hexdigest()[:16]}"
            for b, n in sorted(per_block.items()) if n >= 2 and len(texts.get(b, "").strip()) >= LONG_PARAGRAPH]


def _finding_order(finding: Finding) -> tuple:
    loc = finding.location
    return (loc.block if loc else 1 << 30, loc.start if loc else 0, finding.code, finding.message)
